namespace Conduit.Pipeline.Flows.Model;

/// <summary>
/// A step that runs a container (through the Docker Engine API): the job's input folder is mounted at
/// <see cref="InputDir"/>, an empty output folder at <see cref="OutputDir"/>; the container's network is off unless asked for.
/// </summary>
public sealed record ContainerStepDefinition : FlowStepDefinition
{
    public const string DefaultInputDir = "/input";
    public const string DefaultOutputDir = "/output";

    public override StepKind Kind => StepKind.Container;

    public required string Image { get; init; }

    /// <summary>The command (argv); null keeps the image's CMD.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>The entrypoint (argv); null keeps the image's ENTRYPOINT.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string InputDir { get; init; } = DefaultInputDir;
    public string OutputDir { get; init; } = DefaultOutputDir;

    /// <summary>Hard timeout (the container is killed); null uses <c>workers.step_timeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    public PullPolicy Pull { get; init; } = PullPolicy.Missing;

    /// <summary>Read-only mounts.</summary>
    public IReadOnlyList<StaticMount> Mounts { get; init; } = [];

    /// <summary>GPUs requested; null for none.</summary>
    public GpuRequest? Gpu { get; init; }

    /// <summary>Whether the container gets a network (off by default: a model has no business calling out).</summary>
    public bool Network { get; init; }

    /// <summary>CPU limit in CPUs (e.g. 1.5); null for no limit.</summary>
    public double? Cpus { get; init; }

    /// <summary>Memory limit in bytes; null for no limit.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>User (and group) to run as, e.g. "1000:1000"; null keeps the image's.</summary>
    public string? User { get; init; }
}
