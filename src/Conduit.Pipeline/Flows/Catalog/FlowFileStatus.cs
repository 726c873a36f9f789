using Conduit.Pipeline.Configuration.Yaml;

namespace Conduit.Pipeline.Flows.Catalog;

/// <summary>A flow file that is not (or no longer) loading cleanly: its errors, and whether its last good version is still active.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Errors">Every problem, each with file:line:col.</param>
/// <param name="LastGoodActive">True when an earlier valid version of the file is still the active flow.</param>
public sealed record FlowFileStatus(string Path, IReadOnlyList<YamlError> Errors, bool LastGoodActive);
