using System.Buffers;
using System.Buffers.Binary;

namespace Conduit.Dicom.Network.Pdu;

/// <summary>
/// A PDU of the DICOM upper layer other than P-DATA-TF, whose data is streamed (see <see cref="PduReader"/>).
/// Every PDU starts with the same 6-byte header (PS3.8 §9.3.1):
/// <code>
/// offset 0  PDU-type          1 byte
/// offset 1  reserved          1 byte
/// offset 2  PDU-length        4 bytes, big endian: the bytes that follow the header
/// </code>
/// </summary>
public abstract class ProtocolDataUnit
{
    public const int HeaderLength = 6;

    public abstract PduType Type { get; }

    /// <summary>Length of the variable part, the value of the PDU-length field.</summary>
    public abstract int BodyLength { get; }

    /// <summary>Writes the body (exactly <see cref="BodyLength"/> bytes).</summary>
    protected abstract void WriteBody(Span<byte> body);

    /// <summary>Writes the whole PDU, header included.</summary>
    public void Write(IBufferWriter<byte> writer)
    {
        var length = BodyLength;
        var span = writer.GetSpan(HeaderLength + length);
        WriteHeader(span, Type, (uint)length);
        WriteBody(span.Slice(HeaderLength, length));
        writer.Advance(HeaderLength + length);
    }

    /// <summary>The PDU as a new array (tests, small control PDUs).</summary>
    public byte[] ToArray()
    {
        var writer = new ArrayBufferWriter<byte>(HeaderLength + BodyLength);
        Write(writer);
        return writer.WrittenSpan.ToArray();
    }

    internal static void WriteHeader(Span<byte> span, PduType type, uint length)
    {
        span[0] = (byte)type;
        span[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], length);
    }
}
