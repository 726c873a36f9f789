using Conduit.Pipeline.Flows.Matching;

namespace Conduit.Pipeline.Flows.Model;

/// <summary>A built-in step that keeps the instances matching <see cref="Keep"/> (trigger syntax: any map suffices) and drops the rest.</summary>
public sealed record FilterStepDefinition : FlowStepDefinition
{
    public override StepKind Kind => StepKind.Filter;

    public required TriggerSet Keep { get; init; }
}
