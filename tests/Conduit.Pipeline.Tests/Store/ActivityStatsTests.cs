using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Store;

public sealed class ActivityStatsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, BothProviders]
    public async Task Throughput_counts_instances_and_ended_jobs_in_aligned_slices_ending_now(StoreProvider provider)
    {
        await using var fixture = await StoreFixture.CreateAsync(provider); // the clock says 08:00:00
        var store = new SqlInstanceStore(fixture.Database);
        var jobs = new SqlJobRepository(fixture.Database);
        var at = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        foreach (var (sop, time) in new[] { ("1", "07:58:30"), ("2", "07:58:59.9999999"), ("3", "07:59:10"), ("4", "07:10:00"), ("5", "06:30:00") })
            await store.RecordAsync(InstanceStoreTests.Instance("1.2", "1.2.3", "1.2.3." + sop) with { ReceivedAt = at + TimeSpan.Parse(time, System.Globalization.CultureInfo.InvariantCulture) },
                [], None);
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        var sent = await jobs.CreateAsync(new NewJob("seg", "1", 0, null, "1.2", [], []), None);
        await jobs.TransitionAsync(sent.Id, JobStatus.Running, null, None);
        await jobs.TransitionAsync(sent.Id, JobStatus.Finished, null, None);
        await jobs.TransitionAsync(sent.Id, JobStatus.Sent, null, None);
        var failed = await jobs.CreateAsync(new NewJob("seg", "1", 0, null, "1.2", [], []), None);
        await jobs.TransitionAsync(failed.Id, JobStatus.Failed, "no", None);
        var stats = new SqlActivityStats(fixture.Database);

        var hour = await stats.ThroughputAsync(TimeSpan.FromMinutes(1), 60, None);

        Assert.Equal(60, hour.Count);
        Assert.Equal(at + TimeSpan.FromHours(7) + TimeSpan.FromMinutes(1), hour[0].Start);
        Assert.Equal(at + TimeSpan.FromHours(8), hour[^1].Start);
        Assert.Equal(2, hour[57].Instances); // 07:58
        Assert.Equal(1, hour[58].Instances); // 07:59
        Assert.Equal(1, hour[9].Instances); // 07:10
        Assert.Equal((1, 1), (hour[^1].JobsSent, hour[^1].JobsFailed));
        Assert.Equal(4, hour.Sum(b => b.Instances));
        var day = await stats.ThroughputAsync(TimeSpan.FromMinutes(15), 96, None);
        Assert.Equal(5, day.Sum(b => b.Instances));
        Assert.Equal(4, await stats.InstancesSinceAsync(at + TimeSpan.FromHours(7), None));
    }

    [Fact]
    public async Task The_time_window_counts_read_the_received_and_ended_indexes_instead_of_scanning_the_tables()
    {
        await using var fixture = await StoreFixture.CreateAsync();

        var plans = await fixture.Database.ReadAsync(c => new[]
        {
            "SELECT COUNT(*) FROM instances WHERE received_at >= '2026';",
            "SELECT COUNT(*), SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) FROM jobs WHERE ended_at >= '2026';",
        }.Select(sql => string.Join(" | ", c.Query(null, "EXPLAIN QUERY PLAN " + sql, r => r.String("detail")))).ToList(), None);

        Assert.Contains("USING COVERING INDEX instances_received (received_at>?)", plans[0]);
        Assert.Contains("USING INDEX jobs_ended (ended_at>?)", plans[1]);
    }

    [Theory, BothProviders]
    public async Task Destinations_show_their_last_success_and_their_last_error_with_its_job_per_flow(StoreProvider provider)
    {
        await using var fixture = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(fixture.Database);
        var first = await jobs.CreateAsync(new NewJob("seg", "1", 0, null, "1.2", [], ["pacs"]), None);
        await jobs.UpdateDestinationAsync(first.Id, "pacs", DestinationStatus.Sending, null, null, None);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var errorAt = fixture.Time.GetUtcNow();
        await jobs.UpdateDestinationAsync(first.Id, "pacs", DestinationStatus.Pending, "association rejected", errorAt.AddSeconds(30), None);
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await jobs.UpdateDestinationAsync(first.Id, "pacs", DestinationStatus.Sending, null, null, None);
        var sentAt = fixture.Time.GetUtcNow();
        await jobs.UpdateDestinationAsync(first.Id, "pacs", DestinationStatus.Sent, null, null, None);
        var other = await jobs.CreateAsync(new NewJob("other", "1", 0, null, "1.2", [], ["pacs"]), None);
        await jobs.UpdateDestinationAsync(other.Id, "pacs", DestinationStatus.Sending, null, null, None);

        var destinations = await new SqlActivityStats(fixture.Database).DestinationsAsync(None);

        Assert.Equal(["other/pacs", "seg/pacs"], destinations.Select(d => $"{d.Flow}/{d.Name}"));
        var seg = destinations[1];
        Assert.Equal((1, 1, 0, 0), (seg.Jobs, seg.Sent, seg.Failed, seg.Waiting));
        Assert.Equal(sentAt, seg.LastSuccessAt);
        Assert.Equal(errorAt, seg.LastErrorAt);
        Assert.Equal("association rejected", seg.LastError);
        Assert.Equal(first.Id, seg.LastErrorJobId);
        var pending = destinations[0];
        Assert.Equal((1, 0, 0, 1), (pending.Jobs, pending.Sent, pending.Failed, pending.Waiting));
        Assert.Null(pending.LastSuccessAt);
        Assert.Null(pending.LastError);
    }

    [Theory, BothProviders]
    public async Task Jobs_are_counted_by_status_and_by_flow(StoreProvider provider)
    {
        await using var fixture = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(fixture.Database);
        var a = await jobs.CreateAsync(new NewJob("seg", "1", 0, null, null, [], []), None);
        await jobs.CreateAsync(new NewJob("seg", "1", 0, null, null, [], []), None);
        await jobs.CreateAsync(new NewJob("other", "1", 0, null, null, [], []), None);
        await jobs.TransitionAsync(a.Id, JobStatus.Failed, "x", None);
        var stats = new SqlActivityStats(fixture.Database);

        var byStatus = await stats.JobsByStatusAsync(None);
        var byFlow = await stats.JobsByFlowAsync(None);

        Assert.Equal(2, byStatus["pending"]);
        Assert.Equal(1, byStatus["failed"]);
        Assert.Equal(1, byFlow["seg"]["pending"]);
        Assert.Equal(1, byFlow["seg"]["failed"]);
        Assert.Equal(1, byFlow["other"]["pending"]);
    }
}
