namespace Conduit.Pipeline.Configuration;

/// <summary><c>flows:</c> where flow definitions are read from.</summary>
public sealed class FlowsOptions
{
    public const string DefaultDirectory = "./flows";
    public const string DefaultStaticDirectory = "./static";

    /// <summary>Folder of flow files (one flow per *.yaml file), watched for changes.</summary>
    public string Directory { get; set; } = DefaultDirectory;

    /// <summary>Folder that relative container mount sources (and DicomFlow static_mounts names) are resolved against.</summary>
    public string StaticDirectory { get; set; } = DefaultStaticDirectory;
}
