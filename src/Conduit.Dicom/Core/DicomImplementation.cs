namespace Conduit.Dicom;

/// <summary>How Conduit names itself in File Meta (PS3.10 §7.1) and in association negotiation (PS3.7 §D.3.3.2).</summary>
public static class DicomImplementation
{
    /// <summary>A UUID-derived UID (PS3.5 §B.2), fixed for this implementation.</summary>
    public const string ClassUid = "2.25.170173077214953917169994332322345650980";

    /// <summary>At most 16 characters of the SH VR.</summary>
    public const string VersionName = "CONDUIT_0.1";
}
