namespace Conduit.Dicom.Network.Dimse;

/// <summary>Category of a DIMSE status (PS3.7 Annex C).</summary>
public enum DicomStatusCategory
{
    Success,
    Warning,
    Failure,
    Cancel,
    Pending,
}

/// <summary>
/// A DIMSE Status (0000,0900) value with the meaning PS3.7 Annex C and PS3.4 §B.2.3 give it. The ranges matter more
/// than the codes: any 0xA7xx is "out of resources", any 0xA9xx "data set does not match SOP class", any 0xCxxx
/// "cannot understand".
/// </summary>
public readonly record struct DicomStatus(ushort Code)
{
    public static readonly DicomStatus Success = new(0x0000);
    /// <summary>Coercion of data elements (PS3.4 Table B.2-1).</summary>
    public static readonly DicomStatus CoercionOfDataElements = new(0xB000);
    /// <summary>Elements discarded.</summary>
    public static readonly DicomStatus ElementsDiscarded = new(0xB006);
    /// <summary>Data set does not match SOP class (warning).</summary>
    public static readonly DicomStatus DatasetDoesNotMatchSopClassWarning = new(0xB007);
    public static readonly DicomStatus OutOfResources = new(0xA700);
    public static readonly DicomStatus DatasetDoesNotMatchSopClass = new(0xA900);
    public static readonly DicomStatus CannotUnderstand = new(0xC000);
    /// <summary>Refused: SOP class not supported (PS3.7 §C.5.x).</summary>
    public static readonly DicomStatus SopClassNotSupported = new(0x0122);
    public static readonly DicomStatus ProcessingFailure = new(0x0110);
    public static readonly DicomStatus DuplicateInvocation = new(0x0210);
    public static readonly DicomStatus UnrecognizedOperation = new(0x0211);
    public static readonly DicomStatus Cancel = new(0xFE00);
    public static readonly DicomStatus Pending = new(0xFF00);

    public DicomStatusCategory Category => Code switch
    {
        0x0000 => DicomStatusCategory.Success,
        0x0001 or 0x0107 or 0x0116 or (>= 0xB000 and <= 0xBFFF) => DicomStatusCategory.Warning,
        0xFE00 => DicomStatusCategory.Cancel,
        0xFF00 or 0xFF01 => DicomStatusCategory.Pending,
        _ => DicomStatusCategory.Failure,
    };

    public bool IsSuccess => Category == DicomStatusCategory.Success;

    /// <summary>Success or warning: the instance was stored (PS3.4 §B.2.3).</summary>
    public bool IsStored => Category is DicomStatusCategory.Success or DicomStatusCategory.Warning;

    public string Description => Code switch
    {
        0x0000 => "success",
        0xB000 => "warning: coercion of data elements",
        0xB006 => "warning: elements discarded",
        0xB007 => "warning: data set does not match SOP class",
        >= 0xA700 and <= 0xA7FF => "refused: out of resources",
        >= 0xA900 and <= 0xA9FF => "error: data set does not match SOP class",
        >= 0xC000 and <= 0xCFFF => "error: cannot understand",
        0x0122 => "refused: SOP class not supported",
        0x0110 => "processing failure",
        0x0211 => "unrecognized operation",
        0xFE00 => "cancel",
        _ when Category == DicomStatusCategory.Warning => "warning",
        _ => "failure",
    };

    public override string ToString() => $"0x{Code:X4} ({Description})";
}
