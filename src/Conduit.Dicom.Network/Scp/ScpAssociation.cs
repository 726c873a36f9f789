using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Logging;
using Conduit.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// One connection to the SCP, from TCP accept to close: the acceptor's side of the PS3.8 §9.2 state machine.
/// Sta2 (connection open, waiting for A-ASSOCIATE-RQ under ARTIM) → Sta6 (data transfer, idle timeout) → Sta13
/// (A-ASSOCIATE-RJ or A-RELEASE-RP sent, waiting for the peer to close under ARTIM). Protocol errors become an
/// A-ABORT from the service provider with the reason their <see cref="PduException"/> carries; the catch ladder in
/// <see cref="RunAsync"/> is the one place where outcomes are mapped.
/// </summary>
internal sealed partial class ScpAssociation
{
    private const int MaxCommandLength = 64 * 1024;

    private enum State { AwaitingRequest, DataTransfer, AwaitingClose }

    private readonly StoreScpOptions _options;
    private readonly InstanceStore _store;
    private readonly ILogger _logger;
    private readonly UpperLayerConnection _connection;
    private readonly SemaphoreSlim _slots;
    private readonly AcceptedContext?[] _contexts = new AcceptedContext?[256];
    private readonly ArrayBufferWriter<byte> _command = new(1024);
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    private State _state = State.AwaitingRequest;
    private AssociationTimer? _timer;
    private bool _holdsSlot;
    private bool _accepted;
    private AssociationEnd _end = AssociationEnd.ConnectionLost;
    private string _callingAe = "";
    private string _calledAe = "";
    private uint _peerMaxPdu;

    // The message being received: its command, the context it came on, and where its data set goes.
    private DicomCommand? _pending;
    private byte _pendingContext;
    private IncomingInstance? _incoming;
    private DicomStatus? _pendingFailure;
    private string? _pendingFailureWhy;

    private int _stored;
    private int _failed;
    private long _bytes;
    private int _echoes;

    private readonly AssociationRegistry _registry;

    public ScpAssociation(string id, Socket socket, StoreScpOptions options, InstanceStore store, SemaphoreSlim slots, AssociationRegistry registry,
        ILogger logger)
    {
        Id = id;
        _registry = registry;
        _options = options;
        _store = store;
        _slots = slots;
        _logger = logger;
        _connection = new UpperLayerConnection(socket, new PduReader(options.StrictPduLength ? options.MaxPduLength : StoreScpOptions.LenientPduLengthCeiling));
    }

    public string Id { get; }

    /// <summary>Where the association stands; read from other threads, so the counters are read atomically.</summary>
    public ActiveAssociation Snapshot() => new(Id, _callingAe, _calledAe, _connection.RemoteEndPoint, _startedAt,
        Volatile.Read(ref _stored), Volatile.Read(ref _failed), Volatile.Read(ref _bytes), Volatile.Read(ref _echoes));

