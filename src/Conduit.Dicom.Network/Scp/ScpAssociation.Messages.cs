using System.Buffers;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Logging;
using Conduit.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Conduit.Dicom.Network.Scp;

internal sealed partial class ScpAssociation
{
    /// <summary>
    /// PS3.7 §8.1, PS3.8 Annex E: a message is a command (command PDVs, the last flagged) optionally followed by a data
    /// set (data PDVs on the same presentation context, the last flagged). Command bytes are gathered (a command set
    /// is small; bounded by <see cref="MaxCommandLength"/>); data set bytes go straight to the temporary file.
    /// </summary>
    private async ValueTask OnDataAsync(PduEvent ev, CancellationToken stopping)
    {
        var context = _contexts[ev.ContextId]
            ?? throw PduException.Invalid($"PDV on presentation context {ev.ContextId}, which was not accepted");
        if (ev.IsCommand)
        {
            if (_pending is not null)
                throw new PduException(AbortReason.UnexpectedPduParameter, $"command PDV while the data set of message {_pending.MessageId} is expected");
            if (_command.WrittenCount + ev.Data.Length > MaxCommandLength)
                throw PduException.Invalid($"command set longer than {MaxCommandLength} bytes");
            foreach (var segment in ev.Data) _command.Write(segment.Span);
            if (!ev.EndOfMessage) return;
            var command = DicomCommand.Decode(_command.WrittenMemory);
            _command.ResetWrittenCount();
            if (_logger.IsEnabled(LogLevel.Trace)) _logger.CommandReceived(Id, command.ToString(), ev.ContextId);
            _timer!.Pause();
            try
            {
                await OnCommandAsync(context, command, stopping).ConfigureAwait(false);
            }
            finally
            {
                _timer.Resume();
            }
            return;
        }

        if (_pending is null)
            throw new PduException(AbortReason.UnexpectedPduParameter, "data set PDV without a command before it");
        if (ev.ContextId != _pendingContext)
            throw PduException.Invalid($"data set PDV on presentation context {ev.ContextId}, its command came on {_pendingContext}");
        _incoming?.Append(ev.Data);
        if (!ev.EndOfMessage) return;
        _timer!.Pause();
        try
        {
            await OnDatasetCompleteAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            _timer.Resume();
        }
    }

    private async ValueTask OnCommandAsync(AcceptedContext context, DicomCommand command, CancellationToken stopping)
    {
        switch (command.CommandField)
        {
            case DicomCommandField.CEchoRequest when !command.HasDataset:
                Interlocked.Increment(ref _echoes);
                await RespondAsync(context.Id, command, DicomStatus.Success, null, stopping).ConfigureAwait(false);
                return;
            case DicomCommandField.CStoreRequest when command.HasDataset:
                BeginStore(context, command);
                return;
            case DicomCommandField.CStoreRequest:
                await RespondAsync(context.Id, command, DicomStatus.CannotUnderstand, "C-STORE-RQ without a data set", stopping).ConfigureAwait(false);
                return;
            default:
                if (command.HasDataset)
                {
                    BeginDiscard(context, command, DicomStatus.UnrecognizedOperation, $"{command.CommandField} is not supported");
                    return;
                }
                _logger.UnsupportedCommand(Id, command.CommandField.ToString(), DicomStatus.UnrecognizedOperation.ToString());
                await RespondAsync(context.Id, command, DicomStatus.UnrecognizedOperation, null, stopping).ConfigureAwait(false);
                return;
        }
    }

