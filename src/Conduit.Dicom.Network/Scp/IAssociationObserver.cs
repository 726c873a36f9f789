namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// Told when an association is accepted and when it ends (a live view such as the dashboard's). Called on the
/// association's own task: implementations must return at once and never throw.
/// </summary>
public interface IAssociationObserver
{
    void Opened(ActiveAssociation association);

    void Closed(ActiveAssociation association);
}
