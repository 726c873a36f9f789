using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Logging;
using Conduit.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Conduit.Dicom.Network.Scu;

/// <summary>
/// The requestor's side of an association (PS3.8 §9.2): Sta4/Sta5 (connect, A-ASSOCIATE-RQ, wait for AC/RJ), Sta6
/// (one DIMSE request at a time, its response awaited), Sta7 (A-RELEASE-RQ sent, waiting for RP) with the release
/// collision of Sta9/Sta11 handled: when the peer also asks to release, we answer A-RELEASE-RP and then wait for its own.
/// </summary>
public sealed class ScuAssociation : IAsyncDisposable
{
    private readonly UpperLayerConnection _connection;
    private readonly ScuOptions _options;
    private readonly ILogger _logger;
    private readonly ArrayBufferWriter<byte> _command = new(512);
    private byte[]? _pduBuffer;
    private ushort _nextMessageId = 1;
    private bool _closed;

    private ScuAssociation(UpperLayerConnection connection, ScuOptions options, ILogger logger, string id)
    {
        _connection = connection;
        _options = options;
        _logger = logger;
        Id = id;
    }

    public string Id { get; }

    public AssociateAcceptPdu Accept { get; private set; } = null!;

    /// <summary>Maximum PDU length the peer receives (0: no limit).</summary>
    public uint PeerMaxPduLength => Accept.UserInformation.MaxPduLength;

    public IReadOnlyList<PresentationContextRequest> Proposed { get; private set; } = [];

