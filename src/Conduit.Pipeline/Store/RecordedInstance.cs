namespace Conduit.Pipeline.Store;

/// <summary>
/// The outcome of recording an instance: whether an instance with the same SOP Instance UID was already stored (its
/// row was replaced), and the id of each batch it joined, in the order the memberships were given. These are the
/// batches actually used, which with several nodes on one database may differ from the ids the memberships named
/// (see <see cref="BatchMembership"/>). <see cref="OtherNodesBatchIds"/> are those among them that belong to another
/// node: that node closes them, so the recording node does not track them.
/// </summary>
public sealed record RecordedInstance(string SopInstanceUid, bool Replaced, IReadOnlyList<string> BatchIds)
{
    public IReadOnlyList<string> OtherNodesBatchIds { get; init; } = [];
}
