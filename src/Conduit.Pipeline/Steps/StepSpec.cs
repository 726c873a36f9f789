namespace Conduit.Pipeline.Steps;

/// <summary>
/// What a runner needs to run one step: its own small records, independent of the flow model. An orchestrator maps
/// a flow's steps onto them. <see cref="Timeout"/> is a hard limit: on expiry the step is killed.
/// </summary>
public abstract record StepSpec(string Name, TimeSpan Timeout);
