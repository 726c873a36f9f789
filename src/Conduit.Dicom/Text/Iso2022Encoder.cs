using System.Buffers;

namespace Conduit.Dicom.Text;

/// <summary>
/// Encodes text with ISO 2022 code extensions (PS3.5 §6.1.2.5.3). Each character is written in the active G0 or G1
/// set when possible, otherwise in the first listed code element that has it, after that element's escape sequence.
/// Before every reset character and at the end of the value the initial sets are designated again (an escape is
/// written only when a set actually changed, and never for a G1 that was initially empty).
/// </summary>
internal static class Iso2022Encoder
{
    public static byte[] Encode(string text, SingleByteCodeElement initialG0, CodeElement? initialG1, CodeElement[] elements, DicomTextKind kind)
    {
        var writer = new ArrayBufferWriter<byte>(text.Length * 2 + 8);
        CodeElement g0 = initialG0;
        var g1 = initialG1;
        Span<byte> scratch = stackalloc byte[4];

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (TextDelimiters.IsReset(c, kind))
            {
                Reset();
                Write((byte)c);
                continue;
            }
            if (char.IsSurrogate(c))
            {
                // No DICOM ISO 2022 element has characters outside the BMP.
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    i++;
                c = '?';
            }

            var count = g0.TryEncode(c, scratch);
            if (count == 0 && g1 is not null)
                count = g1.TryEncode(c, scratch);
            if (count == 0)
            {
                foreach (var element in elements)
                {
                    count = element.TryEncode(c, scratch);
                    if (count > 0)
                    {
                        Designate(element);
                        break;
                    }
                }
            }
            if (count == 0)
            {
                if (g1 is null && c is >= '\u0080' and <= '\u00FF')
                {
                    scratch[0] = (byte)c; // mirrors the decoder's Latin-1 reading of an empty G1
                }
                else
                {
                    if (g0 != initialG0)
                        Designate(initialG0);
                    scratch[0] = (byte)'?';
                }
                count = 1;
            }
            writer.Write(scratch[..count]);
        }
        Reset();
        return writer.WrittenSpan.ToArray();

        void Reset()
        {
            if (g0 != initialG0)
            {
                writer.Write(initialG0.Escape);
                g0 = initialG0;
            }
            if (g1 != initialG1)
            {
                if (initialG1 is not null)
                    writer.Write(initialG1.Escape);
                g1 = initialG1;
            }
        }

        void Designate(CodeElement element)
        {
            writer.Write(element.Escape);
            if (element.IsG1)
                g1 = element;
            else
                g0 = element;
        }

        void Write(byte b)
        {
            writer.GetSpan(1)[0] = b;
            writer.Advance(1);
        }
    }
}
