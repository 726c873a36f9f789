namespace Conduit.Pipeline.Steps;

/// <summary>
/// Runs one kind of step. Before the step starts, the runner writes <c>conduit-params.json</c> into the input
/// folder; after it ends, it reads the optional <c>conduit-params.json</c> the step wrote to its output
/// (<see cref="StepParamsFile"/>). A step that fails, times out or cannot start is a <see cref="StepResult"/>, not an
/// exception; cancellation through <paramref name="cancellationToken"/> stops the step and throws
/// <see cref="OperationCanceledException"/>.
/// </summary>
public interface IStepRunner
{
    bool CanRun(StepSpec spec);

    Task<StepResult> RunAsync(StepSpec spec, StepContext context, CancellationToken cancellationToken);
}
