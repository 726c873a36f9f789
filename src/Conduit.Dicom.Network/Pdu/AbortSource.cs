namespace Conduit.Dicom.Network.Pdu;

/// <summary>Source field of A-ABORT (PS3.8 §9.3.8, Table 9-26).</summary>
public enum AbortSource : byte
{
    ServiceUser = 0,
    ServiceProvider = 2,
}

/// <summary>Reason field of A-ABORT when the source is the service provider (PS3.8 §9.3.8, Table 9-26).</summary>
public enum AbortReason : byte
{
    NotSpecified = 0,
    UnrecognizedPdu = 1,
    UnexpectedPdu = 2,
    UnrecognizedPduParameter = 4,
    UnexpectedPduParameter = 5,
    InvalidPduParameterValue = 6,
}
