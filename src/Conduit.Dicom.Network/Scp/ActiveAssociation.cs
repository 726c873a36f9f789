using System.Net;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// An accepted association as it stood when asked (<see cref="AssociationRegistry"/>): open, or recently ended when
/// <see cref="EndedAt"/> is set. <see cref="EchoesAnswered"/> counts its C-ECHO requests (PS3.7 §9.1.5), so a
/// Verification-only association (echoscu, a modality's "test connection") shows what it did.
/// </summary>
public sealed record ActiveAssociation(
    string AssociationId,
    string CallingAeTitle,
    string CalledAeTitle,
    IPEndPoint? RemoteEndPoint,
    DateTimeOffset StartedAt,
    int InstancesStored,
    int InstancesFailed,
    long BytesStored,
    int EchoesAnswered = 0,
    DateTimeOffset? EndedAt = null);
