namespace Conduit.Pipeline.Store;

/// <summary>
/// The outcome of recording an instance: whether an instance with the same SOP Instance UID was already stored (its
/// row was replaced), and the id of each batch it joined, in the order the memberships were given.
/// </summary>
public sealed record RecordedInstance(string SopInstanceUid, bool Replaced, IReadOnlyList<string> BatchIds);
