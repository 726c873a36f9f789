namespace Conduit.Dicom.Text;

/// <summary>
/// One graphic character set of ISO/IEC 2022 as DICOM uses it: designated to G0 (bytes 0x21-0x7E) or G1
/// (bytes 0xA0-0xFF) by an escape sequence, with one or two bytes per character.
/// </summary>
internal abstract class CodeElement
{
    protected CodeElement(string name, byte[] escape, bool isG1)
    {
        Name = name;
        Escape = escape;
        IsG1 = isG1;
    }

    /// <summary>A short name for diagnostics, e.g. "JIS X 0208".</summary>
    public string Name { get; }

    /// <summary>The escape sequence that designates this set (PS3.3 Tables C.12-3 and C.12-4).</summary>
    public byte[] Escape { get; }

    /// <summary>True for a G1 set (high-bit bytes), false for a G0 set.</summary>
    public bool IsG1 { get; }

    /// <summary>1 or 2.</summary>
    public abstract int BytesPerChar { get; }

    /// <summary>Encodes one character as it appears in the byte stream; returns the byte count, 0 when unmappable.</summary>
    public abstract int TryEncode(char c, Span<byte> destination);

    public override string ToString() => Name;
}
