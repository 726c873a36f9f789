namespace Conduit.Pipeline.Flows.Model;

/// <summary>GPUs a container step asks for: a count, every GPU, or specific device ids.</summary>
/// <param name="Count">How many GPUs; -1 for all of them. Ignored when <paramref name="DeviceIds"/> is not empty.</param>
/// <param name="DeviceIds">Specific devices (index or UUID, as nvidia-smi shows them).</param>
public sealed record GpuRequest(int Count, IReadOnlyList<string> DeviceIds)
{
    public const int All = -1;

    public override string ToString() =>
        DeviceIds.Count > 0 ? $"devices {string.Join(',', DeviceIds)}" : Count == All ? "all" : $"{Count}";
}
