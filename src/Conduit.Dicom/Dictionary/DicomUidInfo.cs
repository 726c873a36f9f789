namespace Conduit.Dicom;

/// <summary>The kinds of UID listed in PS3.6 Annex A.</summary>
public enum DicomUidType
{
    TransferSyntax,
    SopClass,
    MetaSopClass,
    WellKnownSopInstance,
    WellKnownFrameOfReference,
    CodingScheme,
    ApplicationContext,
    LdapOid,
    Other,
}

/// <summary>One registered UID: its value, PS3.6-style keyword, name, kind and retirement.</summary>
public sealed record DicomUidInfo(string Uid, string Keyword, string Name, DicomUidType Type, bool IsRetired)
{
    public override string ToString() => $"{Uid} {Name}";
}
