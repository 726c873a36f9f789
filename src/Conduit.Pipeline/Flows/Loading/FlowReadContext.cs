using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>The file being read and what was found wrong (errors stop the flow from loading; warnings do not).</summary>
internal sealed class FlowReadContext(string displayPath)
{
    public string DisplayPath { get; } = displayPath;
    public List<YamlError> Errors { get; } = [];
    public List<YamlError> Warnings { get; } = [];

    public void Error(YamlNode at, string path, string message) => Errors.Add(new YamlError(at.LocationOf(DisplayPath), path, message));

    public void Warn(YamlNode at, string path, string message) => Warnings.Add(new YamlError(at.LocationOf(DisplayPath), path, message));

    public static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}.{key}";
}
