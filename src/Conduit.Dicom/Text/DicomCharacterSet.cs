using System.Collections.Concurrent;
using System.Text;

namespace Conduit.Dicom.Text;

/// <summary>
/// The character repertoires named by Specific Character Set (0008,0005) and the decoding and encoding of text
/// values (SH, LO, UC, ST, LT, UT, PN) under them, including ISO 2022 code extensions (PS3.5 §6.1).
/// </summary>
/// <remarks>
/// Instances are immutable, thread-safe and cached per distinct list of values, so
/// <see cref="FromSpecificCharacterSet"/> is cheap on the header-parsing path.
/// <para>
/// Value splitting: in GBK and GB18030 the second byte of a character may be 0x5C ('\'), and in JIS X 0208/0212
/// (ISO 2022 IR 87/159) any byte 0x21-0x7E, so raw bytes must never be split on 0x5C before decoding. Use
/// <see cref="DecodeValues"/> (or split the result of <see cref="Decode"/> on '\'), which only sees a delimiter
/// where the byte really is one.
/// </para>
/// </remarks>
public sealed class DicomCharacterSet
{
    private const int CacheLimit = 512;

    private static readonly ConcurrentDictionary<string, Resolution> ByRawValues = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, DicomCharacterSet> ByTerms = new(StringComparer.Ordinal);

    private readonly Mode _mode;
    private readonly SingleByteCodeElement _g0;
    private readonly CodeElement? _g1;
    private readonly CodeElement[] _elements;
    private readonly Encoding? _whole;

    private DicomCharacterSet(List<CharacterSetTerm> terms)
    {
        Terms = terms.ConvertAll(t => t.Name).AsReadOnly();
        var first = terms[0];
        _g0 = first.G0 as SingleByteCodeElement ?? CodeElements.Ascii;
        _g1 = first.G1;
        _elements = [];
        if (first.IsWhole)
        {
            _mode = Mode.Whole;
            _whole = first.WholeCodePage == 65001 ? new UTF8Encoding(false, false) : CodePages.Lenient(first.WholeCodePage);
        }
        else if (terms.Count > 1 || first.IsIso2022)
        {
            _mode = Mode.Iso2022;
            var elements = new List<CodeElement> { _g0 };
            foreach (var element in terms.SelectMany(t => new[] { t.G0, t.G1 }).Prepend(_g1))
            {
                if (element is not null && !elements.Contains(element))
                    elements.Add(element);
            }
            _elements = [.. elements];
        }
        else
        {
            _mode = Mode.SingleByte;
        }
        IsAsciiCompatible = _mode == Mode.SingleByte || (_mode == Mode.Whole && first.WholeCodePage == 65001);
    }

    private enum Mode
    {
        /// <summary>One single-byte set without code extensions: ASCII (or JIS X 0201 Romaji) plus a high half.</summary>
        SingleByte,

        /// <summary>UTF-8, GB18030 or GBK: decoded as a whole by the code page.</summary>
        Whole,

        /// <summary>ISO 2022 terms: escape sequences switch the G0 and G1 sets.</summary>
        Iso2022,
    }

    /// <summary>
    /// The default repertoire ISO_IR 6. Bytes 0x80 and above (invalid in ASCII) are read as Latin-1, and written
    /// back the same way, so mislabelled data passes through a router unchanged.
    /// </summary>
    public static DicomCharacterSet Default { get; } = ForTerms([CharacterSetTerms.IsoIr6]);

    /// <summary>The normalised Defined Terms, value 1 first ("ISO 2022 IR 6" stands in for an empty value 1 with extensions).</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>
    /// True when every byte below 0x80 is the ASCII character and no code extensions are in use: callers may then
    /// handle pure-ASCII values without decoding. (Decode has its own ASCII fast path for every set.)
    /// </summary>
    public bool IsAsciiCompatible { get; }

    /// <summary>
    /// The character set named by the values of (0008,0005). Tolerant: values are trimmed, near spellings such as
    /// "ISO-IR 100" or "ISO_IR100" are accepted, an empty value 1 means ISO_IR 6, an unknown value 1 is read as
    /// Latin-1 and unknown later values are dropped. Every such repair is reported through <paramref name="warn"/>.
    /// </summary>
    public static DicomCharacterSet FromSpecificCharacterSet(IReadOnlyList<string> values, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            return Default;

        var key = values.Count == 1 ? values[0] ?? string.Empty : string.Join('\\', values);
        if (!ByRawValues.TryGetValue(key, out var resolution))
        {
            var warnings = new List<string>();
            var terms = CharacterSetResolver.Resolve(values, warnings);
            resolution = new Resolution(ForTerms(terms), [.. warnings]);
            if (ByRawValues.Count < CacheLimit)
                ByRawValues.TryAdd(key, resolution);
        }
        if (warn is not null)
        {
            foreach (var warning in resolution.Warnings)
                warn(warning);
        }
        return resolution.Set;
    }

