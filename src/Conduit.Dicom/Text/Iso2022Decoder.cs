using System.Buffers;

namespace Conduit.Dicom.Text;

/// <summary>
/// Decodes a value that may contain ISO 2022 escape sequences (PS3.5 §6.1.2.5). The initial G0/G1 sets are active
/// at the start and again after every reset character (<see cref="TextDelimiters.IsReset"/>). Reset characters are
/// only recognised while G0 holds a single-byte set: in a two-byte G0 set (JIS X 0208/0212) bytes 0x21-0x7E pair up,
/// so a 0x5C there is half of a character, not a value delimiter.
/// </summary>
internal static class Iso2022Decoder
{
    public static string Decode(ReadOnlySpan<byte> bytes, SingleByteCodeElement initialG0, CodeElement? initialG1, DicomTextKind kind)
    {
        // Every byte yields at most one char (escape sequences none, a two-byte code one, or two U+FFFD when invalid).
        char[]? rented = null;
        var output = bytes.Length <= 256 ? stackalloc char[bytes.Length] : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        var n = 0;
        CodeElement g0 = initialG0;
        var g1 = initialG1;
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b == TextDelimiters.Escape)
            {
                var element = CodeElements.MatchEscape(bytes[i..]);
                if (element is null)
                {
                    output[n++] = (char)b; // unknown escape: keep the byte so nothing is lost
                    i++;
                }
                else
                {
                    if (element.IsG1)
                        g1 = element;
                    else
                        g0 = element;
                    i += element.Escape.Length;
                }
                continue;
            }

            if (b < 0x80)
            {
                if (g0 is DoubleByteCodeElement wideG0 && b is >= 0x21 and <= 0x7E)
                {
                    i = DecodeWideRun(bytes, i, 0x21, 0x7E, wideG0, output, ref n);
                    continue;
                }
                // C0 controls, SPACE and DEL are the same in every G0 set.
                output[n++] = g0 is SingleByteCodeElement narrowG0 ? narrowG0.Decode(b) : (char)b;
                if (TextDelimiters.IsReset(b, kind))
                {
                    g0 = initialG0;
                    g1 = initialG1;
                }
                i++;
                continue;
            }

            switch (g1)
            {
                case SingleByteCodeElement narrowG1:
                    output[n++] = narrowG1.Decode(b);
                    i++;
                    break;
                case DoubleByteCodeElement wideG1 when b is >= 0xA1 and <= 0xFE:
                    i = DecodeWideRun(bytes, i, 0xA1, 0xFE, wideG1, output, ref n);
                    break;
                case null:
                    output[n++] = (char)b; // nothing designated to G1: be lenient and read Latin-1
                    i++;
                    break;
                default:
                    output[n++] = '\uFFFD';
                    i++;
                    break;
            }
        }

        var result = new string(output[..n]);
        if (rented is not null)
            ArrayPool<char>.Shared.Return(rented);
        return result;
    }

    private static int DecodeWideRun(ReadOnlySpan<byte> bytes, int start, byte low, byte high, DoubleByteCodeElement element, Span<char> output, ref int n)
    {
        var end = start;
        while (end < bytes.Length && bytes[end] >= low && bytes[end] <= high)
            end++;
        var even = (end - start) & ~1;
        n += element.DecodeRun(bytes.Slice(start, even), output[n..]);
        if (even < end - start)
            output[n++] = '\uFFFD'; // a lone first byte
        return end;
    }
}
