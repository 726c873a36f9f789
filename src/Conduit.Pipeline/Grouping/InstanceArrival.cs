namespace Conduit.Pipeline.Grouping;

/// <summary>What the batch tracker needs to know of an instance that was stored and matched a flow.</summary>
/// <param name="SopInstanceUid">Counts distinct instances: a resent instance does not count twice.</param>
/// <param name="SeriesInstanceUid">The instance's series (for study batches: which series are present).</param>
/// <param name="AssociationId">The association that delivered it; null for instances not received over DIMSE (HTTP, folders).</param>
/// <param name="ExpectedCount">
/// The instance count the data announces for the batch's scope, when it does: Number of Series Related Instances
/// (0020,1209) for a series, Number of Study Related Instances (0020,1208) for a study. Null when absent.
/// </param>
/// <param name="Tags">Key tags (keyword → value) that series requirements may test, e.g. Modality, SeriesDescription.</param>
public sealed record InstanceArrival(
    string SopInstanceUid,
    string SeriesInstanceUid,
    string? AssociationId,
    int? ExpectedCount = null,
    IReadOnlyDictionary<string, string>? Tags = null);
