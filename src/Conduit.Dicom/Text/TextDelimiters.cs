namespace Conduit.Dicom.Text;

/// <summary>The characters before which (and after which) the initial character set is active again.</summary>
internal static class TextDelimiters
{
    public const byte Escape = 0x1B;

    /// <summary>
    /// True when <paramref name="c"/> (a byte of the G0 area, or a char) resets the code extension state
    /// for a value of <paramref name="kind"/>: CR, LF, FF, TAB always; '\' for multi-valued and PN; '^' and '=' for PN.
    /// </summary>
    public static bool IsReset(int c, DicomTextKind kind) => c switch
    {
        0x0D or 0x0A or 0x0C or 0x09 => true,
        '\\' => kind != DicomTextKind.SingleValued,
        '^' or '=' => kind == DicomTextKind.PersonName,
        _ => false,
    };
}
