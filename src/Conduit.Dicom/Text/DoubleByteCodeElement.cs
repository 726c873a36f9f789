using System.Text;

namespace Conduit.Dicom.Text;

/// <summary>
/// A 94x94 two-byte set decoded through an EUC-style .NET code page. In the stream a G0 set uses bytes 0x21-0x7E
/// and a G1 set 0xA1-0xFE; <see cref="SecondByteHigh"/> says whether the code page wants the high bit set on the
/// second byte as well (false only for JIS X 0212 through code page 20932, which stores it as lead|0x80, trail).
/// </summary>
internal sealed class DoubleByteCodeElement : CodeElement
{
    private readonly int _codePage;
    private Encoding? _encoding;

    public DoubleByteCodeElement(string name, byte[] escape, bool isG1, int codePage, bool secondByteHigh)
        : base(name, escape, isG1)
    {
        _codePage = codePage;
        SecondByteHigh = secondByteHigh;
    }

    public bool SecondByteHigh { get; }

    public override int BytesPerChar => 2;

    private Encoding Encoding => _encoding ??= CodePages.Strict(_codePage);

    /// <summary>Decodes an even-length run of stream bytes (each pair one character) into <paramref name="destination"/>.</summary>
    public int DecodeRun(ReadOnlySpan<byte> run, Span<char> destination)
    {
        if (IsG1 && SecondByteHigh)
            return Encoding.GetChars(run, destination);

        byte[]? rented = null;
        Span<byte> buffer = run.Length <= 256 ? stackalloc byte[run.Length] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(run.Length));
        for (var i = 0; i < run.Length; i += 2)
        {
            buffer[i] = (byte)(run[i] | 0x80);
            buffer[i + 1] = SecondByteHigh ? (byte)(run[i + 1] | 0x80) : run[i + 1];
        }
        var count = Encoding.GetChars(buffer[..run.Length], destination);
        if (rented is not null)
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return count;
    }

    public override int TryEncode(char c, Span<byte> destination)
    {
        if (c < 0x80 || char.IsSurrogate(c))
            return 0;
        Span<byte> buffer = stackalloc byte[8];
        var n = Encoding.GetBytes(new ReadOnlySpan<char>(in c), buffer);
        if (n != 2 || buffer[0] < 0xA1 || buffer[0] > 0xFE)
            return 0;
        var second = buffer[1];
        if (SecondByteHigh ? second is < 0xA1 or > 0xFE : second is < 0x21 or > 0x7E)
            return 0;
        destination[0] = IsG1 ? buffer[0] : (byte)(buffer[0] & 0x7F);
        destination[1] = IsG1 ? second : (byte)(second & 0x7F);
        return 2;
    }
}