    public async Task RunAsync(CancellationToken stopping)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["AssociationId"] = Id });
        using var timer = new AssociationTimer(() => _connection.Parser.CompletedPdus, stopping);
        _timer = timer;
        timer.StartArtim(_options.ArtimTimeout);
        ProtocolDataUnit? last = null;
        try
        {
            await ReadLoopAsync(timer, stopping).ConfigureAwait(false);
        }
        catch (PduException ex)
        {
            _end = AssociationEnd.AbortedLocally;
            _logger.AssociationAbortedLocally(Id, $"protocol error: {ex.Message}");
            last = new AbortPdu(AbortSource.ServiceProvider, ex.Reason);
        }
        catch (DimseException ex)
        {
            _end = AssociationEnd.AbortedLocally;
            _logger.AssociationAbortedLocally(Id, $"DIMSE error: {ex.Message}");
            last = new AbortPdu(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue);
        }
        catch (OperationCanceledException) when (timer.Expired == AssociationTimer.TimerKind.Artim)
        {
            // PS3.8 §9.2, ARTIM expiry in Sta2/Sta13: close the transport connection (AA-2), nothing more to say.
            if (_state == State.AwaitingRequest) _logger.ArtimExpired(_connection.RemoteEndPoint, "an A-ASSOCIATE-RQ arrived");
            else if (_end != AssociationEnd.Released) _logger.ArtimExpired(_connection.RemoteEndPoint, "the peer closed the connection");
        }
        catch (OperationCanceledException) when (timer.Expired == AssociationTimer.TimerKind.Idle)
        {
            _end = AssociationEnd.TimedOut;
            _logger.AssociationAbortedLocally(Id, $"no PDU from the peer for {_options.IdleTimeout.TotalSeconds:0} s");
            last = new AbortPdu(AbortSource.ServiceProvider, AbortReason.NotSpecified);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            _end = AssociationEnd.AbortedLocally;
            if (_state == State.DataTransfer) _logger.AssociationAbortedLocally(Id, "the receiver is shutting down");
            last = _state == State.AwaitingClose ? null : new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            if (_state == State.DataTransfer) _logger.AssociationAbortedLocally(Id, $"connection lost: {ex.Message}");
        }
        catch (Exception ex)
        {
            _end = AssociationEnd.AbortedLocally;
            _logger.AssociationFailed(Id, ex);
            last = new AbortPdu(AbortSource.ServiceProvider, AbortReason.NotSpecified);
        }
        finally
        {
            timer.Stop();
            if (_pending is not null && _state == State.DataTransfer && _end != AssociationEnd.Released)
                _logger.InstanceFailed(_pending.AffectedSopInstanceUid ?? "?", _callingAe, "none", "the association ended in the middle of the instance");
            _incoming?.DeleteTemp();
            _incoming = null;
            await _connection.TrySendAndCloseAsync(last).ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
            if (_holdsSlot) _slots.Release();
            if (_accepted)
            {
                _registry.Closed(this);
                await NotifyClosedAsync(stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadLoopAsync(AssociationTimer timer, CancellationToken stopping)
    {
        var input = _connection.Input;
        while (true)
        {
            var result = await input.ReadAsync(timer.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var stop = false;
            try
            {
                while (!stop && _connection.Parser.TryRead(ref buffer, out var ev))
                    stop = !await HandleAsync(ev, timer, stopping).ConfigureAwait(false);
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }
            if (stop) return;
            if (result.IsCompleted)
            {
                // PS3.8 §9.2 AA-4/AA-5: transport closed. Normal in Sta13; a lost association anywhere else.
                if (_state == State.DataTransfer)
                    _logger.AssociationAbortedLocally(Id, "the peer closed the connection without releasing the association");
                return;
            }
        }
    }

    /// <returns>false when the association is over (A-ABORT received).</returns>
    private async ValueTask<bool> HandleAsync(PduEvent ev, AssociationTimer timer, CancellationToken stopping)
    {
        if (ev.Control is null)
        {
            switch (_state)
            {
                case State.DataTransfer:
                    await OnDataAsync(ev, stopping).ConfigureAwait(false);
                    return true;
                case State.AwaitingClose:
                    return true; // PS3.8 §9.2 Sta13: P-DATA-TF ignored (AA-6)
                default:
                    throw new PduException(AbortReason.UnexpectedPdu, "P-DATA-TF before the association was established");
            }
        }

        if (_logger.IsEnabled(LogLevel.Trace)) _logger.PduReceived(Id, ev.Control.ToString()!);
        switch (ev.Control)
        {
            case AssociateRequestPdu rq when _state == State.AwaitingRequest:
                await OnAssociateRequestAsync(rq, timer, stopping).ConfigureAwait(false);
                return true;
            case ReleaseRequestPdu when _state == State.DataTransfer:
                // PS3.8 §9.2 AR-2/AR-4: answer A-RELEASE-RP, then wait under ARTIM for the peer to close.
                if (_pending is not null)
                {
                    _logger.InstanceFailed(_pending.AffectedSopInstanceUid ?? "?", _callingAe, "none", "A-RELEASE-RQ arrived in the middle of the instance");
                    _failed++;
                    ResetPending();
                }
                await _connection.SendAsync(ReleaseResponsePdu.Instance, stopping).ConfigureAwait(false);
                _end = AssociationEnd.Released;
                _state = State.AwaitingClose;
                // Released: no longer open, even while the peer takes its time to close the connection (Sta13).
                _registry.Closed(this);
                timer.StartArtim(_options.ArtimTimeout);
                return true;
            case AbortPdu abort:
                _logger.AssociationAbortedByPeer(Id, (byte)abort.Source, (byte)abort.Reason);
                if (_end != AssociationEnd.Released) _end = AssociationEnd.AbortedByPeer;
                return false;
            case var _ when _state == State.AwaitingClose:
                return true; // PS3.8 §9.2 Sta13: anything else is ignored while the peer closes
            default:
                throw new PduException(AbortReason.UnexpectedPdu, $"unexpected {ev.Control.Type} in state {_state}");
        }
    }
}
