using System.Buffers.Binary;
using System.Text;

namespace Conduit.Dicom.Network.Pdu;

/// <summary>
/// Reads and writes the body shared by A-ASSOCIATE-RQ and -AC (PS3.8 §9.3.2, §9.3.3). Every item and sub-item
/// starts with a 4-byte header (PS3.8 Table 9-12 ff.): item-type (1), reserved (1), item-length (2, big endian).
/// Lengths come from the peer: each is checked against what is left before it is used.
/// </summary>
internal static class AssociateCodec
{
    /// <summary>The DICOM Application Context Name (PS3.7 Annex A.2.1).</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    private const int FixedLength = 68;          // protocol version .. reserved 32 bytes
    private const int ItemHeaderLength = 4;
    private const int AeTitleLength = 16;

    public static int BodyLength(AssociateRequestPdu pdu) =>
        FixedLength + ItemLength(pdu.ApplicationContext)
        + pdu.PresentationContexts.Sum(c => ItemHeaderLength + 4 + ItemLength(c.AbstractSyntax) + c.TransferSyntaxes.Sum(ItemLength))
        + UserInformationLength(pdu.UserInformation);

    public static int BodyLength(AssociateAcceptPdu pdu) =>
        FixedLength + ItemLength(pdu.ApplicationContext)
        + pdu.PresentationContexts.Sum(c => ItemHeaderLength + 4 + ItemLength(c.TransferSyntax))
        + UserInformationLength(pdu.UserInformation);

    public static void Write(Span<byte> body, AssociateRequestPdu pdu)
    {
        var rest = WriteFixed(body, pdu.ProtocolVersion, pdu.CalledAeTitle, pdu.CallingAeTitle);
        rest = WriteStringItem(rest, ItemType.ApplicationContext, pdu.ApplicationContext);
        foreach (var context in pdu.PresentationContexts)
        {
            var length = 4 + ItemLength(context.AbstractSyntax) + context.TransferSyntaxes.Sum(ItemLength);
            WriteItemHeader(rest, ItemType.PresentationContextRequest, length);
            rest[4] = context.Id;
            rest[5..8].Clear();
            var inner = WriteStringItem(rest[8..], ItemType.AbstractSyntax, context.AbstractSyntax);
            foreach (var ts in context.TransferSyntaxes) inner = WriteStringItem(inner, ItemType.TransferSyntax, ts);
            rest = rest[(ItemHeaderLength + length)..];
        }
        WriteUserInformation(rest, pdu.UserInformation);
    }

    public static void Write(Span<byte> body, AssociateAcceptPdu pdu)
    {
        var rest = WriteFixed(body, pdu.ProtocolVersion, pdu.CalledAeTitle, pdu.CallingAeTitle);
        rest = WriteStringItem(rest, ItemType.ApplicationContext, pdu.ApplicationContext);
        foreach (var context in pdu.PresentationContexts)
        {
            var length = 4 + ItemLength(context.TransferSyntax);
            WriteItemHeader(rest, ItemType.PresentationContextAccept, length);
            rest[4] = context.Id;
            rest[5] = 0;
            rest[6] = (byte)context.Result;
            rest[7] = 0;
            WriteStringItem(rest[8..], ItemType.TransferSyntax, context.TransferSyntax);
            rest = rest[(ItemHeaderLength + length)..];
        }
        WriteUserInformation(rest, pdu.UserInformation);
    }

    public static AssociateRequestPdu ParseRequest(ReadOnlySpan<byte> body)
    {
        var items = ParseVariableItems(body, ItemType.PresentationContextRequest, ParsePresentationContextRequest, "A-ASSOCIATE-RQ");
        return new AssociateRequestPdu
        {
            ProtocolVersion = items.Version,
            CalledAeTitle = items.Called,
            CallingAeTitle = items.Calling,
            ApplicationContext = items.ApplicationContext,
            PresentationContexts = items.Contexts,
            UserInformation = items.UserInformation,
        };
    }

    public static AssociateAcceptPdu ParseAccept(ReadOnlySpan<byte> body)
    {
        var items = ParseVariableItems(body, ItemType.PresentationContextAccept, ParsePresentationContextAccept, "A-ASSOCIATE-AC");
        return new AssociateAcceptPdu
        {
            ProtocolVersion = items.Version,
            CalledAeTitle = items.Called,
            CallingAeTitle = items.Calling,
            ApplicationContext = items.ApplicationContext,
            PresentationContexts = items.Contexts,
            UserInformation = items.UserInformation,
        };
    }