    /// <summary>Connects, negotiates, and returns the established association; throws <see cref="AssociationException"/> on rejection.</summary>
    public static async Task<ScuAssociation> ConnectAsync(string host, int port, IReadOnlyList<PresentationContextRequest> contexts,
        ScuOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(host, port, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new SocketException((int)SocketError.TimedOut);
                }
            }
            var connection = new UpperLayerConnection(socket, new PduReader(options.MaxPduLength));
            var association = new ScuAssociation(connection, options, logger, Guid.NewGuid().ToString("N")[..8]);
            try
            {
                await association.NegotiateAsync(contexts, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await association.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return association;
        }
        catch when (!socket.Connected)
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task NegotiateAsync(IReadOnlyList<PresentationContextRequest> contexts, CancellationToken cancellationToken)
    {
        Proposed = contexts;
        var rq = new AssociateRequestPdu
        {
            CalledAeTitle = _options.CalledAeTitle,
            CallingAeTitle = _options.CallingAeTitle,
            PresentationContexts = contexts,
            UserInformation = new UserInformation { MaxPduLength = _options.MaxPduLength, UserIdentity = _options.UserIdentity },
        };
        await _connection.SendAsync(rq, cancellationToken).ConfigureAwait(false);
        var answer = await ReadControlOrCommandAsync(cancellationToken).ConfigureAwait(false);
        switch (answer.Control)
        {
            case AssociateAcceptPdu ac:
                Accept = ac;
                _logger.ScuAssociated(Id, _connection.RemoteEndPoint, _options.CallingAeTitle, _options.CalledAeTitle,
                    ac.PresentationContexts.Count(c => c.IsAccepted), contexts.Count, ac.UserInformation.MaxPduLength);
                return;
            case AssociateRejectPdu rj:
                _closed = true;
                throw new AssociationException(rj);
            case AbortPdu abort:
                _closed = true;
                throw new AssociationException(abort);
            default:
                throw await AbortAsync(new PduException(AbortReason.UnexpectedPdu, $"expected A-ASSOCIATE-AC, got {answer.Control?.Type.ToString() ?? "P-DATA-TF"}")).ConfigureAwait(false);
        }
    }

    /// <summary>The accepted context for an abstract syntax and transfer syntax, or null.</summary>
    public PresentationContextAccept? FindContext(string abstractSyntax, string transferSyntax)
    {
        foreach (var accepted in Accept.PresentationContexts)
        {
            if (!accepted.IsAccepted || accepted.TransferSyntax != transferSyntax) continue;
            foreach (var proposed in Proposed)
                if (proposed.Id == accepted.Id && proposed.AbstractSyntax == abstractSyntax) return accepted;
        }
        return null;
    }

    public ushort NextMessageId() => _nextMessageId++ is var id && id == 0 ? _nextMessageId++ : id;

    /// <summary>Sends C-ECHO-RQ and returns the response's status (PS3.7 §9.3.5).</summary>
    public async Task<DicomStatus> EchoAsync(CancellationToken cancellationToken)
    {
        var context = FindContext(DicomUids.Verification, DicomTransferSyntax.ImplicitVRLittleEndian.Uid)
            ?? FindContext(DicomUids.Verification, DicomTransferSyntax.ExplicitVRLittleEndian.Uid)
            ?? throw new AssociationException("the peer did not accept the Verification SOP Class");
        var request = DicomCommand.CreateEchoRequest(NextMessageId());
        await _connection.SendCommandAsync(context.Id, request, PeerMaxPduLength, cancellationToken).ConfigureAwait(false);
        var response = await ReadResponseAsync(request.MessageId, cancellationToken).ConfigureAwait(false);
        return response.Status;
    }

    /// <summary>
    /// Sends a request with a data set and returns the response. <paramref name="writeDataset"/> writes the data set
    /// into the <see cref="DatasetSender"/> it is given (which fragments it into PDVs) and completes it.
    /// </summary>
    public async Task<DicomCommand> SendRequestAsync(byte contextId, DicomCommand request, Func<DatasetSender, CancellationToken, Task> writeDataset,
        CancellationToken cancellationToken)
    {
        var maxData = UpperLayerConnection.MaxPdvData(PeerMaxPduLength);
        _pduBuffer ??= new byte[DatasetSender.CommandRoom + 12 + maxData];
        var sender = new DatasetSender(_connection, contextId, _pduBuffer, maxData);
        var command = _connection.EncodeCommand(contextId, request, PeerMaxPduLength);
        if (!sender.TryHoldCommand(command.Span)) await _connection.SendAsync(command, cancellationToken).ConfigureAwait(false);
        await writeDataset(sender, cancellationToken).ConfigureAwait(false);
        if (!sender.Completed) throw new InvalidOperationException("the data set writer did not complete the data set");
        return await ReadResponseAsync(request.MessageId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DicomCommand> ReadResponseAsync(ushort messageId, CancellationToken cancellationToken)
    {
        var ev = await ReadControlOrCommandAsync(cancellationToken).ConfigureAwait(false);
        switch (ev.Control)
        {
            case null:
                var response = ev.Command!;
                if (response.IsRequest || response.MessageIdBeingRespondedTo != messageId)
                    throw await AbortAsync(new PduException(AbortReason.UnexpectedPduParameter, $"expected the response to message {messageId}, got {response}")).ConfigureAwait(false);
                return response;
            case AbortPdu abort:
                _closed = true;
                throw new AssociationException(abort);
            default:
                throw await AbortAsync(new PduException(AbortReason.UnexpectedPdu, $"unexpected {ev.Control.Type} while waiting for a response")).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the association (PS3.8 §9.2 AR-1 ... AR-10, release collision included) and closes the connection.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_closed) return;
        try
        {
            await _connection.SendAsync(ReleaseRequestPdu.Instance, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var ev = await ReadControlOrCommandAsync(cancellationToken).ConfigureAwait(false);
                switch (ev.Control)
                {
                    case ReleaseResponsePdu:
                        return; // AR-3: close the transport connection
                    case ReleaseRequestPdu:
                        // Release collision (Sta7 → Sta9): as requestor we answer first (AR-9) and wait for theirs (Sta11).
                        await _connection.SendAsync(ReleaseResponsePdu.Instance, cancellationToken).ConfigureAwait(false);
                        continue;
                    case AbortPdu:
                        return;
                    case null:
                        continue; // AR-6: P-DATA-TF after our release request is still delivered; nothing expects it here
                    default:
                        await AbortAsync(new PduException(AbortReason.UnexpectedPdu, $"unexpected {ev.Control.Type} while releasing")).ConfigureAwait(false);
                        return;
                }
            }
        }
        finally
        {
            _closed = true;
            _connection.Close();
        }
    }

    /// <summary>Sends A-ABORT (source: service user) and closes.</summary>
    public async Task AbortAsync()
    {
        if (_closed) return;
        _closed = true;
        await _connection.TrySendAndCloseAsync(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified)).ConfigureAwait(false);
    }

    private async Task<Exception> AbortAsync(PduException error)
    {
        _closed = true;
        await _connection.TrySendAndCloseAsync(new AbortPdu(AbortSource.ServiceProvider, error.Reason)).ConfigureAwait(false);
        return new AssociationException($"protocol error: {error.Message}", error);
    }

    private readonly record struct Received(ProtocolDataUnit? Control, DicomCommand? Command);

    /// <summary>Reads until a control PDU or a whole command arrives (responses to C-ECHO and C-STORE carry no data set).</summary>
    private async Task<Received> ReadControlOrCommandAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ResponseTimeout);
        var input = _connection.Input;
        _command.ResetWrittenCount();
        try
        {
            while (true)
            {
                _connection.RequestQuickAck();
                var result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    while (_connection.Parser.TryRead(ref buffer, out var ev))
                    {
                        if (ev.Control is { } control) return new Received(control, null);
                        if (!ev.IsCommand) continue; // a data set we did not ask for: not used by C-ECHO/C-STORE responses
                        if (_command.WrittenCount + ev.Data.Length > 64 * 1024) throw PduException.Invalid("command set longer than 64 KiB");
                        foreach (var segment in ev.Data) _command.Write(segment.Span);
                        if (ev.EndOfMessage) return new Received(null, DicomCommand.Decode(_command.WrittenMemory.ToArray()));
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
                if (result.IsCompleted) throw new AssociationException("the peer closed the connection");
            }
        }
        catch (PduException ex)
        {
            throw await AbortAsync(ex).ConfigureAwait(false);
        }
        catch (DimseException ex)
        {
            throw await AbortAsync(new PduException(AbortReason.InvalidPduParameterValue, ex.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await AbortAsync().ConfigureAwait(false);
            throw new AssociationException($"no answer from the peer within {_options.ResponseTimeout.TotalSeconds:0} s");
        }
    }

    public IPEndPoint? RemoteEndPoint => _connection.RemoteEndPoint;

    public async ValueTask DisposeAsync()
    {
        if (!_closed) await AbortAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
