using System.Net;
using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Association;

/// <summary>What the admission and user identity hooks know about an association being requested.</summary>
public sealed record AssociationRequestInfo(
    string AssociationId,
    string CallingAeTitle,
    string CalledAeTitle,
    IPEndPoint? RemoteEndPoint,
    UserIdentityRequest? UserIdentity,
    IReadOnlyList<PresentationContextRequest> PresentationContexts);
