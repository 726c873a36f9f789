namespace Conduit.Dicom.Text;

/// <summary>
/// One Defined Term of Specific Character Set (0008,0005) and what it means: the G0/G1 code elements it designates,
/// or, for ISO_IR 192, GB18030 and GBK (which allow no code extensions), the whole-value code page.
/// </summary>
internal sealed class CharacterSetTerm
{
    public CharacterSetTerm(string name, bool isIso2022, CodeElement? g0, CodeElement? g1, int wholeCodePage = 0)
    {
        Name = name;
        IsIso2022 = isIso2022;
        G0 = g0;
        G1 = g1;
        WholeCodePage = wholeCodePage;
    }

    /// <summary>The canonical Defined Term, e.g. "ISO 2022 IR 87".</summary>
    public string Name { get; }

    /// <summary>True for the "ISO 2022 ..." terms that permit escape sequences.</summary>
    public bool IsIso2022 { get; }

    public CodeElement? G0 { get; }

    public CodeElement? G1 { get; }

    /// <summary>65001, 54936 or 936 for the terms decoded as a whole; 0 otherwise.</summary>
    public int WholeCodePage { get; }

    /// <summary>True for the multi-byte sets without code extensions (UTF-8, GB18030, GBK).</summary>
    public bool IsWhole => WholeCodePage != 0;

    /// <summary>True for ISO 2022 IR 87/159/149/58, which PS3.3 allows only as value 2 and later.</summary>
    public bool IsMultiByteExtension => (G0?.BytesPerChar ?? 1) == 2 || (G1?.BytesPerChar ?? 1) == 2;

    public override string ToString() => Name;
}
