using System.Collections.Concurrent;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// The SCP's accepted associations that are still open: who called, from where, since when, and how many instances
/// each has stored so far. Associations add themselves once accepted (PS3.8 Sta6) and leave when they end.
/// </summary>
public sealed class AssociationRegistry(IAssociationObserver? observer = null)
{
    private readonly ConcurrentDictionary<string, ScpAssociation> _open = new(StringComparer.Ordinal);

    public int Count => _open.Count;

    /// <summary>Every open association, oldest first.</summary>
    public IReadOnlyList<ActiveAssociation> Snapshot() =>
        _open.Values.Select(a => a.Snapshot()).OrderBy(a => a.StartedAt).ThenBy(a => a.AssociationId, StringComparer.Ordinal).ToList();

    internal void Opened(ScpAssociation association)
    {
        _open[association.Id] = association;
        observer?.Opened(association.Snapshot());
    }

    internal void Closed(ScpAssociation association)
    {
        if (_open.TryRemove(association.Id, out _)) observer?.Closed(association.Snapshot());
    }
}