    private delegate T ItemParser<out T>(ReadOnlySpan<byte> value);

    /// <summary>What A-ASSOCIATE-RQ and -AC share: the fixed fields and the variable items (PS3.8 §9.3.2, §9.3.3).</summary>
    private sealed record VariableItems<TContext>(
        ushort Version, string Called, string Calling, string ApplicationContext, List<TContext> Contexts, UserInformation UserInformation);

    /// <summary>
    /// The fixed fields, then one Application Context item, the presentation context items of <paramref name="contextType"/>
    /// and one User Information item; any other item type is refused (PS3.8 §9.3.2 for the RQ, §9.3.3 for the AC).
    /// </summary>
    private static VariableItems<TContext> ParseVariableItems<TContext>(ReadOnlySpan<byte> body, ItemType contextType,
        ItemParser<TContext> parseContext, string pduName)
    {
        var (version, called, calling) = ReadFixed(body);
        string? applicationContext = null;
        var contexts = new List<TContext>();
        UserInformation? userInformation = null;
        foreach (var (type, value) in new ItemEnumerator(body[FixedLength..]))
        {
            if (type == ItemType.ApplicationContext) applicationContext = ReadUid(value);
            else if (type == contextType) contexts.Add(parseContext(value));
            else if (type == ItemType.UserInformation) userInformation = ParseUserInformation(value);
            else throw new PduException(AbortReason.UnrecognizedPduParameter, $"unexpected item type {(byte)type:X2}H in {pduName}");
        }
        return new VariableItems<TContext>(version, called, calling,
            applicationContext ?? throw PduException.Invalid($"{pduName} without an Application Context item"),
            contexts,
            userInformation ?? throw PduException.Invalid($"{pduName} without a User Information item"));
    }

