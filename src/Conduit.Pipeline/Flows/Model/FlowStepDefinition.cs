using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Matching;

namespace Conduit.Pipeline.Flows.Model;

/// <summary>The kinds of step a flow can run.</summary>
public enum StepKind
{
    Container,
    Process,
    Filter,
    Modify,
}

/// <summary>
/// One step of a flow. Steps run in the order written, each taking the previous step's output as input, unless a step
/// names what it <see cref="Needs"/>: then the flow is a DAG and every step without <c>needs</c> starts from the flow's input.
/// </summary>
public abstract record FlowStepDefinition
{
    /// <summary>Unique in the flow; letters, digits, '-', '_', '.' (it names the step's work folders).</summary>
    public required string Name { get; init; }

    public abstract StepKind Kind { get; }

    /// <summary>The steps named in <c>needs:</c>, as written (empty when none was written).</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>
    /// The steps whose output this one takes, after the sequential default is applied: the previous step in a
    /// sequential flow, <see cref="Needs"/> in a DAG; empty for a step that starts from the flow's input.
    /// </summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Run only when these conditions over the job's parameters hold.</summary>
    public StepCondition When { get; init; } = StepCondition.Always;

    /// <summary>Where the step is defined.</summary>
    public SourceLocation Location { get; init; }
}
