namespace Conduit.Pipeline.Destinations;

/// <summary>One instance file to deliver, with the UIDs that place it and identify it to the ledger.</summary>
public sealed record DeliveryItem(string Path, string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid);

/// <summary>What happened to one item at one attempt.</summary>
/// <param name="Acknowledged">The destination confirmed it (C-STORE success or warning, file in place, STOW-RS stored).</param>
/// <param name="Transient">A failure that may pass (connection refused, timeout, out of resources): worth retrying.</param>
public sealed record DeliveryOutcome(DeliveryItem Item, bool Acknowledged, bool Transient, string? Error)
{
    public static DeliveryOutcome Success(DeliveryItem item) => new(item, true, false, null);
    public static DeliveryOutcome TransientFailure(DeliveryItem item, string error) => new(item, false, true, error);
    public static DeliveryOutcome PermanentFailure(DeliveryItem item, string error) => new(item, false, false, error);
}
