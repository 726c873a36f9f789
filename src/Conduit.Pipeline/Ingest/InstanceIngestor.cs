using System.Globalization;
using Conduit.Dicom;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Store;

namespace Conduit.Pipeline.Ingest;

/// <summary>Where an instance came from and how it got here: the part of the store row that the file cannot tell.</summary>
public sealed record IngestSource(InstanceSource Source, string? DeliveryId, string? CallingAeTitle = null, string? CalledAeTitle = null);

/// <summary>
/// The one way into the pipeline for an instance already on disk in the instance store (from the SCP, HTTP or a
/// folder): read its header once, find the flows it joins, and record it through the <see cref="IngestCoordinator"/>.
/// </summary>
public sealed class InstanceIngestor(IngestCoordinator coordinator, FlowCatalog catalog, IInstanceFileLayout layout, GroupingOptions grouping,
    TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="path">The instance's file, inside the data directory.</param>
    public Task<RecordedInstance> IngestAsync(string path, IngestSource source, CancellationToken cancellationToken)
    {
        var file = DicomFile.Open(path, DicomReadOptions.HeaderOnly);
        return IngestAsync(path, file.Dataset, file.TransferSyntax.Uid, new FileInfo(path).Length, source, cancellationToken);
    }

    /// <summary>
    /// Records an instance whose data set the caller has already read (the SCP parses every instance to validate it):
    /// the file is not opened again.
    /// </summary>
    /// <param name="size">The file's size in bytes.</param>
    public Task<RecordedInstance> IngestAsync(string path, DicomDataset dataset, string transferSyntaxUid, long size, IngestSource source,
        CancellationToken cancellationToken)
    {
        var record = ToRecord(dataset, transferSyntaxUid, path, size, source);
        var memberships = Memberships(dataset, record, source.DeliveryId);
        return coordinator.RecordAsync(new PendingInstance(record, memberships), cancellationToken);
    }

    public ValueTask DeliveryEndedAsync(string deliveryId, CancellationToken cancellationToken) =>
        coordinator.DeliveryEndedAsync(deliveryId, cancellationToken);

    /// <summary>The flows whose triggers this instance may satisfy, each with the batch it joins.</summary>
    internal List<FlowMembership> Memberships(DicomDataset dataset, InstanceRecord record, string? deliveryId)
    {
        var values = new DatasetTagValues(dataset);
        var memberships = new List<FlowMembership>();
        foreach (var flow in catalog.Current.Flows)
        {
            if (!flow.Triggers.MayContribute(values)) continue;
            var study = flow.Scope == BatchScope.Study;
            var key = new BatchKey(flow.Scope, study ? record.StudyInstanceUid : record.SeriesInstanceUid, flow.Name);
            var expected = study ? IntOrNull(dataset, DicomTags.NumberOfStudyRelatedInstances) : record.ExpectedSeriesInstances;
            var rule = RuleFor(flow, record.Modality);
            var arrival = new InstanceArrival(record.SopInstanceUid, record.SeriesInstanceUid, deliveryId, expected,
                InstanceArrival.Meeting(rule.RequiredSeries, values));
            memberships.Add(new FlowMembership(flow, key, rule, arrival));
        }
        return memberships;
    }

    private CompletionRule RuleFor(FlowDefinition flow, string? modality) => CompletionRule.Default with
    {
        QuietTime = flow.QuietTime ?? grouping.QuietTimeFor(modality),
        RequiredSeries = flow.SeriesRequirements(),
    };

    private InstanceRecord ToRecord(DicomDataset ds, string transferSyntaxUid, string path, long size, IngestSource source) => new()
    {
        PatientId = Text(ds, DicomTags.PatientID) ?? "",
        IssuerOfPatientId = Text(ds, DicomTags.IssuerOfPatientID) ?? "",
        PatientName = Text(ds, DicomTags.PatientName),
        PatientBirthDate = Text(ds, DicomTags.PatientBirthDate),
        PatientSex = Text(ds, DicomTags.PatientSex),
        StudyInstanceUid = Required(ds, DicomTags.StudyInstanceUID, "Study Instance UID"),
        AccessionNumber = Text(ds, DicomTags.AccessionNumber),
        StudyDate = Text(ds, DicomTags.StudyDate),
        StudyDescription = Text(ds, DicomTags.StudyDescription),
        SeriesInstanceUid = Required(ds, DicomTags.SeriesInstanceUID, "Series Instance UID"),
        Modality = Text(ds, DicomTags.Modality),
        SeriesNumber = Text(ds, DicomTags.SeriesNumber),
        SeriesDescription = Text(ds, DicomTags.SeriesDescription),
        ExpectedSeriesInstances = IntOrNull(ds, DicomTags.NumberOfSeriesRelatedInstances),
        SopInstanceUid = Required(ds, DicomTags.SOPInstanceUID, "SOP Instance UID"),
        SopClassUid = Required(ds, DicomTags.SOPClassUID, "SOP Class UID"),
        TransferSyntaxUid = transferSyntaxUid,
        InstanceNumber = Text(ds, DicomTags.InstanceNumber),
        Source = source.Source,
        CallingAeTitle = source.CallingAeTitle,
        CalledAeTitle = source.CalledAeTitle,
        AssociationId = source.DeliveryId,
        ReceivedAt = _time.GetUtcNow(),
        SizeBytes = size,
        Path = Path.GetRelativePath(layout.Root, Path.GetFullPath(path)).Replace('\\', '/'),
    };

    /// <summary>
    /// What a stored instance of an open batch stands for when the batch is restored after a restart: the series
    /// requirements it meets (its header is read again from the store), and the announced count only for a series
    /// batch. A study batch counts Number of Study Related Instances, which is not stored, so after a restart it closes
    /// on its other signals; taking the series' count for the study's would close it as soon as that many are there.
    /// An instance whose file cannot be read any more meets no requirement (the batch then closes on quiet time).
    /// </summary>
    public static InstanceArrival RestoredArrival(StoredInstance instance, BatchScope scope, CompletionRule rule, IInstanceFileLayout layout)
    {
        IReadOnlySet<string>? met = null;
        if (rule.RequiredSeries.Count > 0)
        {
            try
            {
                var header = DicomFile.Open(layout.Resolve(instance.Path), DicomReadOptions.HeaderOnly).Dataset;
                met = InstanceArrival.Meeting(rule.RequiredSeries, new DatasetTagValues(header));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DicomReadException)
            {
                met = null;
            }
        }
        return new(instance.SopInstanceUid, instance.SeriesInstanceUid, null,
            scope == BatchScope.Series ? instance.ExpectedSeriesInstances : null, met);
    }

    private static string? Text(DicomDataset ds, DicomTag tag)
    {
        try
        {
            var value = ds.GetStringOrDefault(tag)?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or DicomReadException)
        {
            return null; // a bad value in an optional key tag must not refuse the instance
        }
    }

    private static string Required(DicomDataset ds, DicomTag tag, string name) =>
        Text(ds, tag) ?? throw new InvalidDataException($"the instance has no {name} {tag}");

    private static int? IntOrNull(DicomDataset ds, DicomTag tag) =>
        int.TryParse(Text(ds, tag), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
