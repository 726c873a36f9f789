namespace Conduit.Dicom.Network.Association;

/// <summary>Which of the proposed transfer syntaxes the SCP accepts for a storage presentation context.</summary>
public enum TransferSyntaxPolicy
{
    /// <summary>
    /// The first proposed compressed (encapsulated or deflated) syntax Conduit knows, stored as is; else Explicit VR
    /// LE, else Implicit VR LE, else Explicit VR BE.
    /// </summary>
    AcceptCompressed,

    /// <summary>Explicit VR LE, else Implicit VR LE, else Explicit VR BE; compressed syntaxes are refused.</summary>
    UncompressedOnly,
}
