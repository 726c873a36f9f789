// Placeholder: replaced by the full implementation (ISO 2022, GB18030 ...) on the charset branch.
using System.Text;

namespace Conduit.Dicom.Text;

public enum DicomTextKind { MultiValued, PersonName, SingleValued }

public sealed class DicomCharacterSet
{
    private readonly Encoding _encoding;
    private DicomCharacterSet(IReadOnlyList<string> terms, Encoding encoding, bool ascii)
    {
        Terms = terms;
        _encoding = encoding;
        IsAsciiCompatible = ascii;
    }

    public static DicomCharacterSet Default { get; } = new(["ISO_IR 6"], Encoding.Latin1, true);
    private static readonly DicomCharacterSet Utf8 = new(["ISO_IR 192"], Encoding.UTF8, true);

    public static DicomCharacterSet FromSpecificCharacterSet(IReadOnlyList<string> values, Action<string>? warn = null) =>
        values.Count > 0 && values[0].Trim() == "ISO_IR 192" ? Utf8 : Default;

    public IReadOnlyList<string> Terms { get; }
    public bool IsAsciiCompatible { get; }
    public string Decode(ReadOnlySpan<byte> bytes, DicomTextKind kind) => _encoding.GetString(bytes);
    public IReadOnlyList<string> DecodeValues(ReadOnlySpan<byte> bytes, DicomTextKind kind) =>
        kind == DicomTextKind.SingleValued ? [Decode(bytes, kind)] : Decode(bytes, kind).Split('\\');
    public byte[] Encode(string text, DicomTextKind kind) => _encoding.GetBytes(text);
}
