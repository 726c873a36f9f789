using System.Text.Json.Nodes;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Staging;
using Conduit.Pipeline.Steps;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Orchestration;

/// <summary>
/// Runs a job's steps as their graph allows: a step starts as soon as every step it needs has ended, so independent
/// branches of a DAG run at the same time (a sequential flow is a chain and runs one step at a time, as before).
/// A step's input is the batch (no <c>needs</c>) or its needs' outputs merged; its parameters are the flow's merged
/// with what its needs produced, in the order they are named. The first failure stops the job: steps still running
/// are cancelled (their containers removed) and recorded as failed, steps not started stay pending.
/// </summary>
public sealed partial class StepGraphRunner(
    IJobRepository jobs,
    IInstanceFileLayout layout,
    IReadOnlyList<IStepRunner> runners,
    JobRunnerSettings settings,
    ILogger logger,
    TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <returns>null when every step succeeded (or was skipped), else why the job failed.</returns>
    public async Task<string?> RunAsync(JobRecord job, FlowDefinition flow, IReadOnlyList<string> files, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        using var stopSiblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = new GraphRun(job, flow, files, tags, stopSiblings, cancellationToken);
        var ended = new Dictionary<string, Task<StepEnd>>(StringComparer.Ordinal);
        foreach (var step in flow.StepsInOrder) // topological: every need already has its task
            ended[step.Name] = RunWhenReadyAsync(run, step, step.DependsOn.Select(need => ended[need]).ToArray());

        await Task.WhenAll(ended.Values).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return run.FirstFailure;
    }

    private async Task<StepEnd> RunWhenReadyAsync(GraphRun run, FlowStepDefinition step, Task<StepEnd>[] needs)
    {
        var needed = await Task.WhenAll(needs).ConfigureAwait(false);
        if (run.Stop.IsCancellationRequested || needed.Any(n => !n.Succeeded)) return StepEnd.NotRun;
        try
        {
            var end = await RunStepAsync(run, step, needed).ConfigureAwait(false);
            if (end.Failure is not null) run.Fail(end.Failure);
            return end;
        }
        catch (OperationCanceledException) when (run.Stop.IsCancellationRequested && !run.Outer.IsCancellationRequested)
        {
            // A sibling branch failed first: this step was stopped, not at fault.
            var now = _time.GetUtcNow();
            var why = $"cancelled: {run.FirstFailure}";
            await jobs.CompleteStepAsync(run.Job.Id, step.Name, new StepCompletion(StepStatus.Failed, null, now, null, false, null, why),
                CancellationToken.None).ConfigureAwait(false);
            return StepEnd.NotRun;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not JobStateException)
        {
            // Staging its input failed, the disk is full, a runner has a bug: the step failed and says why, and the
            // job fails (and is retried) as for any failed step, instead of the step staying "running" in the store.
            var why = $"step '{step.Name}' could not run: {ex.Message}";
            run.Fail(why);
            LogStepCouldNotRun(logger, run.Job.Id, step.Name, ex);
            await jobs.CompleteStepAsync(run.Job.Id, step.Name, new StepCompletion(StepStatus.Failed, null, _time.GetUtcNow(), null, false, null, why),
                CancellationToken.None).ConfigureAwait(false);
            return new StepEnd(null, null, why);
        }
    }

    private async Task<StepEnd> RunStepAsync(GraphRun run, FlowStepDefinition step, StepEnd[] needed)
    {
        var token = run.Stop.Token;
        var directories = layout.CreateStepDirectories(run.Job.Id, step.Name);
        if (needed.Length == 0)
            await InputStager.StageAsync(run.Files, directories.Input, run.Flow.Input, token).ConfigureAwait(false);
        else
            foreach (var need in needed) FolderCopy.Merge(need.OutputDirectory!, directories.Input);
        var parameters = ParametersFor(run.Flow, needed);

        var (shouldRun, reason) = step.When.Evaluate(parameters);
        if (!shouldRun)
        {
            // A skipped step hands its input on unchanged, so the steps after it still have something to work on.
            FolderCopy.Merge(directories.Input, directories.Output);
            await jobs.CompleteStepAsync(run.Job.Id, step.Name,
                new StepCompletion(StepStatus.Skipped, null, _time.GetUtcNow(), null, false, null, $"skipped: {reason}"), token).ConfigureAwait(false);
            LogStepSkipped(logger, run.Job.Id, step.Name, reason);
            return new StepEnd(directories.Output, parameters, null);
        }

        var spec = StepSpecs.From(step, settings.DefaultStepTimeout, settings.StaticDirectory);
        var runner = runners.FirstOrDefault(r => r.CanRun(spec))
            ?? throw new InvalidOperationException($"no runner for step '{step.Name}' ({step.Kind})");
        await jobs.StartStepAsync(run.Job.Id, step.Name, token).ConfigureAwait(false);
        var result = await runner.RunAsync(spec, new StepContext(run.Job.Id, directories.Input, directories.Output, parameters, run.Tags), token)
            .ConfigureAwait(false);
        await jobs.CompleteStepAsync(run.Job.Id, step.Name, result.ToCompletion(), CancellationToken.None).ConfigureAwait(false);
        LogStepEnded(logger, run.Job.Id, step.Name, result.Outcome, result.ExitCode, (result.EndedAt - result.StartedAt).TotalSeconds);
        return result.Succeeded
            ? new StepEnd(directories.Output, result.Params ?? parameters, null)
            : new StepEnd(directories.Output, null, $"step '{step.Name}' {(result.TimedOut ? "timed out" : "failed")}: {result.Error ?? "no reason given"}");
    }

    /// <summary>The flow's parameters, then each need's in the order the step names them (a later need wins a clash).</summary>
    private static JsonObject ParametersFor(FlowDefinition flow, StepEnd[] needed)
    {
        var parameters = (JsonObject)flow.Params.DeepClone();
        foreach (var need in needed)
            foreach (var (key, value) in need.Parameters!)
                parameters[key] = value?.DeepClone();
        return parameters;
    }

    /// <summary>How one step ended: its output folder and parameters for the steps after it, or why it failed.</summary>
    private sealed record StepEnd(string? OutputDirectory, JsonObject? Parameters, string? Failure)
    {
        public static readonly StepEnd NotRun = new(null, null, "not run");

        public bool Succeeded => Parameters is not null;
    }

    /// <summary>One job's run of the graph: what every step shares, and the first failure that stops the rest.</summary>
    private sealed class GraphRun(JobRecord job, FlowDefinition flow, IReadOnlyList<string> files, IReadOnlyDictionary<string, string> tags,
        CancellationTokenSource stop, CancellationToken outer)
    {
        private string? _firstFailure;

        public JobRecord Job => job;
        public FlowDefinition Flow => flow;
        public IReadOnlyList<string> Files => files;
        public IReadOnlyDictionary<string, string> Tags => tags;
        public CancellationTokenSource Stop => stop;
        public CancellationToken Outer => outer;
        public string? FirstFailure => Volatile.Read(ref _firstFailure);

        public void Fail(string failure)
        {
            if (Interlocked.CompareExchange(ref _firstFailure, failure, null) is null) stop.Cancel();
        }
    }

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Job {JobId}: step {Step} {Outcome} (exit code {ExitCode}) in {Seconds:0.###} s")]
    private static partial void LogStepEnded(ILogger logger, string jobId, string step, StepOutcome outcome, int? exitCode, double seconds);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Job {JobId}: step {Step} skipped ({Reason})")]
    private static partial void LogStepSkipped(ILogger logger, string jobId, string step, string reason);

    [LoggerMessage(EventId = 3320, Level = LogLevel.Error, Message = "Job {JobId}: step {Step} could not run")]
    private static partial void LogStepCouldNotRun(ILogger logger, string jobId, string step, Exception exception);
}
