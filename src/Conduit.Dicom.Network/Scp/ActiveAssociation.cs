using System.Net;

namespace Conduit.Dicom.Network.Scp;

/// <summary>An accepted association that is still open, as it stood when asked (<see cref="AssociationRegistry"/>).</summary>
public sealed record ActiveAssociation(
    string AssociationId,
    string CallingAeTitle,
    string CalledAeTitle,
    IPEndPoint? RemoteEndPoint,
    DateTimeOffset StartedAt,
    int InstancesStored,
    int InstancesFailed,
    long BytesStored);
