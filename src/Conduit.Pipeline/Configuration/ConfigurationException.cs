using Conduit.Pipeline.Configuration.Yaml;

namespace Conduit.Pipeline.Configuration;

/// <summary>The configuration (or a flow) cannot be used: every problem found, each with its file, line and what is allowed.</summary>
public sealed class ConfigurationException(IReadOnlyList<YamlError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<YamlError> Errors { get; } = errors;
}
