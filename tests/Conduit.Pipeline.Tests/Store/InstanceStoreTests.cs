using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;
using System.Data.Common;

namespace Conduit.Pipeline.Tests.Store;

public sealed class InstanceStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    internal static InstanceRecord Instance(string study, string series, string sop, string? association = "assoc-1") => new()
    {
        PatientId = "P1",
        PatientName = "Doe^Jane",
        StudyInstanceUid = study,
        SeriesInstanceUid = series,
        SopInstanceUid = sop,
        SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
        TransferSyntaxUid = "1.2.840.10008.1.2.1",
        Modality = "CT",
        SeriesDescription = "AXIAL",
        ExpectedSeriesInstances = 2,
        Source = InstanceSource.Scp,
        CallingAeTitle = "MODALITY",
        AssociationId = association,
        ReceivedAt = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero),
        SizeBytes = 1234,
        Path = $"instances/{study}/{series}/{sop}.dcm",
    };

    /// <summary>The series batch and the study batch of flow "seg" for an instance, ids chosen by the store.</summary>
    private static BatchMembership[] Batches(string study, string series, string flow = "seg") =>
        [new(BatchScope.Series, series, flow), new(BatchScope.Study, study, flow)];

    [Theory, BothProviders]
    public async Task Recording_instances_creates_the_study_and_series_rows_and_one_open_batch_per_key_and_flow(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);

        var a = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), Batches("1.2.3", "1.2.3.1"), None);
        var b = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.2"), Batches("1.2.3", "1.2.3.1"), None);
        var c = await instances.RecordAsync(Instance("1.2.3", "1.2.3.2", "1.2.3.2.1"), Batches("1.2.3", "1.2.3.2"), None);
        var other = await instances.RecordAsync(Instance("1.2.3", "1.2.3.2", "1.2.3.2.2"), Batches("1.2.3", "1.2.3.2", "qa"), None);

        Assert.Equal(a.BatchIds, b.BatchIds);
        Assert.NotEqual(a.BatchIds[0], c.BatchIds[0]);
        Assert.Equal(a.BatchIds[1], c.BatchIds[1]);
        Assert.Empty(a.BatchIds.Intersect(other.BatchIds));
        Assert.False(a.Replaced);
        var study = Assert.Single(await instances.ListStudiesAsync(10, None));
        Assert.Equal(("P1", "Doe^Jane", 2, 4), (study.PatientId, study.PatientName, study.SeriesCount, study.InstanceCount));
        var series = await instances.GetSeriesAsync("1.2.3.1", None);
        Assert.Equal(("CT", 2, 2), (series!.Modality, series.InstanceCount, series.ExpectedInstances));
        var studyBatch = await instances.GetBatchAsync(a.BatchIds[1], None);
        Assert.Equal(new BatchKey(BatchScope.Study, "1.2.3", "seg"), studyBatch!.Key);
        Assert.Equal((3, true), (studyBatch.InstanceCount, studyBatch.IsOpen));
        var members = await instances.ListBatchInstancesAsync(a.BatchIds[0], None);
        Assert.Equal(["1.2.3.1.1", "1.2.3.1.2"], members.Select(m => m.SopInstanceUid));
        Assert.Equal(("CT", "AXIAL", 2), (members[0].Modality, members[0].SeriesDescription, members[0].ExpectedSeriesInstances));
        Assert.Equal(5, (await instances.ListOpenBatchesAsync(None)).Count);
    }

    [Theory, BothProviders]
    public async Task An_instance_with_no_matching_flow_is_recorded_without_a_batch(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);

        var recorded = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), [], None);

        Assert.Empty(recorded.BatchIds);
        Assert.NotNull(await instances.GetInstanceAsync("1.2.3.1.1", None));
        Assert.Empty(await instances.ListOpenBatchesAsync(None));
    }

    [Theory, BothProviders]
    public async Task A_batch_id_chosen_by_the_tracker_is_kept_and_a_second_open_batch_for_the_same_key_is_refused(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);
        var key = new BatchKey(BatchScope.Series, "1.2.3.1", "seg");

        var recorded = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), [BatchMembership.For(key, "tracker-1")], None);
        await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.2"), [BatchMembership.For(key, "tracker-1")], None);

        Assert.Equal(["tracker-1"], recorded.BatchIds);
        Assert.Equal(2, (await instances.GetBatchAsync("tracker-1", None))!.InstanceCount);
        // The unique index batches_one_open refuses it: SqliteException or PostgresException.
        await Assert.ThrowsAnyAsync<DbException>(() =>
            instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.3"), [BatchMembership.For(key, "tracker-2")], None));
        Assert.Null(await instances.GetInstanceAsync("1.2.3.1.3", None)); // the whole record rolled back
    }

    [Theory, BothProviders]
    public async Task An_instance_cannot_join_the_batch_of_another_series(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), Batches("1.2.3", "9.9.9"), None));
        Assert.Null(await instances.GetInstanceAsync("1.2.3.1.1", None));
    }

    [Theory, BothProviders]
    public async Task An_instance_sent_twice_replaces_its_row_and_is_counted_once(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);

        var first = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), Batches("1.2.3", "1.2.3.1"), None);
        var again = await instances.RecordAsync(
            Instance("1.2.3", "1.2.3.1", "1.2.3.1.1", association: "assoc-2") with { SizeBytes = 99 }, Batches("1.2.3", "1.2.3.1"), None);

        Assert.True(again.Replaced);
        Assert.Equal(first.BatchIds, again.BatchIds);
        Assert.Equal(1, (await instances.GetBatchAsync(first.BatchIds[0], None))!.InstanceCount);
        var stored = await instances.GetInstanceAsync("1.2.3.1.1", None);
        Assert.Equal((99L, "assoc-2"), (stored!.SizeBytes, stored.AssociationId));
    }

    [Theory, BothProviders]
    public async Task A_late_instance_after_its_batch_closed_opens_a_new_batch_and_the_close_reason_is_kept(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);
        var first = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), Batches("1.2.3", "1.2.3.1"), None);

        Assert.True(await instances.CloseBatchAsync(first.BatchIds[0], BatchCloseReason.QuietTime, "quiet time elapsed (1 instances)", None));
        Assert.False(await instances.CloseBatchAsync(first.BatchIds[0], BatchCloseReason.Forced, null, None));
        var late = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.2"), Batches("1.2.3", "1.2.3.1"), None);

        Assert.NotEqual(first.BatchIds[0], late.BatchIds[0]);
        Assert.Equal(first.BatchIds[1], late.BatchIds[1]);
        var closed = await instances.GetBatchAsync(first.BatchIds[0], None);
        Assert.Equal((false, BatchCloseReason.QuietTime, "quiet time elapsed (1 instances)", 1),
            (closed!.IsOpen, closed.CloseReason, closed.CloseDetail, closed.InstanceCount));
        Assert.NotNull(closed.ClosedAt);
        Assert.Equal(["1.2.3.1.2"], (await instances.ListBatchInstancesAsync(late.BatchIds[0], None)).Select(i => i.SopInstanceUid));
        await Assert.ThrowsAsync<InvalidOperationException>(() => instances.RecordAsync(
            Instance("1.2.3", "1.2.3.1", "1.2.3.1.3"), [new BatchMembership(BatchScope.Series, "1.2.3.1", "seg", first.BatchIds[0])], None));
    }

    [Theory, BothProviders]
    public async Task Each_instance_moves_the_batch_quiet_time_clock_and_remembers_the_delivering_association(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);
        var first = await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.1", association: "a1"), Batches("1.2.3", "1.2.3.1"), None);
        var opened = (await instances.GetBatchAsync(first.BatchIds[0], None))!;

        store.Time.Advance(TimeSpan.FromSeconds(7));
        await instances.RecordAsync(Instance("1.2.3", "1.2.3.1", "1.2.3.1.2", association: "a2"), Batches("1.2.3", "1.2.3.1"), None);

        var batch = (await instances.GetBatchAsync(first.BatchIds[0], None))!;
        Assert.Equal(opened.OpenedAt, batch.OpenedAt);
        Assert.Equal(TimeSpan.FromSeconds(7), batch.LastInstanceAt - opened.LastInstanceAt);
        Assert.Equal("a2", batch.LastAssociationId);
    }

    [Theory, BothProviders]
    public async Task Recorded_instances_and_open_batches_survive_a_restart(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var recorded = await new SqlInstanceStore(store.Database).RecordAsync(
            Instance("1.2.3", "1.2.3.1", "1.2.3.1.1"), Batches("1.2.3", "1.2.3.1"), None);

        await store.ReopenAsync();

        var instances = new SqlInstanceStore(store.Database);
        var stored = await instances.GetInstanceAsync("1.2.3.1.1", None);
        Assert.Equal(("1.2.3.1", InstanceSource.Scp, "MODALITY"), (stored!.SeriesInstanceUid, stored.Source, stored.CallingAeTitle));
        Assert.Equal(recorded.BatchIds.Order(), (await instances.ListOpenBatchesAsync(None)).Select(b => b.Id).Order());
    }

    [Theory, BothProviders]
    public async Task Concurrent_recorders_of_one_series_share_one_open_batch(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);

        var results = await Task.WhenAll(Enumerable.Range(1, 40).Select(n =>
            Task.Run(() => instances.RecordAsync(Instance("1.2.3", "1.2.3.1", $"1.2.3.1.{n}"), Batches("1.2.3", "1.2.3.1"), None))));

        Assert.Single(results.Select(r => r.BatchIds[0]).Distinct());
        Assert.Equal(40, (await instances.GetBatchAsync(results[0].BatchIds[0], None))!.InstanceCount);
    }

    [Theory, BothProviders]
    public async Task Series_and_instances_of_a_study_are_listed_by_number_as_integers_blank_and_missing_first(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);
        // Series Number and Instance Number are IS (PS3.5 §6.2): text that may hold spaces, be empty or be malformed.
        foreach (var (uid, number) in new[] { ("1.2.3.10", "10"), ("1.2.3.2", " 2"), ("1.2.3.0", null), ("1.2.3.9", "x") })
        {
            foreach (var instance in new[] { "11", "3", "1" })
            {
                await instances.RecordAsync(Instance("1.2.3", uid, $"{uid}.{instance}") with
                {
                    SeriesNumber = number, InstanceNumber = instance,
                }, [], None);
            }
        }

        var series = await instances.ListStudySeriesAsync("1.2.3", None);
        var listed = await instances.ListStudyInstancesAsync("1.2.3", "1.2.3.10", None);

        Assert.Equal(["1.2.3.0", "1.2.3.9", "1.2.3.2", "1.2.3.10"], series.Select(s => s.SeriesInstanceUid));
        Assert.Equal(["1.2.3.10.1", "1.2.3.10.3", "1.2.3.10.11"], listed.Select(i => i.SopInstanceUid));
    }

    [Theory, BothProviders]
    public async Task A_study_search_lists_the_newest_study_date_first_wildcards_match_and_undated_studies_come_last(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var instances = new SqlInstanceStore(store.Database);
        foreach (var (study, date, patient, modality) in new[]
            { ("1.1", "20240101", "PX-1", "CT"), ("1.2", null, "PX-2", "MR"), ("1.3", "20250101", "PY_3", "CT") })
        {
            await instances.RecordAsync(Instance(study, study + ".1", study + ".1.1") with { StudyDate = date, PatientId = patient, Modality = modality },
                [], None);
        }

        var all = await instances.SearchStudiesAsync(new StudyQuery(), None);
        var wildcard = await instances.SearchStudiesAsync(new StudyQuery { PatientId = "PX*" }, None);
        var literalUnderscore = await instances.SearchStudiesAsync(new StudyQuery { PatientId = "P?_3" }, None);
        var ct = await instances.SearchStudiesAsync(new StudyQuery { Modality = "CT", StudyDateFrom = "20240601" }, None);

        Assert.Equal(["1.3", "1.1", "1.2"], all.Select(s => s.StudyInstanceUid));
        Assert.Equal(["CT"], all[0].Modalities);
        Assert.Equal(["1.1", "1.2"], wildcard.Select(s => s.StudyInstanceUid));
        Assert.Equal(["1.3"], literalUnderscore.Select(s => s.StudyInstanceUid));
        Assert.Equal(["1.3"], ct.Select(s => s.StudyInstanceUid));
    }
}
