namespace Conduit.Pipeline.Store;

/// <summary>How an instance reached Conduit. Stored as its lower-case name.</summary>
public enum InstanceSource
{
    /// <summary>A C-STORE from a remote AE (PS3.4 Annex B).</summary>
    Scp,
    /// <summary>A DICOMweb STOW-RS or plain HTTP upload.</summary>
    Http,
    /// <summary>Picked up from a watched folder.</summary>
    Folder,
}