    /// <summary>Decodes one element value (all its values, delimiters included) to a string.</summary>
    public string Decode(ReadOnlySpan<byte> bytes, DicomTextKind kind)
    {
        if (bytes.IsEmpty)
            return string.Empty;
        if (!bytes.ContainsAnyExceptInRange((byte)0x00, (byte)0x7F) && (_mode != Mode.Iso2022 || !bytes.Contains(TextDelimiters.Escape)))
            return Encoding.Latin1.GetString(bytes); // pure ASCII reads the same in every supported set

        return _mode switch
        {
            Mode.SingleByte => DecodeSingleByte(bytes),
            Mode.Whole => _whole!.GetString(bytes),
            _ => Iso2022Decoder.Decode(bytes, _g0, _g1, kind),
        };
    }

    /// <summary>
    /// Decodes and splits on the value delimiter '\' for <see cref="DicomTextKind.MultiValued"/> and
    /// <see cref="DicomTextKind.PersonName"/>; a <see cref="DicomTextKind.SingleValued"/> value is one string.
    /// An empty input has no values. Splitting happens after decoding, so 0x5C bytes inside multi-byte characters
    /// (GBK, GB18030, JIS X 0208) never split a value.
    /// </summary>
    public IReadOnlyList<string> DecodeValues(ReadOnlySpan<byte> bytes, DicomTextKind kind)
    {
        if (bytes.IsEmpty)
            return [];
        var text = Decode(bytes, kind);
        return kind == DicomTextKind.SingleValued ? [text] : text.Split('\\');
    }

    /// <summary>
    /// Encodes text (values already joined with '\'), the inverse of <see cref="Decode"/>. No padding is added.
    /// Characters the set cannot represent are written as '?'. For ISO 2022 sets escape sequences are written as
    /// needed and the initial set is designated again before each delimiter and at the end (PS3.5 §6.1.2.5.3).
    /// </summary>
    public byte[] Encode(string text, DicomTextKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
            return Encoding.ASCII.GetBytes(text); // pure ASCII encodes the same in every supported set

        return _mode switch
        {
            Mode.SingleByte => EncodeSingleByte(text),
            Mode.Whole => _whole!.GetBytes(text),
            _ => Iso2022Encoder.Encode(text, _g0, _g1, _elements, kind),
        };
    }

    /// <summary>Encodes several values joined with '\' (see <see cref="Encode"/>).</summary>
    public byte[] EncodeValues(IEnumerable<string> values, DicomTextKind kind) => Encode(string.Join('\\', values), kind);

    public override string ToString() => string.Join('\\', Terms);

    private static DicomCharacterSet ForTerms(List<CharacterSetTerm> terms)
    {
        var key = string.Join('\\', terms.Select(t => t.Name));
        if (ByTerms.TryGetValue(key, out var set))
            return set;
        set = new DicomCharacterSet(terms);
        return ByTerms.Count < CacheLimit ? ByTerms.GetOrAdd(key, set) : set;
    }

    private string DecodeSingleByte(ReadOnlySpan<byte> bytes)
    {
        var table = ((SingleByteCodeElement)_g1!).Table;
        char[]? rented = null;
        var chars = bytes.Length <= 256 ? stackalloc char[bytes.Length] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(bytes.Length));
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            chars[i] = b < 0x80 ? (char)b : table[b];
        }
        var result = new string(chars[..bytes.Length]);
        if (rented is not null)
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        return result;
    }

    private byte[] EncodeSingleByte(string text)
    {
        var high = _g1!;
        var result = new byte[text.Length];
        var length = 0;
        Span<byte> one = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                result[length++] = (byte)c;
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            result[length++] = high.TryEncode(c, one) == 1 ? one[0] : (byte)'?';
        }
        return length == result.Length ? result : result[..length];
    }

    private sealed record Resolution(DicomCharacterSet Set, string[] Warnings);
}
