using System.Globalization;

namespace Conduit.Pipeline.Destinations.DicomWeb;

/// <summary>The Failure Reason and Warning Reason values of a Store Instances Response, as words.</summary>
public static class StowStatus
{
    // PS3.18 §I.2.2, Table I.2-2: Store Instances Response Failure Reason values.
    public const ushort ProcessingFailure = 0x0110;
    public const ushort SopClassNotSupported = 0x0122;
    public const ushort OutOfResources = 0xA700;
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;
    public const ushort CannotUnderstand = 0xC000;
    public const ushort TransferSyntaxNotSupported = 0xC122;

    /// <summary>
    /// An instance whose Study Instance UID is not the study the request URL names (<c>POST /studies/{study}</c>).
    /// Table I.2-2 has no value for it, and §I.2.2 lets an implementation add codes, defined in its conformance
    /// statement (docs/dicomweb.md); §10.5.3.1, Table 10.5.3-1 names a "Study Instance UID mismatch" as a conflict
    /// (409 when nothing was stored). 0xC409 is the value dcm4chee-arc gives the same case, and in the Cxxx error
    /// range, so a client that does not know it still reads an error about the instance, not a processing failure.
    /// </summary>
    public const ushort StudyInstanceUidMismatch = 0xC409;

    // PS3.18 §I.2.1 (the C-STORE warnings of PS3.4 Table B.2-1): Warning Reason values.
    public const ushort CoercionOfDataElements = 0xB000;
    public const ushort ElementsDiscarded = 0xB006;
    public const ushort DataSetDoesNotMatchSopClassWarning = 0xB007;

    /// <summary>"Refused: out of resources" may pass (PS3.18 Table I.2-2, A7xx, as for C-STORE): worth another attempt.
    /// Every other failure is about the instance itself and will fail again.</summary>
    public static bool IsTransientFailure(ushort reason) => reason is >= 0xA700 and <= 0xA7FF;

    public static string DescribeFailure(ushort reason) => $"Failure Reason {Hex(reason)} ({reason switch
    {
        ProcessingFailure => "processing failure",
        SopClassNotSupported => "SOP Class not supported",
        TransferSyntaxNotSupported => "Transfer Syntax not supported",
        StudyInstanceUidMismatch => "Study Instance UID is not the study of the request",
        >= 0xA700 and <= 0xA7FF => "refused: out of resources",
        >= 0xA900 and <= 0xA9FF => "data set does not match SOP Class",
        >= 0xC000 and <= 0xCFFF => "cannot understand",
        _ => "implementation-specific",
    }})";

    public static string DescribeWarning(ushort reason) => $"Warning Reason {Hex(reason)} ({reason switch
    {
        CoercionOfDataElements => "data elements coerced",
        ElementsDiscarded => "elements discarded",
        DataSetDoesNotMatchSopClassWarning => "data set does not match SOP Class",
        _ => "implementation-specific",
    }})";

    private static string Hex(ushort value) => "0x" + value.ToString("X4", CultureInfo.InvariantCulture);
}
