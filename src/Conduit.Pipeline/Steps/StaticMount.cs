namespace Conduit.Pipeline.Steps;

/// <summary>A host folder mounted read-only into a container step (model weights, reference data).</summary>
public sealed record StaticMount(string HostPath, string ContainerPath);
