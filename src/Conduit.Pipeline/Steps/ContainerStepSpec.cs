using Conduit.Pipeline.Flows.Model;

namespace Conduit.Pipeline.Steps;

/// <summary>
/// A step run as a container through the Docker Engine API. The step's input folder is mounted read-only at
/// <see cref="InputDirectory"/> and its output folder read-write at <see cref="OutputDirectory"/>; the network is off
/// unless <see cref="Network"/> is set.
/// </summary>
public sealed record ContainerStepSpec(string Name, string Image, TimeSpan Timeout) : StepSpec(Name, Timeout)
{
    public const string DefaultInputDirectory = "/input";
    public const string DefaultOutputDirectory = "/output";

    /// <summary>The command (replaces the image's CMD); empty keeps the image's.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string InputDirectory { get; init; } = DefaultInputDirectory;

    public string OutputDirectory { get; init; } = DefaultOutputDirectory;

    public PullPolicy PullPolicy { get; init; } = PullPolicy.Missing;

    public IReadOnlyList<StaticMount> StaticMounts { get; init; } = [];

    /// <summary>GPUs to request: null none, -1 all, otherwise a count (Docker DeviceRequests, driver capability "gpu").</summary>
    public int? Gpus { get; init; }

    /// <summary>Give the container a network (bridge). Off by default: a step sees only its input.</summary>
    public bool Network { get; init; }

    /// <summary>Memory limit in bytes; null for none.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>CPU limit in CPUs (1.5 = one and a half); null for none.</summary>
    public double? Cpus { get; init; }

    /// <summary>User (and group) to run as, e.g. "1000:1000"; null for the image's.</summary>
    public string? User { get; init; }
}
