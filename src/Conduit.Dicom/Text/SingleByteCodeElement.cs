namespace Conduit.Dicom.Text;

/// <summary>
/// A single-byte set described by a 256-entry table from raw byte to char (U+FFFD where unassigned).
/// G0 sets fill 0x00-0x7F, G1 sets 0x80-0xFF; the other half is never consulted.
/// </summary>
internal sealed class SingleByteCodeElement : CodeElement
{
    private readonly Func<char[]> _build;
    private char[]? _table;
    private Dictionary<char, byte>? _reverse;

    public SingleByteCodeElement(string name, byte[] escape, bool isG1, Func<char[]> build)
        : base(name, escape, isG1) => _build = build;

    public override int BytesPerChar => 1;

    /// <summary>Byte → char, built on first use (benign race: every builder produces the same table).</summary>
    public char[] Table => _table ??= _build();

    public char Decode(byte b) => Table[b];

    public override int TryEncode(char c, Span<byte> destination)
    {
        var reverse = _reverse ??= BuildReverse(Table, IsG1);
        if (!reverse.TryGetValue(c, out var b))
            return 0;
        destination[0] = b;
        return 1;
    }

    private static Dictionary<char, byte> BuildReverse(char[] table, bool isG1)
    {
        var reverse = new Dictionary<char, byte>(128);
        int start = isG1 ? 0x80 : 0x00, end = isG1 ? 0xFF : 0x7F;
        for (var b = start; b <= end; b++)
        {
            if (table[b] != '\uFFFD')
                reverse.TryAdd(table[b], (byte)b);
        }
        return reverse;
    }
}
