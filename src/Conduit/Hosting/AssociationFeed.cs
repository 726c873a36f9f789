using Conduit.Dicom.Network.Scp;
using Conduit.Pipeline.Events;

namespace Conduit.Hosting;

/// <summary>Publishes the SCP's accepted and ended associations to the change feed (the dashboard's live associations page).</summary>
internal sealed class AssociationFeed(ChangeFeed changes) : IAssociationObserver
{
    public void Opened(ActiveAssociation association) =>
        changes.Publish(new ChangeEvent(ChangeKind.Association, association.AssociationId, "opened", association.CallingAeTitle));

    public void Closed(ActiveAssociation association) =>
        changes.Publish(new ChangeEvent(ChangeKind.Association, association.AssociationId, "closed", association.CallingAeTitle));
}
