using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Store;

public sealed class InstanceStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    internal static InstanceRecord Instance(string study, string series, string sop, string? association = "assoc-1",
        DateTimeOffset? received = null) => new()
    {
        PatientId = "P1",
        PatientName = "Doe^Jane",
        StudyInstanceUid = study,
        SeriesInstanceUid = series,
        SopInstanceUid = sop,
        SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
        TransferSyntaxUid = "1.2.840.10008.1.2.1",
        Modality = "CT",
        Source = InstanceSource.Scp,
        CallingAeTitle = "MODALITY",
        AssociationId = association,
        ReceivedAt = received ?? new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero),
        SizeBytes = 1234,
        Path = $"instances/{study}/{series}/{sop}.dcm",
    };

    [Fact]
    public async Task Recording_instances_creates_the_study_and_series_rows_and_one_open_batch_per_series_and_study()
    {
        await using var store = await StoreFixture.CreateAsync();
        var instances = new SqliteInstanceStore(store.Database);

        var a = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), None);
        var b = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.2"), None);
        var c = await instances.RecordAsync(Instance("1.2.3", "1.2.3.2", "1.2.3.2.1"), None);

        Assert.Equal(a.SeriesBatchId, b.SeriesBatchId);
        Assert.NotEqual(a.SeriesBatchId, c.SeriesBatchId);
        Assert.Equal(a.StudyBatchId, c.StudyBatchId);
        Assert.False(a.Replaced);
        var studies = await instances.ListStudiesAsync(10, None);
        var study = Assert.Single(studies);
        Assert.Equal(("P1", "Doe^Jane", 2, 3), (study.PatientId, study.PatientName, study.SeriesCount, study.InstanceCount));
        var series = await instances.GetSeriesAsync("1.2.3.1", None);
        Assert.Equal(("CT", 2), (series!.Modality, series.InstanceCount));
        var studyBatch = await instances.GetBatchAsync(a.StudyBatchId, None);
        Assert.Equal((BatchScope.Study, "1.2.3", 3, true), (studyBatch!.Scope, studyBatch.KeyUid, studyBatch.InstanceCount, studyBatch.IsOpen));
        var members = await instances.ListBatchInstancesAsync(a.SeriesBatchId, None);
        Assert.Equal(["1.2.3.1.1", "1.2.3.1.2"], members.Select(m => m.SopInstanceUid));
        Assert.Equal(3, (await instances.ListOpenBatchesAsync(None)).Count);
    }

    [Fact]
    public async Task An_instance_sent_twice_replaces_its_row_and_is_counted_once()
    {
        await using var store = await StoreFixture.CreateAsync();
        var instances = new SqliteInstanceStore(store.Database);

        var first = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), None);
        var again = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1", association: "assoc-2") with { SizeBytes = 99 }, None);

        Assert.True(again.Replaced);
        Assert.Equal(first.SeriesBatchId, again.SeriesBatchId);
        Assert.Equal(1, (await instances.GetBatchAsync(first.SeriesBatchId, None))!.InstanceCount);
        var stored = await instances.GetInstanceAsync("1.2.3.1.1", None);
        Assert.Equal((99L, "assoc-2"), (stored!.SizeBytes, stored.AssociationId));
    }

    [Fact]
    public async Task A_late_instance_after_its_batch_closed_opens_a_new_batch_and_the_close_reason_is_kept()
    {
        await using var store = await StoreFixture.CreateAsync();
        var instances = new SqliteInstanceStore(store.Database);
        var first = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), None);

        Assert.True(await instances.CloseBatchAsync(first.SeriesBatchId, BatchCloseReason.QuietTime, None));
        Assert.False(await instances.CloseBatchAsync(first.SeriesBatchId, BatchCloseReason.Manual, None));
        var late = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.2"), None);

        Assert.NotEqual(first.SeriesBatchId, late.SeriesBatchId);
        Assert.Equal(first.StudyBatchId, late.StudyBatchId);
        var closed = await instances.GetBatchAsync(first.SeriesBatchId, None);
        Assert.Equal((false, BatchCloseReason.QuietTime, 1), (closed!.IsOpen, closed.CloseReason, closed.InstanceCount));
        Assert.NotNull(closed.ClosedAt);
        Assert.Equal(["1.2.3.1.2"], (await instances.ListBatchInstancesAsync(late.SeriesBatchId, None)).Select(i => i.SopInstanceUid));
    }

    [Fact]
    public async Task Each_instance_moves_the_batch_quiet_time_clock_and_remembers_the_delivering_association()
    {
        await using var store = await StoreFixture.CreateAsync();
        var instances = new SqliteInstanceStore(store.Database);
        var first = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1", association: "a1"), None);
        var opened = (await instances.GetBatchAsync(first.SeriesBatchId, None))!;

        store.Time.Advance(TimeSpan.FromSeconds(7));
        await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.2", association: "a2"), None);

        var batch = (await instances.GetBatchAsync(first.SeriesBatchId, None))!;
        Assert.Equal(opened.OpenedAt, batch.OpenedAt);
        Assert.Equal(TimeSpan.FromSeconds(7), batch.LastInstanceAt - opened.LastInstanceAt);
        Assert.Equal("a2", batch.LastAssociationId);
    }

    [Fact]
    public async Task Recorded_instances_survive_a_restart()
    {
        await using var store = await StoreFixture.CreateAsync();
        await new SqliteInstanceStore(store.Database).RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), None);

        await store.ReopenAsync();

        var stored = await new SqliteInstanceStore(store.Database).GetInstanceAsync("1.2.3.1.1", None);
        Assert.Equal(("1.2.3.1", InstanceSource.Scp, "MODALITY"), (stored!.SeriesInstanceUid, stored.Source, stored.CallingAeTitle));
    }

    [Fact]
    public async Task Concurrent_recorders_of_one_series_share_one_open_batch()
    {
        await using var store = await StoreFixture.CreateAsync();
        var instances = new SqliteInstanceStore(store.Database);

        var results = await Task.WhenAll(Enumerable.Range(1, 40).Select(n =>
            Task.Run(() => instances.RecordAsync(Instance("1.2.3", "1.2.3.1", $"1.2.3.1.{n}"), None))));

        Assert.Single(results.Select(r => r.SeriesBatchId).Distinct());
        Assert.Equal(40, (await instances.GetBatchAsync(results[0].SeriesBatchId, None))!.InstanceCount);
    }
}
