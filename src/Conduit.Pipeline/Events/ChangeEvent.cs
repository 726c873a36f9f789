namespace Conduit.Pipeline.Events;

/// <summary>
/// One change in the pipeline, small enough to publish on every state change: it names what changed, not its whole
/// new state; a reader (the dashboard) fetches what it needs. <see cref="Id"/> is the SOP Instance UID, batch id, job
/// id or association id by <see cref="Kind"/>; <see cref="Name"/> names a job's step or destination.
/// </summary>
public sealed record ChangeEvent(
    ChangeKind Kind,
    string Id,
    string? Status = null,
    string? Name = null,
    string? Flow = null,
    string? StudyInstanceUid = null,
    string? SeriesInstanceUid = null)
{
    /// <summary>When the feed saw it (set by <see cref="ChangeFeed.Publish"/>).</summary>
    public DateTimeOffset At { get; init; }
}
