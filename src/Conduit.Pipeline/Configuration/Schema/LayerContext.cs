using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Configuration.Schema;

/// <summary>What applying one layer (a file, or the environment) records: the source of each value set, and the errors.</summary>
internal sealed class LayerContext(string displayPath, string? variable, Dictionary<string, ConfigSource> sources, List<YamlError> errors)
{
    /// <summary>The file's display path (file layers), or null.</summary>
    public string DisplayPath { get; } = displayPath;

    /// <summary>The environment variable being applied (environment layer), or null.</summary>
    public string? Variable { get; } = variable;

    public SourceLocation Locate(YamlNode node) => node.LocationOf(DisplayPath);

    public ConfigSource SourceAt(YamlNode? keyNode) =>
        Variable is not null ? ConfigSource.FromEnvironment(Variable) : ConfigSource.FromFile(Locate(keyNode!));

    public void Set(string path, YamlNode? keyNode) => sources[path] = SourceAt(keyNode);

    public void Error(YamlNode? at, string path, string message) =>
        errors.Add(new YamlError(Variable is not null ? ConfigSource.FromEnvironment(Variable).ErrorLocation : Locate(at!), path, message));
}
