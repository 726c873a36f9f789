using Conduit.Dicom.Network.Scp;
using Conduit.Pipeline.Events;

namespace Conduit.Hosting;

/// <summary>Publishes the SCP's accepted and ended associations to the change feed (the dashboard's live associations page).</summary>
internal sealed class AssociationFeed(ChangeFeed changes) : IAssociationObserver
{
    public void Opened(ActiveAssociation association) => Publish(association, "opened");

    public void Closed(ActiveAssociation association) => Publish(association, "closed");

    /// <summary>Only when someone listens (<see cref="ChangeFeed.HasSubscribers"/> says why this cannot race).</summary>
    private void Publish(ActiveAssociation association, string status)
    {
        if (changes.HasSubscribers)
            changes.Publish(new ChangeEvent(ChangeKind.Association, association.AssociationId, status, association.CallingAeTitle));
    }
}
