using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>
/// What one hostile peer left behind: SOP Instance UIDs it began to send and never finished (or that were refused),
/// and instances it stored in full along the way.
/// </summary>
internal sealed record HostileOutcome(IReadOnlyList<string> UnfinishedInstances, IReadOnlyList<GeneratedInstance>? StoredInstances = null)
{
    public static readonly HostileOutcome Nothing = new([]);

    public IReadOnlyList<GeneratedInstance> Stored => StoredInstances ?? [];
}
