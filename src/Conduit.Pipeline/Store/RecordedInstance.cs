namespace Conduit.Pipeline.Store;

/// <summary>
/// The outcome of recording an instance: the open series and study batches it now belongs to, and whether an
/// instance with the same SOP Instance UID was already stored (its row and file were replaced).
/// </summary>
public sealed record RecordedInstance(string SopInstanceUid, bool Replaced, string SeriesBatchId, string StudyBatchId);