    private void BeginStore(AcceptedContext context, DicomCommand command)
    {
        var sopClass = command.AffectedSopClassUid;
        var sopInstance = command.AffectedSopInstanceUid;
        if (context.AbstractSyntax == DicomUids.Verification || sopClass != context.AbstractSyntax)
        {
            // PS3.7 §9.1.1.1.1: the Affected SOP Class UID is the abstract syntax of the context the request came on.
            BeginDiscard(context, command, DicomStatus.DatasetDoesNotMatchSopClass,
                $"SOP Class '{sopClass}' does not match presentation context {context.Id} ({context.AbstractSyntax})");
            return;
        }
        if (!DicomUidValidator.IsValid(sopInstance))
        {
            BeginDiscard(context, command, DicomStatus.DatasetDoesNotMatchSopClass, $"Affected SOP Instance UID '{sopInstance}' is not a valid UID");
            return;
        }
        _pending = command;
        _pendingContext = context.Id;
        try
        {
            _incoming = _store.Begin(command, context.TransferSyntax, _callingAe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _pendingFailure = DicomStatus.OutOfResources;
            _pendingFailureWhy = $"cannot create a temporary file: {ex.Message}";
        }
    }

    private void BeginDiscard(AcceptedContext context, DicomCommand command, DicomStatus status, string why)
    {
        _pending = command;
        _pendingContext = context.Id;
        _pendingFailure = status;
        _pendingFailureWhy = why;
    }

    private async ValueTask OnDatasetCompleteAsync(CancellationToken stopping)
    {
        var command = _pending!;
        var contextId = _pendingContext;
        var incoming = _incoming;
        var failure = _pendingFailure;
        var why = _pendingFailureWhy;
        _incoming = null;
        ResetPending();

        if (failure is null && incoming is not null)
        {
            var outcome = await _store.CompleteAsync(incoming, _callingAe).ConfigureAwait(false);
            if (outcome.File is { } file)
            {
                var status = await PublishAsync(command, file, stopping).ConfigureAwait(false);
                if (status.IsSuccess)
                {
                    _stored++;
                    _bytes += file.Size;
                    if (file.ReplacedExisting) _logger.DuplicateOverwritten(file.Keys.SopInstanceUid, file.Path);
                    if (_logger.IsEnabled(LogLevel.Debug)) _logger.InstanceStored(file.Keys.SopInstanceUid, file.Size, _callingAe, file.Path);
                    await RespondAsync(contextId, command, status, null, stopping).ConfigureAwait(false);
                    return;
                }
                failure = status;
                why = "the stored-instance handler failed";
            }
            else
            {
                failure = outcome.Status;
                why = outcome.Why;
            }
        }
        incoming?.DeleteTemp();
        _failed++;
        _logger.InstanceFailed(command.AffectedSopInstanceUid ?? "?", _callingAe, failure!.Value.ToString(), why ?? "");
        await RespondAsync(contextId, command, failure.Value, why, stopping).ConfigureAwait(false);
    }

    private async ValueTask<DicomStatus> PublishAsync(DicomCommand command, StoredFile file, CancellationToken stopping)
    {
        if (_options.InstanceStoredHandler is not { } handler) return DicomStatus.Success;
        var keys = file.Keys;
        var instance = new StoredInstance(Id, _callingAe, _calledAe, _connection.RemoteEndPoint, command.AffectedSopClassUid ?? keys.SopClassUid,
            keys.SopInstanceUid, keys.StudyInstanceUid, keys.SeriesInstanceUid, keys.PatientId, keys.Modality, file.TransferSyntaxUid,
            file.Path, file.Size, file.ReplacedExisting, DateTimeOffset.UtcNow) { Dataset = file.Dataset };
        try
        {
            await handler.OnInstanceStoredAsync(instance, stopping).ConfigureAwait(false);
            return DicomStatus.Success;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            _logger.HandlerFailed(keys.SopInstanceUid, ex);
            return DicomStatus.OutOfResources;
        }
    }

    private ValueTask RespondAsync(byte contextId, DicomCommand request, DicomStatus status, string? why, CancellationToken stopping)
    {
        // The next request follows: have its first segment acknowledged at once, once per message (see RequestQuickAck).
        _connection.RequestQuickAck();
        return _connection.SendCommandAsync(contextId, DicomCommand.CreateResponse(request, status, why), _peerMaxPdu, stopping);
    }

    private void ResetPending()
    {
        _incoming?.DeleteTemp();
        _incoming = null;
        _pending = null;
        _pendingFailure = null;
        _pendingFailureWhy = null;
    }

    private async ValueTask NotifyClosedAsync(CancellationToken stopping)
    {
        var seconds = (DateTimeOffset.UtcNow - _startedAt).TotalSeconds;
        _logger.AssociationClosed(Id, _end.ToString(), _stored, _failed, _bytes, seconds);
        if (_options.InstanceStoredHandler is not { } handler) return;
        var summary = new AssociationSummary(Id, _callingAe, _calledAe, _connection.RemoteEndPoint, _startedAt, DateTimeOffset.UtcNow,
            _stored, _failed, _bytes, _end);
        try
        {
            // Not tied to `stopping`: the pipeline should hear of the end even during shutdown.
            await handler.OnAssociationClosedAsync(summary, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.ClosedHandlerFailed(Id, ex);
        }
    }
}
