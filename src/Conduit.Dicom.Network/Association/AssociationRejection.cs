using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Association;

/// <summary>Why an association request is refused: the A-ASSOCIATE-RJ fields (PS3.8 §9.3.4) and a reason for the log.</summary>
public sealed record AssociationRejection(RejectResult Result, RejectSource Source, RejectReason Reason, string Why)
{
    /// <summary>Transient, service provider (presentation), local limit exceeded: "try again later".</summary>
    public static AssociationRejection LocalLimitExceeded(string why) =>
        new(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded, why);

    /// <summary>Transient, service provider (presentation), temporary congestion (e.g. disk pressure).</summary>
    public static AssociationRejection TemporaryCongestion(string why) =>
        new(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.TemporaryCongestion, why);

    public static AssociationRejection CalledAeNotRecognized(string why) =>
        new(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized, why);

    public static AssociationRejection CallingAeNotRecognized(string why) =>
        new(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized, why);

    public static AssociationRejection NoReasonGiven(string why) =>
        new(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.NoReasonGiven, why);

    public AssociateRejectPdu ToPdu() => new(Result, Source, Reason);
}
