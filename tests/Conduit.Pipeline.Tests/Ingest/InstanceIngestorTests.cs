using Conduit.Dicom;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Ingest;

/// <summary>Which flows and batches an instance joins, from its header, with flows loaded from files.</summary>
public sealed class InstanceIngestorTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FlowCatalog _catalog;
    private readonly InstanceIngestor _ingestor;

    public InstanceIngestorTests()
    {
        // Image Type is not one of the key tags the store keeps: the requirement must be tested on the whole header.
        File.WriteAllText(_directory.Combine("study.yaml"), """
            name: ct-with-scout
            scope: study
            required_series:
              - Modality: CT
                ImageType: '.*LOCALIZER.*'
              - Modality: CT
                ImageType: '.*AXIAL.*'
            """);
        _catalog = new FlowCatalog(_directory.Path);
        _catalog.Start();
        _ingestor = new InstanceIngestor(null!, _catalog, new LocalFileLayout(_directory.Combine("data")), new GroupingOptions());
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _directory.Dispose();
    }

    private static InstanceRecord Record(string series) => new()
    {
        StudyInstanceUid = "1.2.3", SeriesInstanceUid = series, SopInstanceUid = series + ".1", SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
        TransferSyntaxUid = "1.2.840.10008.1.2.1", Modality = "CT", Source = InstanceSource.Scp, ReceivedAt = DateTimeOffset.UnixEpoch,
        SizeBytes = 1, Path = $"instances/1.2.3/{series}/{series}.1.dcm",
    };

    private static DicomDataset Ct(string imageType) =>
        new DicomDataset().AddOrUpdate(DicomTags.Modality, "CT").AddOrUpdate(DicomTags.ImageType, imageType);

    [Fact]
    public void A_required_series_may_test_any_tag_of_the_header_not_only_the_key_tags()
    {
        var requirements = Assert.Single(_catalog.Current.Flows).SeriesRequirements();

        var scout = Assert.Single(_ingestor.Memberships(Ct(@"ORIGINAL\PRIMARY\LOCALIZER"), Record("1.2.3.1"), "assoc-1"));
        var axial = Assert.Single(_ingestor.Memberships(Ct(@"ORIGINAL\PRIMARY\AXIAL"), Record("1.2.3.2"), "assoc-1"));
        var other = Assert.Single(_ingestor.Memberships(Ct(@"DERIVED\SECONDARY"), Record("1.2.3.3"), "assoc-1"));

        Assert.Equal(requirements.Select(r => r.Name), scout.Rule.RequiredSeries.Select(r => r.Name));
        Assert.Equal([requirements[0].Name], scout.Arrival.RequirementsMet);
        Assert.Equal([requirements[1].Name], axial.Arrival.RequirementsMet);
        Assert.Empty(other.Arrival.RequirementsMet!);
    }
}
