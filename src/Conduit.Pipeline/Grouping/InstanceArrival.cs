using Conduit.Pipeline.Flows.Matching;

namespace Conduit.Pipeline.Grouping;

/// <summary>What the batch tracker needs to know of an instance that was stored and matched a flow.</summary>
/// <param name="SopInstanceUid">Counts distinct instances: a resent instance does not count twice.</param>
/// <param name="SeriesInstanceUid">The instance's series (for study batches: which series are present).</param>
/// <param name="AssociationId">The association that delivered it; null for instances not received over DIMSE (HTTP, folders).</param>
/// <param name="ExpectedCount">
/// The instance count the data announces for the batch's scope, when it does: Number of Series Related Instances
/// (0020,1209) for a series, Number of Study Related Instances (0020,1208) for a study. Null when absent.
/// </param>
/// <param name="RequirementsMet">
/// The names of the batch rule's <see cref="SeriesRequirement"/>s this instance meets, found from its whole header when
/// it was read (so a requirement may test any tag without the tracker keeping headers in memory).
/// </param>
public sealed record InstanceArrival(
    string SopInstanceUid,
    string SeriesInstanceUid,
    string? AssociationId,
    int? ExpectedCount = null,
    IReadOnlySet<string>? RequirementsMet = null)
{
    /// <summary>The names of the <paramref name="requirements"/> that the instance with these tag values meets.</summary>
    public static IReadOnlySet<string> Meeting(IReadOnlyList<SeriesRequirement> requirements, ITagValues values) =>
        requirements.Where(r => r.IsSatisfiedBy(values)).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
}
