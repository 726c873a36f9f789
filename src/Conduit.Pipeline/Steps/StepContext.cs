using System.Text.Json.Nodes;

namespace Conduit.Pipeline.Steps;

/// <summary>
/// Where a step runs and what it is told: host folders for input and output (see
/// <c>IInstanceFileLayout.CreateStepDirectories</c>), the parameters so far (the flow's params merged with what
/// earlier steps added) and the key tags of the batch.
/// </summary>
public sealed record StepContext(
    string JobId,
    string InputDirectory,
    string OutputDirectory,
    JsonObject Params,
    IReadOnlyDictionary<string, string> Tags);
