namespace Conduit.Pipeline.Store;

/// <summary>
/// A study search (QIDO-RS, PS3.18 §10.6): every given key must match. <see cref="PatientId"/> and
/// <see cref="AccessionNumber"/> may hold the wildcards <c>*</c> and <c>?</c> (PS3.4 §C.2.2.2.4); dates are
/// <c>YYYYMMDD</c> bounds, either of which may be open.
/// </summary>
public sealed record StudyQuery
{
    public IReadOnlyList<string> StudyInstanceUids { get; init; } = [];
    public string? PatientId { get; init; }
    public string? AccessionNumber { get; init; }
    public string? StudyDateFrom { get; init; }
    public string? StudyDateTo { get; init; }
    public string? Modality { get; init; }
    public int Limit { get; init; } = 100;
    public int Offset { get; init; }

    /// <summary>Most recently updated study first (the dashboard), instead of newest study date first (QIDO-RS).</summary>
    public bool RecentFirst { get; init; }
}
