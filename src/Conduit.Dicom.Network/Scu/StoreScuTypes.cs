using Conduit.Dicom.Network.Dimse;

namespace Conduit.Dicom.Network.Scu;

/// <summary>The outcome of one file given to <see cref="StoreScu.SendAsync"/>.</summary>
public sealed record StoreScuResult(string Path, string? SopClassUid, string? SopInstanceUid, DicomStatus? Status, string? Error, long Bytes)
{
    /// <summary>Stored by the peer: success or a warning status (PS3.4 §B.2.3).</summary>
    public bool Succeeded => Status is { IsStored: true };

    /// <summary>Why it failed, for a log line: the status, or the local reason.</summary>
    public string FailureReason =>
        Error ?? (Status is { } s ? $"status 0x{s.Code:X4} ({s.Description})" : "not sent");
}

/// <summary>Progress of a send: files finished so far.</summary>
public readonly record struct StoreScuProgress(int Completed, int Total, int Failed, long Bytes);

/// <summary>Everything a send did.</summary>
public sealed record StoreScuReport(IReadOnlyList<StoreScuResult> Results, TimeSpan Elapsed, string? NetworkError, bool AnyAssociationEstablished)
{
    public int Sent => Results.Count(r => r.Succeeded);
    public int Failed => Results.Count - Sent;
    public long BytesSent => Results.Where(r => r.Succeeded).Sum(r => r.Bytes);

    /// <summary>No association could be established at all: the peer is unreachable or refused every request.</summary>
    public bool PeerUnreachable => !AnyAssociationEstablished && NetworkError is not null;
}

/// <summary>A file read ahead of sending: what the presentation contexts are built from.</summary>
internal sealed record ScuFile(int Index, string Path, string SopClassUid, string SopInstanceUid, DicomTransferSyntax Syntax, long DatasetOffset, long Length);
