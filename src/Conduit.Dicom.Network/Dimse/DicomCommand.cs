using System.Buffers;
using System.Buffers.Binary;

namespace Conduit.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE command set (PS3.7 §6.3, §9.3): group 0000 elements, always in Implicit VR Little Endian, with a
/// Command Group Length (0000,0000) computed on encoding. Typed accessors cover the fields C-ECHO and C-STORE use;
/// <see cref="Dataset"/> holds everything.
/// </summary>
public sealed class DicomCommand
{
    /// <summary>Command Data Set Type (0000,0800) value meaning "no data set follows" (PS3.7 §E.1).</summary>
    public const ushort NoDataset = 0x0101;

    public DicomCommand() : this(new DicomDataset()) { }

    public DicomCommand(DicomDataset dataset) => Dataset = dataset;

    public DicomDataset Dataset { get; }

    public DicomCommandField CommandField
    {
        get => (DicomCommandField)Dataset.GetValueOrDefault<ushort>(DicomTags.CommandField, 0);
        set => Dataset.AddOrUpdate(DicomTags.CommandField, DicomVR.US, (ushort)value);
    }

    public ushort MessageId
    {
        get => Dataset.GetValueOrDefault<ushort>(DicomTags.MessageID, 0);
        set => Dataset.AddOrUpdate(DicomTags.MessageID, DicomVR.US, value);
    }

    public ushort MessageIdBeingRespondedTo
    {
        get => Dataset.GetValueOrDefault<ushort>(DicomTags.MessageIDBeingRespondedTo, 0);
        set => Dataset.AddOrUpdate(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, value);
    }

    public string? AffectedSopClassUid
    {
        get => GetUid(DicomTags.AffectedSOPClassUID);
        set => SetString(DicomTags.AffectedSOPClassUID, DicomVR.UI, value);
    }

    public string? AffectedSopInstanceUid
    {
        get => GetUid(DicomTags.AffectedSOPInstanceUID);
        set => SetString(DicomTags.AffectedSOPInstanceUID, DicomVR.UI, value);
    }

