namespace Conduit.Dicom.Network.Scp;

/// <summary>A presentation context the SCP accepted: its abstract syntax and the one transfer syntax agreed.</summary>
internal sealed record AcceptedContext(byte Id, string AbstractSyntax, DicomTransferSyntax TransferSyntax);
