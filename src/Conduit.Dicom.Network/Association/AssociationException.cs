using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Association;

/// <summary>An association that could not be established or ended early; <see cref="Rejection"/> or <see cref="Abort"/> say how.</summary>
public sealed class AssociationException : Exception
{
    public AssociationException(string message, Exception? inner = null) : base(message, inner) { }

    public AssociationException(AssociateRejectPdu rejection)
        : base($"association rejected: {Describe(rejection)}") => Rejection = rejection;

    public AssociationException(AbortPdu abort)
        : base($"association aborted by the peer (source {(byte)abort.Source}, reason {(byte)abort.Reason})") => Abort = abort;

    public AssociateRejectPdu? Rejection { get; }

    public AbortPdu? Abort { get; }

    /// <summary>True when the peer said "try again later" (transient rejection).</summary>
    public bool IsTransient => Rejection?.Result == RejectResult.Transient;

    public static string Describe(AssociateRejectPdu rj)
    {
        var result = rj.Result == RejectResult.Transient ? "transient" : "permanent";
        var reason = (rj.Source, (byte)rj.Reason) switch
        {
            (RejectSource.ServiceUser, 1) => "no reason given",
            (RejectSource.ServiceUser, 2) => "application context name not supported",
            (RejectSource.ServiceUser, 3) => "calling AE title not recognized",
            (RejectSource.ServiceUser, 7) => "called AE title not recognized",
            (RejectSource.ServiceProviderAcse, 1) => "no reason given (ACSE)",
            (RejectSource.ServiceProviderAcse, 2) => "protocol version not supported",
            (RejectSource.ServiceProviderPresentation, 1) => "temporary congestion",
            (RejectSource.ServiceProviderPresentation, 2) => "local limit exceeded",
            _ => $"source {(byte)rj.Source} reason {(byte)rj.Reason}",
        };
        return $"{result}, {reason}";
    }
}
