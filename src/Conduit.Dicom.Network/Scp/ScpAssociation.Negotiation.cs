using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Logging;
using Conduit.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Conduit.Dicom.Network.Scp;

internal sealed partial class ScpAssociation
{
    /// <summary>PS3.8 §9.2 AE-6: accept (A-ASSOCIATE-AC, Sta6) or reject (A-ASSOCIATE-RJ, Sta13).</summary>
    private async ValueTask OnAssociateRequestAsync(AssociateRequestPdu rq, AssociationTimer timer, CancellationToken stopping)
    {
        _callingAe = rq.CallingAeTitle;
        _calledAe = rq.CalledAeTitle;
        var info = new AssociationRequestInfo(Id, rq.CallingAeTitle, rq.CalledAeTitle, _connection.RemoteEndPoint,
            rq.UserInformation.UserIdentity, rq.PresentationContexts);

        var (rejection, identity) = await CheckAsync(rq, info, stopping).ConfigureAwait(false);
        if (rejection is not null)
        {
            _logger.AssociationRejected(Id, rq.CallingAeTitle, _connection.RemoteEndPoint, rejection.Why);
            await _connection.SendAsync(rejection.ToPdu(), stopping).ConfigureAwait(false);
            _state = State.AwaitingClose;
            timer.StartArtim(_options.ArtimTimeout);
            return;
        }

        var answers = PresentationContextNegotiator.Negotiate(rq.PresentationContexts, _options.TransferSyntaxPolicy);
        foreach (var answer in answers)
        {
            if (answer.IsAccepted)
            {
                var proposed = rq.PresentationContexts.First(c => c.Id == answer.Id);
                _contexts[answer.Id] = new AcceptedContext(answer.Id, proposed.AbstractSyntax, DicomTransferSyntax.Parse(answer.TransferSyntax));
            }
            else if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.ContextRefused(Id, rq.PresentationContexts.First(c => c.Id == answer.Id).ToString(), answer.Result.ToString());
            }
        }

        var userInformation = new UserInformation { MaxPduLength = _options.MaxPduLength };
        // PS3.7 §D.3.3.3: Conduit performs one operation at a time, so it answers any window with 1/1.
        if (rq.UserInformation.AsynchronousOperationsWindow is not null) userInformation.AsynchronousOperationsWindow = new(1, 1);
        // PS3.7 §D.3.3.4: the requestor may act as SCU for the classes we accepted; we never act as SCU towards it.
        foreach (var role in rq.UserInformation.RoleSelections)
            if (answers.Any(a => a.IsAccepted && _contexts[a.Id]!.AbstractSyntax == role.SopClassUid))
                userInformation.RoleSelections.Add(new RoleSelection(role.SopClassUid, role.ScuRole, ScpRole: false));
        // PS3.7 §D.3.3.7.2: a User Identity AC only when a positive response was asked for and the identity was checked.
        if (rq.UserInformation.UserIdentity is { PositiveResponseRequested: true } && identity is { Accepted: true })
            userInformation.UserIdentityServerResponse = identity.ServerResponse ?? [];

        var ac = new AssociateAcceptPdu
        {
            CalledAeTitle = rq.CalledAeTitle,
            CallingAeTitle = rq.CallingAeTitle,
            PresentationContexts = answers,
            UserInformation = userInformation,
        };
        _connection.RequestQuickAck();
        await _connection.SendAsync(ac, stopping).ConfigureAwait(false);
        _peerMaxPdu = rq.UserInformation.MaxPduLength;
        _accepted = true;
        _registry.Opened(this);
        _state = State.DataTransfer;
        timer.StartIdle(_options.IdleTimeout);
        _logger.AssociationOpened(Id, rq.CallingAeTitle, rq.CalledAeTitle, _connection.RemoteEndPoint,
            answers.Count(a => a.IsAccepted), answers.Count, _peerMaxPdu);
    }

    /// <summary>The checks, cheapest and most fundamental first; null when the association may start.</summary>
    private async ValueTask<(AssociationRejection? Rejection, UserIdentityResult? Identity)> CheckAsync(
        AssociateRequestPdu rq, AssociationRequestInfo info, CancellationToken stopping)
    {
        // PS3.8 §9.3.2: bit 0 of the protocol version is version 1, the only one.
        if ((rq.ProtocolVersion & 1) == 0)
            return (new(RejectResult.Permanent, RejectSource.ServiceProviderAcse, RejectReason.ProtocolVersionNotSupported,
                $"protocol version {rq.ProtocolVersion} not supported"), null);
        if (rq.ApplicationContext != AssociateCodec.DicomApplicationContext)
            return (new(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.ApplicationContextNotSupported,
                $"application context '{rq.ApplicationContext}' not supported"), null);
        if (!AeTitle.IsValid(rq.CallingAeTitle))
            return (AssociationRejection.CallingAeNotRecognized($"calling AE title '{rq.CallingAeTitle}' is not a valid AE title"), null);
        if (_options.CheckCalledAeTitle && !string.Equals(rq.CalledAeTitle, _options.AeTitle, StringComparison.Ordinal))
            return (AssociationRejection.CalledAeNotRecognized($"called AE title '{rq.CalledAeTitle}' is not '{_options.AeTitle}'"), null);
        if (_options.AllowedCallingAeTitles is { } allowed
            && !allowed.Any(rule => rule.Matches(rq.CallingAeTitle, _connection.RemoteEndPoint?.Address)))
            return (AssociationRejection.CallingAeNotRecognized($"calling AE title '{rq.CallingAeTitle}' from {_connection.RemoteEndPoint?.Address} is not on the allow-list"), null);
        if (!_slots.Wait(0))
            return (AssociationRejection.LocalLimitExceeded($"{_options.MaxAssociations} associations already open"), null);
        _holdsSlot = true;
        if (_options.Admission is { } admission && await admission.AdmitAsync(info, stopping).ConfigureAwait(false) is { } refused)
            return (refused, null);
        UserIdentityResult? identity = null;
        if (_options.UserIdentityValidator is { } validator)
        {
            identity = await validator.ValidateAsync(info, stopping).ConfigureAwait(false);
            if (!identity.Accepted)
                return (AssociationRejection.NoReasonGiven($"user identity refused: {identity.Why ?? "no reason given"}"), identity);
        }
        return (null, identity);
    }
}
