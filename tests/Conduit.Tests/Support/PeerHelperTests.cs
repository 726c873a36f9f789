using Conduit.Dicom.Tests.Support;

namespace Conduit.Tests.Support;

/// <summary>
/// The peer helpers the network tests stand on, checked against the peers alone (dcmtk to dcmtk, dcmtk to Orthanc),
/// so that a failing interoperability test points at Conduit and not at its harness.
/// </summary>
public sealed class PeerHelperTests
{
    [Fact]
    public void Batches_hold_each_sop_instance_uid_once_and_together_hold_every_sendable_file()
    {
        var batches = SampleBatches.Batches;

        Assert.True(batches.Count > 1, "several corpus files share a SOP Instance UID, so one batch cannot hold them all");
        foreach (var batch in batches)
        {
            var duplicates = batch.Instances.GroupBy(i => i.SopInstanceUid).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, $"{batch}: repeated UIDs {string.Join(", ", duplicates)}");
        }
        Assert.Equal(
            SampleBatches.Sendable.Select(i => i.Path).Order(StringComparer.Ordinal),
            batches.SelectMany(b => b.Instances).Select(i => i.Path).Order(StringComparer.Ordinal));
        Assert.Equal(Samples.WellFormed.Count(), SampleBatches.Sendable.Count + SampleBatches.WithoutStoreIdentifiers.Count);
    }

    [Fact]
    public async Task Storescu_to_storescp_moves_a_file_and_the_comparer_finds_its_dataset_equal()
    {
        using var work = new TempDirectory("helper-test");
        var instance = SampleBatches.Read(Samples.Get("series/ct-oriented-3/1.dcm"));
        using var scp = await DcmtkTools.StartStoreScpAsync(work.Sub("out"), ["+B"]);

        var result = await StoreScu.SendBatchAsync(new SampleBatch(1, [instance]), "127.0.0.1", scp.Port, work);

        Assert.True(result.Failures.Count == 0, result.Output);
        var received = Assert.Single(scp.ReceivedFiles());
        Assert.Empty(DatasetComparer.CompareFiles(instance.FullPath, received));
    }

    [Fact]
    public async Task The_comparer_reports_what_dcmtk_drops_on_the_way_trailing_padding()
    {
        // dcmtk leaves out Data Set Trailing Padding (FFFC,FFFC) when it sends: a comparison that cannot see that
        // would also miss a receiver that loses elements.
        using var work = new TempDirectory("helper-test");
        var instance = SampleBatches.Read(Samples.Get("ts-explicit-vr-le/CT_small.dcm"));
        using var scp = await DcmtkTools.StartStoreScpAsync(work.Sub("out"), ["+B"]);

        var result = await StoreScu.SendBatchAsync(new SampleBatch(1, [instance]), "127.0.0.1", scp.Port, work);

        Assert.True(result.Failures.Count == 0, result.Output);
        var difference = Assert.Single(DatasetComparer.CompareFiles(instance.FullPath, Assert.Single(scp.ReceivedFiles())));
        Assert.Contains("missing [(FFFC,FFFC)]", difference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orthanc_started_by_a_test_answers_echoscu_and_lists_what_storescu_stored()
    {
        using var work = new TempDirectory("helper-test");
        using var orthanc = await OrthancServer.StartAsync();
        var instance = SampleBatches.Read(Samples.Get("series/ct-oriented-3/2.dcm"));

        var echo = await DcmtkTools.RunAsync("echoscu", "-aec", orthanc.AeTitle, "127.0.0.1", orthanc.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var store = await StoreScu.SendBatchAsync(new SampleBatch(1, [instance]), "127.0.0.1", orthanc.DicomPort, work, ["-aec", orthanc.AeTitle]);

        Assert.True(echo.ExitCode == 0, echo.Output);
        Assert.True(store.Failures.Count == 0, store.Output);
        Assert.Equal([instance.SopInstanceUid!], await orthanc.ListSopInstanceUidsAsync());
        await orthanc.ClearAsync();
        Assert.Empty(await orthanc.ListSopInstanceUidsAsync());
    }
}
