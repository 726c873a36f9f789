using System.Buffers.Binary;
using System.Text;

namespace Conduit.Tests.Support;

/// <summary>PDU types of the DICOM upper layer (PS3.8 §9.3.1, Table 9-1 and the tables after it).</summary>
internal enum RawPduType : byte
{
    AssociateRq = 0x01,
    AssociateAc = 0x02,
    AssociateRj = 0x03,
    PDataTf = 0x04,
    ReleaseRq = 0x05,
    ReleaseRp = 0x06,
    Abort = 0x07,
}

/// <summary>One presentation context to propose: an abstract syntax and the transfer syntaxes offered for it.</summary>
internal sealed record RawPresentationContext(byte Id, string AbstractSyntax, params string[] TransferSyntaxes);

/// <summary>
/// Hand-built PDU bytes for the robustness tests: written here from the PS3.8 tables, independently of Conduit's own
/// codec, so that a codec bug cannot hide itself. Every multi-byte field is big endian (PS3.8 §9.3.1).
/// </summary>
internal static class RawPdu
{
    public const string ApplicationContext = "1.2.840.10008.3.1.1.1"; // PS3.7 Annex A.2.1
    public const string VerificationSopClass = "1.2.840.10008.1.1";
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    public const string ImplementationClassUid = "1.2.826.0.1.3680043.10.1444.99";
    public const int HeaderLength = 6;

    /// <summary>
    /// PS3.8 §9.3.2, Table 9-11: type 01, reserved, length (4), protocol version 0001 (2), reserved (2),
    /// called AE (16), calling AE (16), reserved (32), then the application context item (Table 9-12),
    /// presentation context items (Table 9-13) and the user information item (Table 9-16).
    /// </summary>
    public static byte[] AssociateRq(string calledAe, string callingAe, IEnumerable<RawPresentationContext> contexts, uint maxPduLength = 16384)
    {
        var variable = new List<byte>();
        variable.AddRange(Item(0x10, Ascii(ApplicationContext)));
        foreach (var context in contexts)
        {
            // PS3.8 §9.3.2.2, Table 9-14: context id, three reserved bytes, abstract syntax sub-item (30H), transfer syntax sub-items (40H)
            var body = new List<byte> { context.Id, 0, 0, 0 };
            body.AddRange(Item(0x30, Ascii(context.AbstractSyntax)));
            foreach (var syntax in context.TransferSyntaxes)
            {
                body.AddRange(Item(0x40, Ascii(syntax)));
            }
            variable.AddRange(Item(0x20, [.. body]));
        }

        // PS3.8 §9.3.2.3 and Annex D.1: maximum length (51H), implementation class UID (52H), version name (55H)
        var maxLength = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(maxLength, maxPduLength);
        var userInformation = new List<byte>();
        userInformation.AddRange(Item(0x51, maxLength));
        userInformation.AddRange(Item(0x52, Ascii(ImplementationClassUid)));
        userInformation.AddRange(Item(0x55, Ascii("RAWPEER")));
        variable.AddRange(Item(0x50, [.. userInformation]));

        var fixedPart = new byte[68];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, 0x0001); // protocol version
        AeTitle(calledAe).CopyTo(fixedPart, 4);
        AeTitle(callingAe).CopyTo(fixedPart, 20);
        return Pdu(RawPduType.AssociateRq, [.. fixedPart, .. variable]);
    }

    /// <summary>PS3.8 §9.3.5, Tables 9-22 and 9-23: one P-DATA-TF holding one PDV item.</summary>
    public static byte[] PData(byte contextId, bool command, bool last, ReadOnlySpan<byte> fragment)
    {
        // PS3.8 Annex E.2: message control header, bit 0 = command (1) or data set (0), bit 1 = last fragment
        var control = (byte)((command ? 0x01 : 0x00) | (last ? 0x02 : 0x00));
        var body = new byte[6 + fragment.Length];
        BinaryPrimitives.WriteUInt32BigEndian(body, (uint)(2 + fragment.Length));
        body[4] = contextId;
        body[5] = control;
        fragment.CopyTo(body.AsSpan(6));
        return Pdu(RawPduType.PDataTf, body);
    }

    /// <summary>PS3.8 §9.3.6, Table 9-24: four reserved bytes.</summary>
    public static byte[] ReleaseRq() => Pdu(RawPduType.ReleaseRq, new byte[4]);

    /// <summary>PS3.8 §9.3.8, Table 9-26: reserved, reserved, source (0 = service user), reason/diag.</summary>
    public static byte[] Abort(byte source = 0, byte reason = 0) => Pdu(RawPduType.Abort, [0, 0, source, reason]);

    /// <summary>A PDU header alone, declaring <paramref name="length"/> bytes that never all come.</summary>
    public static byte[] Header(RawPduType type, uint length)
    {
        var header = new byte[HeaderLength];
        header[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), length);
        return header;
    }

    public static byte[] Pdu(RawPduType type, byte[] body)
    {
        var pdu = new byte[HeaderLength + body.Length];
        Header(type, (uint)body.Length).CopyTo(pdu, 0);
        body.CopyTo(pdu, HeaderLength);
        return pdu;
    }

    /// <summary>Item type, reserved, 2-byte length, value (PS3.8 §9.3.2.1 and the items after it).</summary>
    private static byte[] Item(byte type, byte[] value)
    {
        var item = new byte[4 + value.Length];
        item[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(item.AsSpan(2), checked((ushort)value.Length));
        value.CopyTo(item, 4);
        return item;
    }

    private static byte[] Ascii(string value) => Encoding.ASCII.GetBytes(value);

    private static byte[] AeTitle(string ae) => Encoding.ASCII.GetBytes(ae.PadRight(16)[..16]);
}
