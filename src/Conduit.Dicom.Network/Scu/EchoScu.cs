using System.Diagnostics;
using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Dicom.Network.Scu;

/// <summary>C-ECHO as SCU (PS3.7 §9.1.5): associate with the Verification SOP Class, echo, release.</summary>
public static class EchoScu
{
    /// <returns>The round-trip time, association included.</returns>
    /// <exception cref="AssociationException">Rejected, aborted, or the echo did not succeed.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The peer could not be reached.</exception>
    public static async Task<TimeSpan> EchoAsync(string host, int port, ScuOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var watch = Stopwatch.StartNew();
        PresentationContextRequest[] contexts =
            [new(1, DicomUids.Verification, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid])];
        await using var association = await ScuAssociation.ConnectAsync(host, port, contexts, options, logger ?? NullLogger.Instance, cancellationToken).ConfigureAwait(false);
        var status = await association.EchoAsync(cancellationToken).ConfigureAwait(false);
        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        if (!status.IsSuccess) throw new AssociationException($"C-ECHO answered {status}");
        return watch.Elapsed;
    }
}
