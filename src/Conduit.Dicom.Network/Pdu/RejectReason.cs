namespace Conduit.Dicom.Network.Pdu;

/// <summary>Result field of A-ASSOCIATE-RJ (PS3.8 §9.3.4, Table 9-21).</summary>
public enum RejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

/// <summary>Source field of A-ASSOCIATE-RJ (PS3.8 §9.3.4, Table 9-21).</summary>
public enum RejectSource : byte
{
    ServiceUser = 1,
    /// <summary>ACSE related function of the service provider.</summary>
    ServiceProviderAcse = 2,
    /// <summary>Presentation related function of the service provider.</summary>
    ServiceProviderPresentation = 3,
}

/// <summary>
/// Reason field of A-ASSOCIATE-RJ (PS3.8 §9.3.4, Table 9-21). Its meaning depends on the source, so the values
/// overlap: the names carry the source they belong to.
/// </summary>
public enum RejectReason : byte
{
    /// <summary>Source 1 or 2: no reason given.</summary>
    NoReasonGiven = 1,
    /// <summary>Source 1: application context name not supported.</summary>
    ApplicationContextNotSupported = 2,
    /// <summary>Source 1: calling AE title not recognized.</summary>
    CallingAeNotRecognized = 3,
    /// <summary>Source 1: called AE title not recognized.</summary>
    CalledAeNotRecognized = 7,
    /// <summary>Source 2: protocol version not supported (same value as ApplicationContextNotSupported).</summary>
    ProtocolVersionNotSupported = 2,
    /// <summary>Source 3: temporary congestion.</summary>
    TemporaryCongestion = 1,
    /// <summary>Source 3: local limit exceeded.</summary>
    LocalLimitExceeded = 2,
}
