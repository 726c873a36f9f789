namespace Conduit.Dicom.Network.Pdu;

/// <summary>
/// A-ASSOCIATE-RQ (PS3.8 §9.3.2, Table 9-11):
/// <code>
/// offset 6   protocol-version   2 bytes (bit 0 set: version 1)
/// offset 8   reserved           2 bytes
/// offset 10  called-AE-title    16 bytes, space padded
/// offset 26  calling-AE-title   16 bytes, space padded
/// offset 42  reserved           32 bytes
/// offset 74  variable items: one Application Context (10H), one or more Presentation Context (20H), one User Information (50H)
/// </code>
/// </summary>
public sealed class AssociateRequestPdu : ProtocolDataUnit
{
    public string CalledAeTitle { get; init; } = "";
    public string CallingAeTitle { get; init; } = "";
    public ushort ProtocolVersion { get; init; } = 1;
    public string ApplicationContext { get; init; } = AssociateCodec.DicomApplicationContext;
    public IReadOnlyList<PresentationContextRequest> PresentationContexts { get; init; } = [];
    public UserInformation UserInformation { get; init; } = new();

    public override PduType Type => PduType.AssociateRequest;

    public override int BodyLength => AssociateCodec.BodyLength(this);

    protected override void WriteBody(Span<byte> body) => AssociateCodec.Write(body, this);

    public override string ToString() => $"A-ASSOCIATE-RQ {CallingAeTitle} -> {CalledAeTitle}, {PresentationContexts.Count} presentation contexts";
}

/// <summary>
/// A-ASSOCIATE-AC (PS3.8 §9.3.3, Table 9-17): the layout of the request, the AE title fields echoing it, and
/// Presentation Context AC items (21H) in place of the request's.
/// </summary>
public sealed class AssociateAcceptPdu : ProtocolDataUnit
{
    public string CalledAeTitle { get; init; } = "";
    public string CallingAeTitle { get; init; } = "";
    public ushort ProtocolVersion { get; init; } = 1;
    public string ApplicationContext { get; init; } = AssociateCodec.DicomApplicationContext;
    public IReadOnlyList<PresentationContextAccept> PresentationContexts { get; init; } = [];
    public UserInformation UserInformation { get; init; } = new();

    public override PduType Type => PduType.AssociateAccept;

    public override int BodyLength => AssociateCodec.BodyLength(this);

    protected override void WriteBody(Span<byte> body) => AssociateCodec.Write(body, this);

    public override string ToString() => $"A-ASSOCIATE-AC {CallingAeTitle} -> {CalledAeTitle}, {PresentationContexts.Count(c => c.IsAccepted)} of {PresentationContexts.Count} presentation contexts accepted";
}
