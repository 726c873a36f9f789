using System.Buffers.Binary;

namespace Conduit.Dicom.Network.Pdu;

/// <summary>
/// A-ASSOCIATE-RJ (PS3.8 §9.3.4, Table 9-21):
/// <code>
/// offset 6  reserved  1 byte
/// offset 7  result    1 byte  (1 permanent, 2 transient)
/// offset 8  source    1 byte  (1 service user, 2 ACSE provider, 3 presentation provider)
/// offset 9  reason    1 byte
/// </code>
/// </summary>
public sealed class AssociateRejectPdu(RejectResult result, RejectSource source, RejectReason reason) : ProtocolDataUnit
{
    public RejectResult Result { get; } = result;
    public RejectSource Source { get; } = source;
    public RejectReason Reason { get; } = reason;

    public override PduType Type => PduType.AssociateReject;
    public override int BodyLength => 4;

    protected override void WriteBody(Span<byte> body)
    {
        body[0] = 0;
        body[1] = (byte)Result;
        body[2] = (byte)Source;
        body[3] = (byte)Reason;
    }

    internal static AssociateRejectPdu Parse(ReadOnlySpan<byte> body) =>
        new((RejectResult)body[1], (RejectSource)body[2], (RejectReason)body[3]);

    public override string ToString() => $"A-ASSOCIATE-RJ result {(byte)Result} source {(byte)Source} reason {(byte)Reason}";
}

/// <summary>A-RELEASE-RQ (PS3.8 §9.3.6, Table 9-24): four reserved bytes.</summary>
public sealed class ReleaseRequestPdu : ProtocolDataUnit
{
    public static readonly ReleaseRequestPdu Instance = new();
    public override PduType Type => PduType.ReleaseRequest;
    public override int BodyLength => 4;
    protected override void WriteBody(Span<byte> body) => body.Clear();
    public override string ToString() => "A-RELEASE-RQ";
}

/// <summary>A-RELEASE-RP (PS3.8 §9.3.7, Table 9-25): four reserved bytes.</summary>
public sealed class ReleaseResponsePdu : ProtocolDataUnit
{
    public static readonly ReleaseResponsePdu Instance = new();
    public override PduType Type => PduType.ReleaseResponse;
    public override int BodyLength => 4;
    protected override void WriteBody(Span<byte> body) => body.Clear();
    public override string ToString() => "A-RELEASE-RP";
}

/// <summary>
/// A-ABORT (PS3.8 §9.3.8, Table 9-26):
/// <code>
/// offset 6  reserved  1 byte
/// offset 7  reserved  1 byte
/// offset 8  source    1 byte  (0 service user, 2 service provider)
/// offset 9  reason    1 byte  (meaningful when the source is 2)
/// </code>
/// </summary>
public sealed class AbortPdu(AbortSource source, AbortReason reason) : ProtocolDataUnit
{
    public AbortSource Source { get; } = source;
    public AbortReason Reason { get; } = reason;

    public override PduType Type => PduType.Abort;
    public override int BodyLength => 4;

    protected override void WriteBody(Span<byte> body)
    {
        body[0] = 0;
        body[1] = 0;
        body[2] = (byte)Source;
        body[3] = (byte)Reason;
    }

    internal static AbortPdu Parse(ReadOnlySpan<byte> body) => new((AbortSource)body[2], (AbortReason)body[3]);

    public override string ToString() => $"A-ABORT source {(byte)Source} reason {(byte)Reason}";
}

/// <summary>One presentation data value of a P-DATA-TF PDU, for writers and tests (receivers stream them).</summary>
public readonly record struct PresentationDataValue(byte ContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data)
{
    /// <summary>Bytes of the PDV item: length field, context id, message control header, data.</summary>
    public int ItemLength => 4 + 2 + Data.Length;
}

/// <summary>
/// P-DATA-TF (PS3.8 §9.3.5, Table 9-22) holding one or more PDV items (§9.3.5.1, Table 9-23; Annex E.2):
/// <code>
/// offset 0  item-length                 4 bytes, big endian: context id + header + data
/// offset 4  presentation-context-ID     1 byte (odd, 1-255)
/// offset 5  message control header      1 byte: bit 0 set = command, bit 1 set = last fragment
/// offset 6  fragment data
/// </code>
/// </summary>
public sealed class DataTransferPdu(IReadOnlyList<PresentationDataValue> values) : ProtocolDataUnit
{
    public const int PdvHeaderLength = 6;

    public IReadOnlyList<PresentationDataValue> Values { get; } = values;

    public override PduType Type => PduType.DataTransfer;

    public override int BodyLength => Values.Sum(v => v.ItemLength);

    protected override void WriteBody(Span<byte> body)
    {
        foreach (var value in Values)
        {
            WritePdvHeader(body, value.ContextId, value.IsCommand, value.IsLast, value.Data.Length);
            value.Data.Span.CopyTo(body[PdvHeaderLength..]);
            body = body[value.ItemLength..];
        }
    }

    /// <summary>Writes the 6-byte header of a PDV item carrying <paramref name="dataLength"/> bytes.</summary>
    public static void WritePdvHeader(Span<byte> span, byte contextId, bool isCommand, bool isLast, int dataLength)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(dataLength + 2));
        span[4] = contextId;
        span[5] = (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0));
    }

    /// <summary>Writes the header of a P-DATA-TF PDU holding one PDV of <paramref name="dataLength"/> bytes, then the PDV header (12 bytes).</summary>
    public static void WriteSinglePdvHeaders(Span<byte> span, byte contextId, bool isCommand, bool isLast, int dataLength)
    {
        WriteHeader(span, PduType.DataTransfer, (uint)(PdvHeaderLength + dataLength));
        WritePdvHeader(span[HeaderLength..], contextId, isCommand, isLast, dataLength);
    }
}
