namespace Conduit.Pipeline.Grouping;

/// <summary>The batch an instance was added to.</summary>
/// <param name="BatchId">The open batch's id.</param>
/// <param name="Opened">True when this instance opened the batch.</param>
/// <param name="FollowsClosedBatch">
/// True when a batch with the same key closed earlier: the instance arrived late, and opens a new batch rather than
/// being merged into work that has already started.
/// </param>
/// <param name="Duplicate">True when the batch already held this SOP Instance UID (a resend); it is not counted again.</param>
public readonly record struct BatchAddResult(string BatchId, bool Opened, bool FollowsClosedBatch, bool Duplicate);
