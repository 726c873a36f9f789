using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Pipeline.Steps;

/// <summary>
/// Runs a <see cref="ProcessStepSpec"/>: a local program, its folders passed through <see cref="StepEnvironment"/>,
/// stdout and stderr kept in a <see cref="BoundedLog"/>, stdin closed. On timeout (or cancellation) the whole process
/// tree is killed, so a shell script's children do not outlive it. A program left running by a Conduit that was
/// killed is killed when its step runs again (<see cref="ProcessMarker"/>).
/// </summary>
/// <param name="markerDirectory">Where running programs are marked for clean-up after a crash; the default is under
/// the temp folder.</param>
public sealed class ProcessStepRunner(
    ILogger<ProcessStepRunner>? logger = null, int logCapacity = BoundedLog.DefaultCapacity, string? markerDirectory = null)
    : IStepRunner
{
    private readonly ProcessMarker _markers = new(markerDirectory ?? ProcessMarker.DefaultDirectory);

    /// <summary>How long to wait for a killed process tree to go and its pipes to close.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>
    /// Called with the pid right after the program started, before its marker names the pid: tests throw from it to
    /// stand for a Conduit killed at that moment.
    /// </summary>
    internal Action<int>? AfterStart { get; init; }

    public bool CanRun(StepSpec spec) => spec is ProcessStepSpec;

    public async Task<StepResult> RunAsync(StepSpec spec, StepContext context, CancellationToken cancellationToken)
    {
        var step = spec as ProcessStepSpec
            ?? throw new ArgumentException($"{nameof(ProcessStepRunner)} cannot run a {spec.GetType().Name}.", nameof(spec));
        ArgumentNullException.ThrowIfNull(context);
        foreach (var leftover in _markers.KillLeftover(context.JobId, step.Name))
        {
            StepLog.LeftoverKilled(_logger, step.Name, leftover);
        }
        StepOutput.Clear(context.OutputDirectory);
        var paramsFile = StepParamsFile.WriteInput(step, context);
        var log = new BoundedLog(logCapacity);
        var start = new ProcessStartInfo(step.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = step.WorkingDirectory ?? context.OutputDirectory,
        };
        foreach (var argument in step.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in step.Environment)
        {
            start.Environment[key] = value;
        }
        start.Environment[StepEnvironment.InputDirectory] = context.InputDirectory;
        start.Environment[StepEnvironment.OutputDirectory] = context.OutputDirectory;
        start.Environment[StepEnvironment.ParamsFile] = paramsFile;
        start.Environment[StepEnvironment.JobId] = context.JobId;
        start.Environment[StepEnvironment.StepName] = step.Name;
        // Marked before it starts: a Conduit killed right after the start finds the program by this id when it restarts.
        var runId = _markers.Begin(context.JobId, step.Name);
        start.Environment[StepEnvironment.RunId] = runId;

        using var process = new Process { StartInfo = start };
        var startedAt = DateTimeOffset.UtcNow;
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            _markers.Delete(context.JobId, step.Name);
            StepLog.ProcessNotStarted(_logger, step.Name, step.FileName, e.Message);
            return StepResults.NotStarted(startedAt, $"Could not start '{step.FileName}': {e.Message}");
        }
        AfterStart?.Invoke(process.Id);
        StepLog.ProcessStarted(_logger, step.Name, step.FileName, process.Id);
        _markers.Started(context.JobId, step.Name, runId, process.Id);
        process.StandardInput.Close();
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, log),
            PumpAsync(process.StandardError.BaseStream, log));

        var timedOut = false;
        using (var timeout = new CancellationTokenSource(step.Timeout))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillTree(process);
                await WaitGoneAsync(process, pumps).ConfigureAwait(false);
                _markers.Delete(context.JobId, step.Name);
                cancellationToken.ThrowIfCancellationRequested();
                timedOut = true;
                StepLog.TimedOut(_logger, step.Name, step.Timeout);
            }
        }
        await WaitGoneAsync(process, pumps).ConfigureAwait(false);
        _markers.Delete(context.JobId, step.Name);
        var endedAt = DateTimeOffset.UtcNow;
        var exitCode = process.HasExited ? process.ExitCode : -1;
        return StepResults.FromExit(exitCode, timedOut, step.Timeout, startedAt, endedAt, log, context);
    }

    private static async Task PumpAsync(Stream stream, BoundedLog log)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            log.Append(buffer.AsSpan(0, read));
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
    }

    private static async Task WaitGoneAsync(Process process, Task pumps)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(KillGrace).ConfigureAwait(false);
            // A descendant that escaped the tree kill (setsid) may hold the pipes open: do not wait for it forever.
            await pumps.WaitAsync(KillGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }
}
