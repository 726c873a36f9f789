using System.Net;
using Microsoft.Extensions.Logging;

namespace Conduit.Dicom.Network.Logging;

/// <summary>
/// Log messages of the network layer. Event ids: 2000-2099 listener, 2100-2199 association (SCP), 2200-2299 storage,
/// 2300-2399 SCU, 2900-2999 per-PDU tracing.
/// </summary>
internal static partial class NetworkLog
{
    [LoggerMessage(2000, LogLevel.Information, "Listening on {EndPoint} as {AeTitle}")]
    public static partial void Listening(this ILogger logger, EndPoint endPoint, string aeTitle);

    [LoggerMessage(2001, LogLevel.Information, "Stopped listening; waiting up to {Grace} for {Open} open association(s)")]
    public static partial void Stopping(this ILogger logger, TimeSpan grace, int open);

    [LoggerMessage(2002, LogLevel.Warning, "Connection from {Remote} closed at once: {Open} connections already open")]
    public static partial void TooManyConnections(this ILogger logger, EndPoint? remote, int open);

    [LoggerMessage(2003, LogLevel.Error, "Accept loop failed")]
    public static partial void AcceptFailed(this ILogger logger, Exception exception);

    [LoggerMessage(2100, LogLevel.Information, "Association {AssociationId} opened: {CallingAe} -> {CalledAe} from {Remote}, {Accepted} of {Proposed} presentation contexts accepted, max PDU {PeerMaxPdu}")]
    public static partial void AssociationOpened(this ILogger logger, string associationId, string callingAe, string calledAe, EndPoint? remote, int accepted, int proposed, uint peerMaxPdu);

    [LoggerMessage(2101, LogLevel.Information, "Association {AssociationId} closed ({How}): {Stored} stored, {Failed} failed, {Bytes} bytes in {Seconds:0.000} s")]
    public static partial void AssociationClosed(this ILogger logger, string associationId, string how, int stored, int failed, long bytes, double seconds);

    [LoggerMessage(2102, LogLevel.Warning, "Association {AssociationId} from {CallingAe} at {Remote} rejected: {Why}")]
    public static partial void AssociationRejected(this ILogger logger, string associationId, string callingAe, EndPoint? remote, string why);

    [LoggerMessage(2103, LogLevel.Warning, "Association {AssociationId} aborted: {Why}")]
    public static partial void AssociationAbortedLocally(this ILogger logger, string associationId, string why);

    [LoggerMessage(2104, LogLevel.Warning, "Association {AssociationId}: peer aborted (source {Source}, reason {Reason})")]
    public static partial void AssociationAbortedByPeer(this ILogger logger, string associationId, byte source, byte reason);

    [LoggerMessage(2105, LogLevel.Debug, "Association {AssociationId}: presentation context {Context} refused: {Result}")]
    public static partial void ContextRefused(this ILogger logger, string associationId, string context, string result);

    [LoggerMessage(2106, LogLevel.Warning, "Connection from {Remote} closed: ARTIM timer expired before {What}")]
    public static partial void ArtimExpired(this ILogger logger, EndPoint? remote, string what);

    [LoggerMessage(2107, LogLevel.Error, "Association {AssociationId} failed")]
    public static partial void AssociationFailed(this ILogger logger, string associationId, Exception exception);

    [LoggerMessage(2108, LogLevel.Warning, "Association {AssociationId}: unsupported command {Command} answered {Status}")]
    public static partial void UnsupportedCommand(this ILogger logger, string associationId, string command, string status);

    [LoggerMessage(2200, LogLevel.Debug, "Stored {SopInstanceUid} ({Bytes} bytes) from {CallingAe} at {Path}")]
    public static partial void InstanceStored(this ILogger logger, string sopInstanceUid, long bytes, string callingAe, string path);

    [LoggerMessage(2201, LogLevel.Warning, "Instance {SopInstanceUid} from {CallingAe} refused with status {Status}: {Why}")]
    public static partial void InstanceFailed(this ILogger logger, string sopInstanceUid, string callingAe, string status, string why);

    [LoggerMessage(2202, LogLevel.Warning, "Instance {SopInstanceUid} already stored at {Path}: overwritten")]
    public static partial void DuplicateOverwritten(this ILogger logger, string sopInstanceUid, string path);

    [LoggerMessage(2203, LogLevel.Error, "Stored-instance handler failed for {SopInstanceUid}: answered out of resources")]
    public static partial void HandlerFailed(this ILogger logger, string sopInstanceUid, Exception exception);

    [LoggerMessage(2204, LogLevel.Error, "Association-closed handler failed for association {AssociationId}")]
    public static partial void ClosedHandlerFailed(this ILogger logger, string associationId, Exception exception);

    [LoggerMessage(2300, LogLevel.Information, "Association {AssociationId} to {Remote} as {CallingAe} -> {CalledAe}: {Accepted} of {Proposed} presentation contexts accepted, peer max PDU {PeerMaxPdu}")]
    public static partial void ScuAssociated(this ILogger logger, string associationId, EndPoint? remote, string callingAe, string calledAe, int accepted, int proposed, uint peerMaxPdu);

    [LoggerMessage(2301, LogLevel.Warning, "Connection to {Remote} failed (attempt {Attempt} of {Attempts}), retrying in {Delay}: {Why}")]
    public static partial void ScuRetry(this ILogger logger, string remote, int attempt, int attempts, TimeSpan delay, string why);

    [LoggerMessage(2302, LogLevel.Debug, "Sent {Path} as {SopInstanceUid}: {Status}")]
    public static partial void ScuSent(this ILogger logger, string path, string sopInstanceUid, string status);

    [LoggerMessage(2900, LogLevel.Trace, "Association {AssociationId} received {Pdu}")]
    public static partial void PduReceived(this ILogger logger, string associationId, string pdu);

    [LoggerMessage(2901, LogLevel.Trace, "Association {AssociationId} received {Command} on context {ContextId}")]
    public static partial void CommandReceived(this ILogger logger, string associationId, string command, byte contextId);
}