    /// <summary>False when Command Data Set Type is 0101H (PS3.7 §E.1); any other value announces a data set.</summary>
    public bool HasDataset
    {
        get => Dataset.GetValueOrDefault<ushort>(DicomTags.CommandDataSetType, NoDataset) != NoDataset;
        set => Dataset.AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, value ? (ushort)0x0000 : NoDataset);
    }

    public ushort Priority
    {
        get => Dataset.GetValueOrDefault<ushort>(DicomTags.Priority, 0);
        set => Dataset.AddOrUpdate(DicomTags.Priority, DicomVR.US, value);
    }

    public DicomStatus Status
    {
        get => new(Dataset.GetValueOrDefault<ushort>(DicomTags.Status, 0xFFFF));
        set => Dataset.AddOrUpdate(DicomTags.Status, DicomVR.US, value.Code);
    }

    public string? ErrorComment
    {
        get => Dataset.TryGetString(DicomTags.ErrorComment, out var s) ? s.Trim() : null;
        set => SetString(DicomTags.ErrorComment, DicomVR.LO, value is { Length: > 64 } ? value[..64] : value);
    }

    public string? MoveOriginatorAeTitle
    {
        get => Dataset.TryGetString(DicomTags.MoveOriginatorApplicationEntityTitle, out var s) && s.Trim().Length > 0 ? s.Trim() : null;
        set => SetString(DicomTags.MoveOriginatorApplicationEntityTitle, DicomVR.AE, value);
    }

    public ushort? MoveOriginatorMessageId
    {
        get => Dataset.TryGetValue<ushort>(DicomTags.MoveOriginatorMessageID, out var v) ? v : null;
        set
        {
            if (value is { } v) Dataset.AddOrUpdate(DicomTags.MoveOriginatorMessageID, DicomVR.US, v);
            else Dataset.Remove(DicomTags.MoveOriginatorMessageID);
        }
    }

    public bool IsRequest => ((ushort)CommandField & 0x8000) == 0;

    /// <summary>Writes the command set in Implicit VR Little Endian, group length first (PS3.7 §6.3.1).</summary>
    public void Encode(IBufferWriter<byte> writer)
    {
        var groupLength = 0;
        foreach (var item in Dataset)
            if (item.Tag != DicomTags.CommandGroupLength && item is DicomElement e) groupLength += 8 + (int)e.Length;
        var span = writer.GetSpan(12 + groupLength);
        WriteElementHeader(span, DicomTags.CommandGroupLength, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)groupLength);
        var rest = span[12..];
        foreach (var item in Dataset)
        {
            if (item.Tag == DicomTags.CommandGroupLength || item is not DicomElement element) continue;
            var value = element.Buffer.Span;
            WriteElementHeader(rest, element.Tag, value.Length);
            value.CopyTo(rest[8..]);
            rest = rest[(8 + value.Length)..];
        }
        writer.Advance(12 + groupLength);
    }

    public byte[] ToArray()
    {
        var writer = new ArrayBufferWriter<byte>(256);
        Encode(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a command set (Implicit VR LE). Throws <see cref="DimseException"/> when it is not one.</summary>
    public static DicomCommand Decode(ReadOnlyMemory<byte> bytes)
    {
        DicomDataset dataset;
        try
        {
            using var stream = new MemoryStream(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
                ? segment.Array! : bytes.ToArray(), segment.Offset, bytes.Length, writable: false);
            dataset = DicomReader.ReadDataset(stream, DicomTransferSyntax.ImplicitVRLittleEndian);
        }
        catch (DicomReadException ex)
        {
            throw new DimseException($"command set cannot be read: {ex.Message}");
        }
        foreach (var item in dataset)
            if (item.Tag.Group != 0x0000) throw new DimseException($"command set holds {item.Tag}, outside group 0000");
        if (!dataset.Contains(DicomTags.CommandField)) throw new DimseException("command set without Command Field (0000,0100)");
        return new DicomCommand(dataset);
    }

    public static DicomCommand CreateEchoRequest(ushort messageId) => new()
    {
        AffectedSopClassUid = DicomUids.Verification,
        CommandField = DicomCommandField.CEchoRequest,
        MessageId = messageId,
        HasDataset = false,
    };

    public static DicomCommand CreateStoreRequest(ushort messageId, string sopClassUid, string sopInstanceUid,
        string? moveOriginatorAeTitle = null, ushort? moveOriginatorMessageId = null)
    {
        var command = new DicomCommand
        {
            AffectedSopClassUid = sopClassUid,
            CommandField = DicomCommandField.CStoreRequest,
            MessageId = messageId,
            Priority = 0,
            HasDataset = true,
            AffectedSopInstanceUid = sopInstanceUid,
        };
        // PS3.7 §9.1.1.1: Move Originator fields only when the C-STORE is done for a C-MOVE.
        if (moveOriginatorAeTitle is not null) command.MoveOriginatorAeTitle = moveOriginatorAeTitle;
        if (moveOriginatorMessageId is not null) command.MoveOriginatorMessageId = moveOriginatorMessageId;
        return command;
    }

    /// <summary>The response to <paramref name="request"/> (PS3.7 §9.3.1.2, §9.3.5.2): class, instance and message id echoed.</summary>
    public static DicomCommand CreateResponse(DicomCommand request, DicomStatus status, string? errorComment = null)
    {
        var response = new DicomCommand
        {
            CommandField = (DicomCommandField)((ushort)request.CommandField | 0x8000),
            MessageIdBeingRespondedTo = request.MessageId,
            HasDataset = false,
            Status = status,
        };
        if (request.AffectedSopClassUid is { } sopClass) response.AffectedSopClassUid = sopClass;
        if (request.AffectedSopInstanceUid is { } sopInstance) response.AffectedSopInstanceUid = sopInstance;
        if (errorComment is not null && status.Category == DicomStatusCategory.Failure) response.ErrorComment = errorComment;
        return response;
    }

    public override string ToString() =>
        $"{CommandField} id {(IsRequest ? MessageId : MessageIdBeingRespondedTo)}{(IsRequest ? "" : $" status {Status}")}";

    private string? GetUid(DicomTag tag) =>
        Dataset.TryGetString(tag, out var s) ? s.TrimEnd('\0', ' ') : null;

    private void SetString(DicomTag tag, DicomVR vr, string? value)
    {
        if (value is null) Dataset.Remove(tag);
        else Dataset.AddOrUpdate(tag, vr, value);
    }

    private static void WriteElementHeader(Span<byte> span, DicomTag tag, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
    }
}
