namespace Conduit.Pipeline.Destinations;

/// <summary>
/// Remembers which instances a destination acknowledged for a job, durably, so that a retry or a restart never sends
/// an acknowledged instance to the same destination again for that job.
/// </summary>
public interface IDeliveryLedger
{
    ValueTask<IReadOnlySet<string>> AcknowledgedAsync(string jobId, string destination, CancellationToken cancellationToken);

    ValueTask RecordAcknowledgedAsync(string jobId, string destination, IReadOnlyList<string> sopInstanceUids, CancellationToken cancellationToken);
}
