namespace Conduit.Dicom.Network.Pdu;

/// <summary>
/// The User Information item (PS3.8 §9.3.2.3, item type 50H) and the sub-items Conduit negotiates:
/// Maximum Length (51H, PS3.8 Annex D.1), Implementation Class UID (52H) and Version Name (55H, PS3.7 §D.3.3.2),
/// Asynchronous Operations Window (53H), SCP/SCU Role Selection (54H), User Identity (58H request, 59H response).
/// Extended negotiation sub-items (56H, 57H) are read past and not answered, which PS3.7 §D.3.3.5 allows.
/// </summary>
public sealed class UserInformation
{
    /// <summary>Maximum length of P-DATA-TF PDUs the sender can receive; 0 means no limit (PS3.8 Annex D.1).</summary>
    public uint MaxPduLength { get; set; }

    public string ImplementationClassUid { get; set; } = DicomImplementation.ClassUid;

    public string? ImplementationVersionName { get; set; } = DicomImplementation.VersionName;

    public AsynchronousOperationsWindow? AsynchronousOperationsWindow { get; set; }

    public List<RoleSelection> RoleSelections { get; } = [];

    public UserIdentityRequest? UserIdentity { get; set; }

    /// <summary>Server response of a User Identity AC sub-item (59H); null when none is sent.</summary>
    public byte[]? UserIdentityServerResponse { get; set; }
}