    private static PresentationContextAccept ParsePresentationContextAccept(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4) throw PduException.Invalid("Presentation Context AC item shorter than 4 bytes");
        var transferSyntax = "";
        foreach (var (type, sub) in new ItemEnumerator(value[4..]))
            if (type == ItemType.TransferSyntax) transferSyntax = ReadUid(sub);
        return new PresentationContextAccept(value[0], (PresentationContextResult)value[2], transferSyntax);
    }

    private static PresentationContextRequest ParsePresentationContextRequest(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4) throw PduException.Invalid("Presentation Context RQ item shorter than 4 bytes");
        string? abstractSyntax = null;
        var syntaxes = new List<string>();
        foreach (var (type, sub) in new ItemEnumerator(value[4..]))
        {
            if (type == ItemType.AbstractSyntax) abstractSyntax = ReadUid(sub);
            else if (type == ItemType.TransferSyntax) syntaxes.Add(ReadUid(sub));
            else throw new PduException(AbortReason.UnrecognizedPduParameter, $"unexpected sub-item {(byte)type:X2}H in a Presentation Context");
        }
        return new PresentationContextRequest(value[0], abstractSyntax ?? "", syntaxes);
    }

    private static UserInformation ParseUserInformation(ReadOnlySpan<byte> value)
    {
        var info = new UserInformation { ImplementationClassUid = "", ImplementationVersionName = null };
        foreach (var (type, sub) in new ItemEnumerator(value))
        {
            switch (type)
            {
                case ItemType.MaximumLength:
                    if (sub.Length != 4) throw PduException.Invalid("Maximum Length sub-item is not 4 bytes");
                    info.MaxPduLength = BinaryPrimitives.ReadUInt32BigEndian(sub);
                    break;
                case ItemType.ImplementationClassUid:
                    info.ImplementationClassUid = ReadUid(sub);
                    break;
                case ItemType.ImplementationVersionName:
                    info.ImplementationVersionName = ReadUid(sub);
                    break;
                case ItemType.AsynchronousOperationsWindow:
                    if (sub.Length != 4) throw PduException.Invalid("Asynchronous Operations Window sub-item is not 4 bytes");
                    info.AsynchronousOperationsWindow = new(BinaryPrimitives.ReadUInt16BigEndian(sub), BinaryPrimitives.ReadUInt16BigEndian(sub[2..]));
                    break;
                case ItemType.RoleSelection:
                    // PS3.7 Table D.3-9: UID-length (2), SOP Class UID, SCU-role (1), SCP-role (1).
                    if (sub.Length < 2) throw PduException.Invalid("Role Selection sub-item too short");
                    var uidLength = BinaryPrimitives.ReadUInt16BigEndian(sub);
                    if (sub.Length != 2 + uidLength + 2) throw PduException.Invalid("Role Selection sub-item length does not match its UID length");
                    info.RoleSelections.Add(new RoleSelection(ReadUid(sub.Slice(2, uidLength)), sub[2 + uidLength] != 0, sub[3 + uidLength] != 0));
                    break;
                case ItemType.UserIdentityRequest:
                    info.UserIdentity = ParseUserIdentity(sub);
                    break;
                case ItemType.UserIdentityAccept:
                    if (sub.Length < 2) throw PduException.Invalid("User Identity AC sub-item too short");
                    var responseLength = BinaryPrimitives.ReadUInt16BigEndian(sub);
                    if (sub.Length != 2 + responseLength) throw PduException.Invalid("User Identity AC sub-item length does not match its response length");
                    info.UserIdentityServerResponse = sub.Slice(2, responseLength).ToArray();
                    break;
                default:
                    break; // extended negotiation and unknown sub-items: not answered (PS3.7 §D.3.3.5)
            }
        }
        return info;
    }

    private static UserIdentityRequest ParseUserIdentity(ReadOnlySpan<byte> sub)
    {
        // PS3.7 Table D.3-14: type (1), positive-response-requested (1), primary length (2), primary, secondary length (2), secondary.
        if (sub.Length < 6) throw PduException.Invalid("User Identity sub-item too short");
        var primaryLength = BinaryPrimitives.ReadUInt16BigEndian(sub[2..]);
        if (sub.Length < 4 + primaryLength + 2) throw PduException.Invalid("User Identity primary field overruns the sub-item");
        var secondaryLength = BinaryPrimitives.ReadUInt16BigEndian(sub[(4 + primaryLength)..]);
        if (sub.Length != 6 + primaryLength + secondaryLength) throw PduException.Invalid("User Identity secondary field does not match the sub-item length");
        return new UserIdentityRequest((UserIdentityType)sub[0], sub[1] != 0,
            sub.Slice(4, primaryLength).ToArray(), sub.Slice(6 + primaryLength, secondaryLength).ToArray());
    }

    private static int UserInformationLength(UserInformation info) => ItemHeaderLength + UserInformationContentLength(info);

    private static int UserInformationContentLength(UserInformation info)
    {
        var length = ItemHeaderLength + 4 + ItemLength(info.ImplementationClassUid);
        if (info.AsynchronousOperationsWindow is not null) length += ItemHeaderLength + 4;
        foreach (var role in info.RoleSelections) length += ItemHeaderLength + 2 + Encoding.ASCII.GetByteCount(role.SopClassUid) + 2;
        if (info.ImplementationVersionName is { } name) length += ItemLength(name);
        if (info.UserIdentity is { } id) length += ItemHeaderLength + 6 + id.PrimaryField.Length + id.SecondaryField.Length;
        if (info.UserIdentityServerResponse is { } response) length += ItemHeaderLength + 2 + response.Length;
        return length;
    }

    private static void WriteUserInformation(Span<byte> span, UserInformation info)
    {
        WriteItemHeader(span, ItemType.UserInformation, UserInformationContentLength(info));
        var rest = span[ItemHeaderLength..];
        WriteItemHeader(rest, ItemType.MaximumLength, 4);
        BinaryPrimitives.WriteUInt32BigEndian(rest[4..], info.MaxPduLength);
        rest = WriteStringItem(rest[8..], ItemType.ImplementationClassUid, info.ImplementationClassUid);
        if (info.AsynchronousOperationsWindow is { } window)
        {
            WriteItemHeader(rest, ItemType.AsynchronousOperationsWindow, 4);
            BinaryPrimitives.WriteUInt16BigEndian(rest[4..], window.MaxOperationsInvoked);
            BinaryPrimitives.WriteUInt16BigEndian(rest[6..], window.MaxOperationsPerformed);
            rest = rest[8..];
        }
        foreach (var role in info.RoleSelections)
        {
            var uidLength = Encoding.ASCII.GetByteCount(role.SopClassUid);
            WriteItemHeader(rest, ItemType.RoleSelection, 2 + uidLength + 2);
            BinaryPrimitives.WriteUInt16BigEndian(rest[4..], (ushort)uidLength);
            Encoding.ASCII.GetBytes(role.SopClassUid, rest[6..]);
            rest[6 + uidLength] = role.ScuRole ? (byte)1 : (byte)0;
            rest[7 + uidLength] = role.ScpRole ? (byte)1 : (byte)0;
            rest = rest[(8 + uidLength)..];
        }
        if (info.ImplementationVersionName is { } name) rest = WriteStringItem(rest, ItemType.ImplementationVersionName, name);
        if (info.UserIdentity is { } id)
        {
            WriteItemHeader(rest, ItemType.UserIdentityRequest, 6 + id.PrimaryField.Length + id.SecondaryField.Length);
            rest[4] = (byte)id.Type;
            rest[5] = id.PositiveResponseRequested ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt16BigEndian(rest[6..], (ushort)id.PrimaryField.Length);
            id.PrimaryField.CopyTo(rest[8..]);
            var secondary = rest[(8 + id.PrimaryField.Length)..];
            BinaryPrimitives.WriteUInt16BigEndian(secondary, (ushort)id.SecondaryField.Length);
            id.SecondaryField.CopyTo(secondary[2..]);
            rest = secondary[(2 + id.SecondaryField.Length)..];
        }
        if (info.UserIdentityServerResponse is { } response)
        {
            WriteItemHeader(rest, ItemType.UserIdentityAccept, 2 + response.Length);
            BinaryPrimitives.WriteUInt16BigEndian(rest[4..], (ushort)response.Length);
            response.CopyTo(rest[6..]);
        }
    }

    private static Span<byte> WriteFixed(Span<byte> body, ushort version, string called, string calling)
    {
        BinaryPrimitives.WriteUInt16BigEndian(body, version);
        body[2..4].Clear();
        WriteAeTitle(body.Slice(4, AeTitleLength), called);
        WriteAeTitle(body.Slice(20, AeTitleLength), calling);
        body.Slice(36, 32).Clear();
        return body[FixedLength..];
    }

    private static (ushort Version, string Called, string Calling) ReadFixed(ReadOnlySpan<byte> body)
    {
        if (body.Length < FixedLength) throw PduException.Invalid($"A-ASSOCIATE PDU of {body.Length} bytes is shorter than its fixed fields ({FixedLength})");
        return (BinaryPrimitives.ReadUInt16BigEndian(body), ReadAeTitle(body.Slice(4, AeTitleLength)), ReadAeTitle(body.Slice(20, AeTitleLength)));
    }

    private static void WriteAeTitle(Span<byte> field, string title)
    {
        // PS3.8 Table 9-11: 16 characters, padded with spaces (20H).
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(title.AsSpan(0, Math.Min(title.Length, AeTitleLength)), field);
    }

    // Leading and trailing spaces are not significant in AE titles (PS3.5 §6.2, AE).
    private static string ReadAeTitle(ReadOnlySpan<byte> field) => Encoding.ASCII.GetString(field).Trim(' ', '\0');

    private static int ItemLength(string uid) => ItemHeaderLength + Encoding.ASCII.GetByteCount(uid);

    private static Span<byte> WriteStringItem(Span<byte> span, ItemType type, string value)
    {
        var length = Encoding.ASCII.GetBytes(value, span[ItemHeaderLength..]);
        WriteItemHeader(span, type, length);
        return span[(ItemHeaderLength + length)..];
    }

    private static void WriteItemHeader(Span<byte> span, ItemType type, int length)
    {
        span[0] = (byte)type;
        span[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], checked((ushort)length));
    }

    // UIDs in items are not padded (PS3.8 Annex F), but some implementations pad them with a NUL or a space.
    private static string ReadUid(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');

    /// <summary>Walks the items of a variable field, checking each declared length against what is left.</summary>
    private ref struct ItemEnumerator(ReadOnlySpan<byte> span)
    {
        private ReadOnlySpan<byte> _rest = span;

        public Item Current { get; private set; }

        public readonly ItemEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.IsEmpty) return false;
            if (_rest.Length < ItemHeaderLength) throw PduException.Invalid($"{_rest.Length} stray bytes where an item header belongs");
            var length = BinaryPrimitives.ReadUInt16BigEndian(_rest[2..]);
            if (length > _rest.Length - ItemHeaderLength)
                throw PduException.Invalid($"item {_rest[0]:X2}H declares {length} bytes, only {_rest.Length - ItemHeaderLength} are left");
            Current = new Item((ItemType)_rest[0], _rest.Slice(ItemHeaderLength, length));
            _rest = _rest[(ItemHeaderLength + length)..];
            return true;
        }
    }

    private readonly ref struct Item(ItemType type, ReadOnlySpan<byte> value)
    {
        private readonly ReadOnlySpan<byte> _value = value;

        public void Deconstruct(out ItemType itemType, out ReadOnlySpan<byte> itemValue)
        {
            itemType = type;
            itemValue = _value;
        }
    }
}
