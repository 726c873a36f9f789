namespace Conduit.Dicom.Network.Pdu;

/// <summary>Item and sub-item types of the A-ASSOCIATE PDUs (PS3.8 §9.3.2 ff., PS3.7 Annex D.3.3).</summary>
public enum ItemType : byte
{
    ApplicationContext = 0x10,
    PresentationContextRequest = 0x20,
    PresentationContextAccept = 0x21,
    AbstractSyntax = 0x30,
    TransferSyntax = 0x40,
    UserInformation = 0x50,
    MaximumLength = 0x51,
    ImplementationClassUid = 0x52,
    AsynchronousOperationsWindow = 0x53,
    RoleSelection = 0x54,
    ImplementationVersionName = 0x55,
    SopClassExtendedNegotiation = 0x56,
    SopClassCommonExtendedNegotiation = 0x57,
    UserIdentityRequest = 0x58,
    UserIdentityAccept = 0x59,
}
