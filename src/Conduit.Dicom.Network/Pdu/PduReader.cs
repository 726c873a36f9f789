using System.Buffers;
using System.Buffers.Binary;

namespace Conduit.Dicom.Network.Pdu;

/// <summary>
/// Parses the upper-layer byte stream (PS3.8 §9.3). Control PDUs are returned whole and only once all their bytes are
/// in the buffer; a P-DATA-TF PDU is streamed instead: its PDV data comes out in pieces as the bytes arrive, so a
/// peer's declared length never decides how much memory is held. Every PDU's declared length is checked against the
/// limit as soon as its 6-byte header is in: a 4 GB length is refused before a single body byte is waited for.
/// </summary>
public sealed class PduReader
{
    /// <summary>Default ceiling for control PDUs (A-ASSOCIATE-RQ with 128 presentation contexts is about 20 KB).</summary>
    public const uint DefaultMaxControlPduLength = 256 * 1024;

    private uint _pduRemaining;     // bytes of the current P-DATA-TF PDU not yet parsed; 0 outside one
    private uint _pdvRemaining;     // data bytes of the current PDV item not yet delivered
    private byte _contextId;
    private byte _controlHeader;
    private bool _inPdv;

    /// <param name="maxDataPduLength">Largest P-DATA-TF PDU-length accepted.</param>
    /// <param name="maxControlPduLength">Largest PDU-length accepted for the other PDUs.</param>
    public PduReader(uint maxDataPduLength, uint maxControlPduLength = DefaultMaxControlPduLength)
    {
        MaxDataPduLength = maxDataPduLength;
        MaxControlPduLength = maxControlPduLength;
    }

    public uint MaxDataPduLength { get; set; }

    public uint MaxControlPduLength { get; set; }

    /// <summary>Whole PDUs read so far (an idle timer watches it: a peer dribbling bytes does not reset it).</summary>
    public long CompletedPdus { get; private set; }

    /// <summary>True between the header of a P-DATA-TF PDU and its last byte.</summary>
    public bool InsideDataPdu => _pduRemaining > 0 || _inPdv;

    /// <summary>
    /// Reads the next event from <paramref name="buffer"/>, advancing it past what was consumed. Returns false, with
    /// nothing consumed, when more bytes are needed. Throws <see cref="PduException"/> on a protocol error.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out PduEvent result)
    {
        while (true)
        {
            if (_inPdv)
            {
                if (_pdvRemaining > 0 && buffer.IsEmpty)
                {
                    result = default;
                    return false;
                }
                var take = (int)Math.Min(_pdvRemaining, buffer.Length);
                var data = buffer.Slice(0, take);
                buffer = buffer.Slice(take);
                _pdvRemaining -= (uint)take;
                var endOfPdv = _pdvRemaining == 0;
                if (endOfPdv)
                {
                    _inPdv = false;
                    if (_pduRemaining == 0) CompletedPdus++;
                }
                result = PduEvent.ForData(_contextId, (_controlHeader & 1) != 0, endOfPdv, (_controlHeader & 2) != 0, data);
                return true;
            }

            if (_pduRemaining > 0)
            {
                // PS3.8 §9.3.5.1: PDV item = item-length (4), presentation-context-ID (1), message control header (1), data.
                if (buffer.Length < DataTransferPdu.PdvHeaderLength)
                {
                    result = default;
                    return false;
                }
                Span<byte> header = stackalloc byte[DataTransferPdu.PdvHeaderLength];
                buffer.Slice(0, DataTransferPdu.PdvHeaderLength).CopyTo(header);
                var itemLength = BinaryPrimitives.ReadUInt32BigEndian(header);
                if (itemLength < 2 || itemLength > _pduRemaining - 4)
                    throw PduException.Invalid($"PDV item length {itemLength} does not fit the {_pduRemaining} bytes left of its P-DATA-TF PDU");
                if ((header[4] & 1) == 0)
                    throw PduException.Invalid($"presentation context ID {header[4]} is even (PS3.8 §9.3.2.2: odd integers only)");
                if ((header[5] & 0xFC) != 0)
                    throw PduException.Invalid($"message control header {header[5]:X2}H sets reserved bits (PS3.8 Annex E.2)");
                buffer = buffer.Slice(DataTransferPdu.PdvHeaderLength);
                _pduRemaining -= 4 + itemLength;
                _pdvRemaining = itemLength - 2;
                _contextId = header[4];
                _controlHeader = header[5];
                _inPdv = true;
                continue; // an empty PDV is delivered as an event with no data, so its flags are seen
            }

            if (buffer.Length < ProtocolDataUnit.HeaderLength)
            {
                result = default;
                return false;
            }
            Span<byte> pduHeader = stackalloc byte[ProtocolDataUnit.HeaderLength];
            buffer.Slice(0, ProtocolDataUnit.HeaderLength).CopyTo(pduHeader);
            var type = (PduType)pduHeader[0];
            var length = BinaryPrimitives.ReadUInt32BigEndian(pduHeader[2..]);
            switch (type)
            {
                case PduType.DataTransfer:
                    if (length > MaxDataPduLength)
                        throw PduException.Invalid($"P-DATA-TF PDU declares {length} bytes, more than the {MaxDataPduLength} accepted");
                    buffer = buffer.Slice(ProtocolDataUnit.HeaderLength);
                    _pduRemaining = length;
                    if (length == 0) CompletedPdus++;
                    continue;
                case PduType.AssociateRequest or PduType.AssociateAccept:
                    if (length > MaxControlPduLength)
                        throw PduException.Invalid($"{type} PDU declares {length} bytes, more than the {MaxControlPduLength} accepted");
                    break;
                case PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort:
                    // PS3.8 Tables 9-21, 9-24 to 9-26: a PDU-length of 4.
                    if (length != 4) throw PduException.Invalid($"{type} PDU declares {length} bytes; its length is 4");
                    break;
                default:
                    throw new PduException(AbortReason.UnrecognizedPdu, $"unrecognized PDU type {pduHeader[0]:X2}H");
            }
            if (buffer.Length - ProtocolDataUnit.HeaderLength < length)
            {
                result = default;
                return false;
            }
            var body = buffer.Slice(ProtocolDataUnit.HeaderLength, length);
            var pdu = ParseControl(type, body);
            buffer = buffer.Slice(body.End);
            CompletedPdus++;
            result = PduEvent.ForControl(pdu);
            return true;
        }
    }

    private static ProtocolDataUnit ParseControl(PduType type, ReadOnlySequence<byte> body)
    {
        // Bounded by MaxControlPduLength, checked above.
        if (body.IsSingleSegment) return ParseControl(type, body.FirstSpan);
        var rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
        try
        {
            body.CopyTo(rented);
            return ParseControl(type, rented.AsSpan(0, (int)body.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static ProtocolDataUnit ParseControl(PduType type, ReadOnlySpan<byte> body) => type switch
    {
        PduType.AssociateRequest => AssociateCodec.ParseRequest(body),
        PduType.AssociateAccept => AssociateCodec.ParseAccept(body),
        PduType.AssociateReject => AssociateRejectPdu.Parse(body),
        PduType.ReleaseRequest => ReleaseRequestPdu.Instance,
        PduType.ReleaseResponse => ReleaseResponsePdu.Instance,
        PduType.Abort => AbortPdu.Parse(body),
        _ => throw new PduException(AbortReason.UnrecognizedPdu, $"unrecognized PDU type {(byte)type:X2}H"),
    };
}
