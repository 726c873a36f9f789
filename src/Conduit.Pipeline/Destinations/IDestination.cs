namespace Conduit.Pipeline.Destinations;

/// <summary>
/// Somewhere a job's results go: a DICOM node, a folder, a DICOMweb server. One attempt delivers what it can and says,
/// per item, what was acknowledged; retries, the circuit breaker and the no-duplicates ledger are the caller's
/// (<see cref="DeliveryRunner"/>), so every destination gets them the same way.
/// </summary>
public interface IDestination
{
    /// <summary>The destination's name in the flow (for logs, the ledger and the circuit breaker).</summary>
    string Name { get; }

    ValueTask<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken);
}
