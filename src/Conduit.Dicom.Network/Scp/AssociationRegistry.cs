using System.Collections.Concurrent;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// The SCP's accepted associations that are still open: who called, from where, since when, and how many instances
/// each has stored so far. Associations add themselves once accepted (PS3.8 Sta6) and leave when they end. The last
/// <see cref="KeptEnded"/> that ended are kept too: an echo or a short send is over in milliseconds, before anyone
/// could see it open.
/// </summary>
public sealed class AssociationRegistry(IAssociationObserver? observer = null)
{
    /// <summary>How many ended associations <see cref="RecentlyEnded"/> remembers.</summary>
    public const int KeptEnded = 50;

    private readonly ConcurrentDictionary<string, ScpAssociation> _open = new(StringComparer.Ordinal);
    private readonly Queue<ActiveAssociation> _ended = new();

    public int Count => _open.Count;

    /// <summary>Every open association, oldest first.</summary>
    public IReadOnlyList<ActiveAssociation> Snapshot() =>
        _open.Values.Select(a => a.Snapshot()).OrderBy(a => a.StartedAt).ThenBy(a => a.AssociationId, StringComparer.Ordinal).ToList();

    /// <summary>The last associations that ended (released, aborted or lost), newest first, each with its end time.</summary>
    public IReadOnlyList<ActiveAssociation> RecentlyEnded()
    {
        lock (_ended) return _ended.Reverse().ToList();
    }

    internal void Opened(ScpAssociation association)
    {
        _open[association.Id] = association;
        observer?.Opened(association.Snapshot());
    }

    internal void Closed(ScpAssociation association)
    {
        if (!_open.TryRemove(association.Id, out _)) return;
        var ended = association.Snapshot() with { EndedAt = DateTimeOffset.UtcNow };
        lock (_ended)
        {
            _ended.Enqueue(ended);
            if (_ended.Count > KeptEnded) _ended.Dequeue();
        }
        observer?.Closed(ended);
    }
}
