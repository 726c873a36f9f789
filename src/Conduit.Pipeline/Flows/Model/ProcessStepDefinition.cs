namespace Conduit.Pipeline.Flows.Model;

/// <summary>
/// A step that runs a local program. It follows the container contract through environment variables: the input
/// folder in <c>CONDUIT_INPUT_DIR</c>, the output folder in <c>CONDUIT_OUTPUT_DIR</c>.
/// </summary>
public sealed record ProcessStepDefinition : FlowStepDefinition
{
    public override StepKind Kind => StepKind.Process;

    /// <summary>The program: an absolute path, or a name looked up on PATH.</summary>
    public required string Program { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Hard timeout (the process tree is killed); null uses <c>workers.step_timeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }
}
