using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Model;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>A flow file's outcome: the flow when it is valid, else every error (file:line:col); warnings either way.</summary>
public sealed record FlowLoadResult(string Path, FlowDefinition? Flow, IReadOnlyList<YamlError> Errors, IReadOnlyList<YamlError> Warnings)
{
    public bool IsValid => Flow is not null && Errors.Count == 0;
}
