namespace Conduit.Dicom.Network.Pdu;

/// <summary>
/// A protocol error found in what the peer sent. It carries its wire outcome: the association loop answers it with
/// an A-ABORT from the service provider with <see cref="Reason"/> (PS3.8 §9.2, actions AA-1/AA-3/AA-8).
/// </summary>
public sealed class PduException(AbortReason reason, string message) : Exception(message)
{
    public AbortReason Reason { get; } = reason;

    public static PduException Invalid(string message) => new(AbortReason.InvalidPduParameterValue, message);
}
