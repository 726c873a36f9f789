namespace Conduit.Dicom.Network.Pdu;

/// <summary>
/// Presentation Context item of an A-ASSOCIATE-RQ (PS3.8 §9.3.2.2, Table 9-13), item type 20H:
/// <code>
/// offset 4  presentation-context-ID  1 byte (odd, 1-255)
/// offset 5  reserved                 3 bytes
/// offset 8  one Abstract Syntax sub-item (30H), then one or more Transfer Syntax sub-items (40H)
/// </code>
/// </summary>
public sealed record PresentationContextRequest(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)
{
    public override string ToString() => $"[{Id}] {AbstractSyntax} ({string.Join(", ", TransferSyntaxes)})";
}

/// <summary>
/// Presentation Context item of an A-ASSOCIATE-AC (PS3.8 §9.3.3.2, Table 9-18), item type 21H:
/// <code>
/// offset 4  presentation-context-ID  1 byte
/// offset 5  reserved                 1 byte
/// offset 6  result/reason            1 byte (0 acceptance ... 4 transfer syntaxes not supported)
/// offset 7  reserved                 1 byte
/// offset 8  one Transfer Syntax sub-item (40H), significant only on acceptance
/// </code>
/// </summary>
public sealed record PresentationContextAccept(byte Id, PresentationContextResult Result, string TransferSyntax)
{
    public bool IsAccepted => Result == PresentationContextResult.Acceptance;

    public override string ToString() => $"[{Id}] {Result} {TransferSyntax}";
}

/// <summary>SCP/SCU Role Selection sub-item (PS3.7 §D.3.3.4, Table D.3-9), item type 54H.</summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>Asynchronous Operations Window sub-item (PS3.7 §D.3.3.3, Table D.3-7), item type 53H.</summary>
public readonly record struct AsynchronousOperationsWindow(ushort MaxOperationsInvoked, ushort MaxOperationsPerformed);

/// <summary>User-Identity-Type of the User Identity sub-item (PS3.7 §D.3.3.7.1, Table D.3-14).</summary>
public enum UserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    Kerberos = 3,
    Saml = 4,
    Jwt = 5,
}

/// <summary>
/// User Identity sub-item of an A-ASSOCIATE-RQ (PS3.7 §D.3.3.7.1, Table D.3-14), item type 58H:
/// type (1 byte), positive-response-requested (1 byte), primary field length (2) and value, secondary field length (2)
/// and value (the passcode; zero length unless the type is 2).
/// </summary>
public sealed record UserIdentityRequest(UserIdentityType Type, bool PositiveResponseRequested, byte[] PrimaryField, byte[] SecondaryField)
{
    /// <summary>The primary field as text: the username for types 1 and 2 (UTF-8, PS3.7 §D.3.3.7.1).</summary>
    public string PrimaryText => System.Text.Encoding.UTF8.GetString(PrimaryField);

    /// <summary>The secondary field as text: the passcode for type 2.</summary>
    public string SecondaryText => System.Text.Encoding.UTF8.GetString(SecondaryField);

    public static UserIdentityRequest ForUsername(string username, string? passcode = null, bool positiveResponseRequested = false) =>
        new(passcode is null ? UserIdentityType.Username : UserIdentityType.UsernameAndPasscode, positiveResponseRequested,
            System.Text.Encoding.UTF8.GetBytes(username), passcode is null ? [] : System.Text.Encoding.UTF8.GetBytes(passcode));
}
