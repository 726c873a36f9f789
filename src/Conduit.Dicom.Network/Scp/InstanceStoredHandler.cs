using System.Net;

namespace Conduit.Dicom.Network.Scp;

/// <summary>An instance written, validated and moved into place: what the pipeline records.</summary>
public sealed record StoredInstance(
    string AssociationId,
    string CallingAeTitle,
    string CalledAeTitle,
    IPEndPoint? RemoteEndPoint,
    string SopClassUid,
    string SopInstanceUid,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string? PatientId,
    string? Modality,
    string TransferSyntaxUid,
    string FilePath,
    long FileSize,
    bool ReplacedExisting,
    DateTimeOffset ReceivedAt)
{
    /// <summary>
    /// The data set as the SCP read it to validate the instance (values in memory, sequences parsed on first access),
    /// so that a consumer need not read the file again: every element but binary values over 1 KiB (Pixel Data and
    /// the like, which stay in the file). Null when the instance was too large to be read from memory. Valid while
    /// <see cref="IInstanceStoredHandler.OnInstanceStoredAsync"/> runs; do not modify it.
    /// </summary>
    public DicomDataset? Dataset { get; init; }
}

/// <summary>How an association ended.</summary>
public enum AssociationEnd
{
    Released,
    AbortedByPeer,
    AbortedLocally,
    ConnectionLost,
    TimedOut,
}

/// <summary>An association that was accepted and has ended, with what it brought.</summary>
public sealed record AssociationSummary(
    string AssociationId,
    string CallingAeTitle,
    string CalledAeTitle,
    IPEndPoint? RemoteEndPoint,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    int InstancesStored,
    int InstancesFailed,
    long BytesStored,
    AssociationEnd End);

/// <summary>
/// Receives each stored instance. <see cref="OnInstanceStoredAsync"/> is awaited before the SCP answers the C-STORE,
/// so an implementation that records the instance durably makes the success response mean "recorded"; if it throws,
/// the SCP answers 0xA700 (out of resources) and the peer may send again. Calls for one association are sequential;
/// different associations call concurrently.
/// </summary>
public interface IInstanceStoredHandler
{
    ValueTask OnInstanceStoredAsync(StoredInstance instance, CancellationToken cancellationToken);

    /// <summary>After the association ends (released, aborted or lost): a completeness signal for grouping.</summary>
    ValueTask OnAssociationClosedAsync(AssociationSummary association, CancellationToken cancellationToken);
}
