using Conduit.Dicom.Network.Scp;
using Conduit.Pipeline.Store;
using StoredInstance = Conduit.Dicom.Network.Scp.StoredInstance;

namespace Conduit.Pipeline.Ingest;

/// <summary>
/// Connects the C-STORE SCP to the pipeline: each instance the SCP has written is recorded before the SCP answers
/// success (so "success" means "recorded"), and the end of an association is a completeness signal.
/// </summary>
public sealed class ScpIngestHandler(InstanceIngestor ingestor) : IInstanceStoredHandler
{
    public async ValueTask OnInstanceStoredAsync(StoredInstance instance, CancellationToken cancellationToken)
    {
        var source = new IngestSource(InstanceSource.Scp, instance.AssociationId, instance.CallingAeTitle, instance.CalledAeTitle);
        // The SCP read the data set to validate it; only an instance too large to be read from memory is read again.
        if (instance.Dataset is { } dataset)
            await ingestor.IngestAsync(instance.FilePath, dataset, instance.TransferSyntaxUid, instance.FileSize, source, cancellationToken).ConfigureAwait(false);
        else
            await ingestor.IngestAsync(instance.FilePath, source, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask OnAssociationClosedAsync(AssociationSummary association, CancellationToken cancellationToken) =>
        association.InstancesStored > 0 ? ingestor.DeliveryEndedAsync(association.AssociationId, cancellationToken) : ValueTask.CompletedTask;
}

/// <summary>The SCP writes straight into the instance store's layout, so a received file never has to move again.</summary>
public sealed class InstanceStoreLayout(IInstanceFileLayout layout) : IStorageLayout
{
    public string GetRelativePath(in StorageKeys keys) =>
        layout.InstanceRelativePath(keys.StudyInstanceUid, keys.SeriesInstanceUid, keys.SopInstanceUid);
}
