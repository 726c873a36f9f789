using System.Globalization;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Steps.Containers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Pipeline.Steps;

/// <summary>
/// Runs a <see cref="ContainerStepSpec"/> through the Docker Engine API: image per pull policy, create (input
/// read-only, output read-write, static mounts read-only, network "none" unless asked, limits, labels
/// <c>conduit.job</c>/<c>conduit.step</c>), start, wait with a hard timeout (kill on expiry), logs, and remove — always,
/// in a finally. Engine errors (no engine, image missing and not pullable offline, bad mount) are a failed
/// <see cref="StepResult"/> whose error says what the engine said.
/// A container outlives a Conduit killed with SIGKILL; so a re-run of a step first removes any container left for
/// the same job and step, and <see cref="RemoveOrphansAsync"/> clears what a previous run of this node left.
/// </summary>
/// <param name="nodeId">This node's id, put on every container as <c>conduit.node</c>, so orphan clean-up on one node
/// leaves other nodes' containers alone (null on a single node: every Conduit container is this node's).</param>
public sealed class ContainerStepRunner(
    DockerEngineClient engine, ILogger<ContainerStepRunner>? logger = null, int logCapacity = BoundedLog.DefaultCapacity,
    string? nodeId = null) : IStepRunner
{
    public const string JobLabel = "conduit.job";
    public const string StepLabel = "conduit.step";
    public const string NodeLabel = "conduit.node";

    /// <summary>How long clean-up calls (kill, wait after kill, logs, remove) may take once the step is over.</summary>
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long the engine may take to create a container (the create is not cancelled: see CreateAsync).</summary>
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromMinutes(2);

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public bool CanRun(StepSpec spec) => spec is ContainerStepSpec;

    public async Task<StepResult> RunAsync(StepSpec spec, StepContext context, CancellationToken cancellationToken)
    {
        var step = spec as ContainerStepSpec
            ?? throw new ArgumentException($"{nameof(ContainerStepRunner)} cannot run a {spec.GetType().Name}.", nameof(spec));
        ArgumentNullException.ThrowIfNull(context);
        RequireAbsolute(step.InputDirectory, "input directory");
        RequireAbsolute(step.OutputDirectory, "output directory");
        StepOutput.Clear(context.OutputDirectory);
        StepParamsFile.WriteInput(step, context);
        if (step.User is not null && !OperatingSystem.IsWindows())
        {
            // A non-root container user must be able to write the output folder the host created.
            File.SetUnixFileMode(context.OutputDirectory, (UnixFileMode)Convert.ToInt32("777", 8));
        }

        var log = new BoundedLog(logCapacity);
        var startedAt = DateTimeOffset.UtcNow;
        string? id = null;
        try
        {
            await EnsureImageAsync(step, cancellationToken).ConfigureAwait(false);
            await RemoveLeftoversAsync(step, context.JobId, cancellationToken).ConfigureAwait(false);
            id = await CreateAsync(step, context).ConfigureAwait(false);
            // A cancel that came while the engine created the container is honoured now that its id is known: the
            // finally removes it.
            cancellationToken.ThrowIfCancellationRequested();
            await engine.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
            startedAt = DateTimeOffset.UtcNow;
            StepLog.ContainerStarted(_logger, step.Name, id, step.Image);

            var (exitCode, timedOut) = await WaitAsync(step, id, cancellationToken).ConfigureAwait(false);
            var endedAt = DateTimeOffset.UtcNow;
            using (var cleanup = new CancellationTokenSource(CleanupTimeout))
            {
                await engine.ReadLogsAsync(id, log, cleanup.Token).ConfigureAwait(false);
            }
            return StepResults.FromExit(exitCode, timedOut, step.Timeout, startedAt, endedAt, log, context);
        }
        catch (DockerEngineException e)
        {
            StepLog.EngineError(_logger, step.Name, e.Message);
            return StepResults.NotStarted(startedAt, e.Message, log) with { EndedAt = DateTimeOffset.UtcNow };
        }
        finally
        {
            if (id is not null)
            {
                await RemoveAsync(step, id).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Creates the step's container without the caller's cancellation: an engine that is sent a create and then sees
    /// its client go goes on and makes the container, whose id then reaches no one, so it would stay until the next
    /// start's orphan clean-up. Waiting for the answer (a second or so; at most <see cref="CreateTimeout"/>) lets the
    /// caller remove it.
    /// </summary>
    private async Task<string> CreateAsync(ContainerStepSpec step, StepContext context)
    {
        using var timeout = new CancellationTokenSource(CreateTimeout);
        try
        {
            return await engine.CreateContainerAsync(CreateSpec(step, context), null, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new DockerEngineException(string.Create(CultureInfo.InvariantCulture,
                $"The container engine did not create the container within {CreateTimeout.TotalSeconds:0} s."));
        }
    }

    /// <summary>
    /// Removes every container this node left behind (a crash or SIGKILL of Conduit leaves its step containers
    /// running). Call at start-up, before workers take jobs. Returns how many were removed.
    /// </summary>
    public async Task<int> RemoveOrphansAsync(CancellationToken cancellationToken)
    {
        var filter = new Dictionary<string, string?> { [nodeId is null ? JobLabel : NodeLabel] = nodeId };
        var orphans = await engine.ListContainersAsync(filter, cancellationToken).ConfigureAwait(false);
        foreach (var id in orphans)
        {
            await engine.RemoveContainerAsync(id, cancellationToken).ConfigureAwait(false);
            StepLog.OrphanRemoved(_logger, id);
        }
        return orphans.Count;
    }

    /// <summary>A container of an earlier attempt of this very step (the job is running again after a crash).</summary>
    private async Task RemoveLeftoversAsync(ContainerStepSpec step, string jobId, CancellationToken cancellationToken)
    {
        var filter = new Dictionary<string, string?> { [JobLabel] = jobId, [StepLabel] = step.Name };
        foreach (var id in await engine.ListContainersAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            await engine.RemoveContainerAsync(id, cancellationToken).ConfigureAwait(false);
            StepLog.OrphanRemoved(_logger, id);
        }
    }

    private async Task EnsureImageAsync(ContainerStepSpec step, CancellationToken cancellationToken)
    {
        if (step.PullPolicy is PullPolicy.Always or PullPolicy.Try)
        {
            StepLog.Pulling(_logger, step.Name, step.Image);
            try
            {
                await engine.PullImageAsync(step.Image, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DockerEngineException ex) when (step.PullPolicy == PullPolicy.Try)
            {
                // 'try' (DicomFlow's pull_before_exec) runs the local image when the registry cannot be reached.
                if (!await engine.ImageExistsAsync(step.Image, cancellationToken).ConfigureAwait(false)) throw;
                StepLog.PullFailedUsingLocal(_logger, step.Name, step.Image, ex.Message);
                return;
            }
        }
        if (await engine.ImageExistsAsync(step.Image, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (step.PullPolicy == PullPolicy.Never)
        {
            throw new DockerEngineException($"Image {step.Image} is not present and the step's pull policy is 'never'.");
        }
        StepLog.Pulling(_logger, step.Name, step.Image);
        await engine.PullImageAsync(step.Image, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the container; on timeout kills it and reports timed out. Caller cancellation propagates.</summary>
    private async Task<(int ExitCode, bool TimedOut)> WaitAsync(ContainerStepSpec step, string id, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(step.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return (await engine.WaitContainerAsync(id, linked.Token).ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            StepLog.TimedOut(_logger, step.Name, step.Timeout);
            using var cleanup = new CancellationTokenSource(CleanupTimeout);
            await engine.KillContainerAsync(id, cleanup.Token).ConfigureAwait(false);
            return (await engine.WaitContainerAsync(id, cleanup.Token).ConfigureAwait(false), true);
        }
    }

    private async Task RemoveAsync(ContainerStepSpec step, string id)
    {
        try
        {
            using var cleanup = new CancellationTokenSource(CleanupTimeout);
            await engine.RemoveContainerAsync(id, cleanup.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockerEngineException or OperationCanceledException)
        {
            StepLog.RemoveFailed(_logger, step.Name, id, e.Message);
        }
    }

    private ContainerCreateSpec CreateSpec(ContainerStepSpec step, StepContext context)
    {
        var environment = step.Environment.Select(e => $"{e.Key}={e.Value}").ToList();
        environment.Add($"{StepEnvironment.InputDirectory}={step.InputDirectory}");
        environment.Add($"{StepEnvironment.OutputDirectory}={step.OutputDirectory}");
        environment.Add($"{StepEnvironment.ParamsFile}={step.InputDirectory.TrimEnd('/')}/{StepParamsFile.FileName}");
        environment.Add($"{StepEnvironment.JobId}={context.JobId}");
        environment.Add($"{StepEnvironment.StepName}={step.Name}");
        var binds = new List<string>
        {
            $"{Bindable(context.InputDirectory)}:{step.InputDirectory}:ro",
            $"{Bindable(context.OutputDirectory)}:{step.OutputDirectory}",
        };
        foreach (var mount in step.StaticMounts)
        {
            RequireAbsolute(mount.ContainerPath, "static mount");
            binds.Add($"{Bindable(mount.HostPath)}:{mount.ContainerPath}:ro");
        }
        return new ContainerCreateSpec(step.Image)
        {
            Command = step.Command,
            Environment = environment,
            Binds = binds,
            NetworkMode = step.Network ? "bridge" : "none",
            MemoryBytes = step.MemoryBytes,
            NanoCpus = step.Cpus is { } cpus ? (long)Math.Round(cpus * 1e9) : null,
            GpuCount = step.Gpus,
            User = step.User,
            Labels = nodeId is null
                ? new Dictionary<string, string> { [JobLabel] = context.JobId, [StepLabel] = step.Name }
                : new Dictionary<string, string> { [JobLabel] = context.JobId, [StepLabel] = step.Name, [NodeLabel] = nodeId },
        };
    }

    /// <summary>A host path for a bind: absolute, and without the ':' that would split the bind specification.</summary>
    private static string Bindable(string hostPath)
    {
        var full = Path.GetFullPath(hostPath);
        return full.Contains(':', StringComparison.Ordinal)
            ? throw new ArgumentException($"Host path '{hostPath}' contains ':' and cannot be mounted into a container.")
            : full;
    }

    private static void RequireAbsolute(string containerPath, string what)
    {
        if (!containerPath.StartsWith('/') || containerPath.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The container {what} '{containerPath}' must be an absolute path without ':'."));
        }
    }
}
