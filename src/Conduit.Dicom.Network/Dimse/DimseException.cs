namespace Conduit.Dicom.Network.Dimse;

/// <summary>A DIMSE message that cannot be understood; the association aborts (PS3.7 §7.5.1).</summary>
public sealed class DimseException(string message) : Exception(message);
