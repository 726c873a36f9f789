namespace Conduit.Pipeline.Grouping;

/// <summary>A batch the tracker decided is complete.</summary>
/// <param name="BatchId">The id given when the batch opened (or restored).</param>
/// <param name="Key">Scope, UID and flow.</param>
/// <param name="Reason">The signal that closed it.</param>
/// <param name="InstanceCount">Distinct instances in the batch.</param>
/// <param name="OpenedAt">When its first instance arrived (UTC).</param>
/// <param name="ClosedAt">When it was closed (UTC).</param>
/// <param name="MissingRequiredSeries">Names of required series not present (study scope closed by quiet time); empty otherwise.</param>
public sealed record ClosedBatch(
    string BatchId,
    BatchKey Key,
    BatchCloseReason Reason,
    int InstanceCount,
    DateTimeOffset OpenedAt,
    DateTimeOffset ClosedAt,
    IReadOnlyList<string> MissingRequiredSeries)
{
    public string Describe() => Reason switch
    {
        BatchCloseReason.ExpectedCountReached => $"expected instance count reached ({InstanceCount})",
        BatchCloseReason.AssociationsEnded => $"delivering associations ended ({InstanceCount} instances)",
        BatchCloseReason.QuietTime when MissingRequiredSeries.Count > 0 =>
            $"quiet time elapsed ({InstanceCount} instances); required series missing: {string.Join(", ", MissingRequiredSeries)}",
        BatchCloseReason.QuietTime => $"quiet time elapsed ({InstanceCount} instances)",
        _ => $"closed on request ({InstanceCount} instances)",
    };
}
