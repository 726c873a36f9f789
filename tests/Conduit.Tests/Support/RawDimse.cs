using System.Buffers.Binary;
using System.Text;

namespace Conduit.Tests.Support;

/// <summary>
/// DIMSE command sets built by hand for the raw peer. A command set is always Implicit VR Little Endian
/// (PS3.7 §6.3.1), its elements in group 0000 (PS3.7 §E.1), led by Command Group Length (0000,0000).
/// </summary>
internal static class RawDimse
{
    private const ushort CStoreRq = 0x0001; // PS3.7 §E.1, Table E.1-1 Command Field values
    private const ushort CEchoRq = 0x0030;
    private const ushort NoDataset = 0x0101; // Command Data Set Type: 0101H = no data set, anything else = one follows

    /// <summary>PS3.7 §9.3.5.1, Table 9.3-12: C-ECHO-RQ.</summary>
    public static byte[] EchoRq(ushort messageId) => CommandSet(writer =>
    {
        writer.Uid(0x0002, RawPdu.VerificationSopClass);
        writer.UShort(0x0100, CEchoRq);
        writer.UShort(0x0110, messageId);
        writer.UShort(0x0800, NoDataset);
    });

    /// <summary>PS3.7 §9.3.1.1, Table 9.3-1: C-STORE-RQ, a data set follows.</summary>
    public static byte[] StoreRq(ushort messageId, string sopClassUid, string sopInstanceUid) => CommandSet(writer =>
    {
        writer.Uid(0x0002, sopClassUid);
        writer.UShort(0x0100, CStoreRq);
        writer.UShort(0x0110, messageId);
        writer.UShort(0x0700, 0x0000); // Priority: medium
        writer.UShort(0x0800, 0x0000);
        writer.Uid(0x1000, sopInstanceUid);
    });

    /// <summary>The Status (0000,0900) of a response command set, or null when it has none.</summary>
    public static ushort? Status(ReadOnlySpan<byte> commandSet)
    {
        var offset = 0;
        while (offset + 8 <= commandSet.Length)
        {
            var group = BinaryPrimitives.ReadUInt16LittleEndian(commandSet[offset..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(commandSet[(offset + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(commandSet[(offset + 4)..]);
            offset += 8;
            if (length > (uint)(commandSet.Length - offset))
            {
                return null;
            }
            if (group == 0x0000 && element == 0x0900 && length == 2)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(commandSet[offset..]);
            }
            offset += (int)length;
        }
        return null;
    }

    private static byte[] CommandSet(Action<ElementWriter> body)
    {
        var elements = new ElementWriter();
        body(elements);
        var content = elements.ToArray();
        var group = new ElementWriter();
        group.UInt(0x0000, (uint)content.Length);
        return [.. group.ToArray(), .. content];
    }

    /// <summary>Implicit VR LE elements of group 0000: tag (4), value length (4), value.</summary>
    private sealed class ElementWriter
    {
        private readonly MemoryStream _stream = new();

        public void UShort(ushort element, ushort value)
        {
            Span<byte> bytes = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
            Write(element, bytes);
        }

        public void UInt(ushort element, uint value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            Write(element, bytes);
        }

        /// <summary>UI values are padded to even length with a NUL (PS3.5 §6.2).</summary>
        public void Uid(ushort element, string uid)
        {
            var bytes = Encoding.ASCII.GetBytes(uid.Length % 2 == 0 ? uid : uid + "\0");
            Write(element, bytes);
        }

        public byte[] ToArray() => _stream.ToArray();

        private void Write(ushort element, ReadOnlySpan<byte> value)
        {
            Span<byte> header = stackalloc byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0000);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)value.Length);
            _stream.Write(header);
            _stream.Write(value);
        }
    }
}
