using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Store;

/// <summary>What only PostgreSQL has to get right: writers on several connections and nodes at once.</summary>
public sealed class PostgresDatabaseTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Two_nodes_recording_the_first_instances_of_a_new_patient_at_once_both_succeed_into_one_patient_and_one_batch()
    {
        await using var store = await StoreFixture.CreateAsync(StoreProvider.Postgres);
        await using var otherNode = await store.OpenSecondAsync();
        var nodes = new[] { new SqlInstanceStore(store.Database), new SqlInstanceStore(otherNode) };
        var key = new BatchKey(BatchScope.Series, "1.2.3.1", "seg");

        // Every write races for the same new patient, study, series and open batch (the store picks the batch id).
        var recorded = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => nodes[i % 2].RecordAsync(
            InstanceStoreTests.Instance("1.2.3", "1.2.3.1", $"1.2.3.1.{i}"), [BatchMembership.For(key, null)], None))));

        Assert.Single(recorded.Select(r => r.BatchIds[0]).Distinct());
        var batch = await nodes[0].GetBatchAsync(recorded[0].BatchIds[0], None);
        Assert.Equal(16, batch!.InstanceCount);
        var patients = await store.Database.ReadAsync(c => c.Scalar("SELECT COUNT(*) FROM patients;"), None);
        Assert.Equal(1L, patients);
    }

    [Fact]
    public async Task Writes_go_on_after_the_server_cut_the_writer_connection()
    {
        await using var store = await StoreFixture.CreateAsync(StoreProvider.Postgres);
        var queue = new Conduit.Pipeline.Queue.SqlJobQueue(store.Database);
        Assert.True(await queue.EnqueueAsync("before", 0, null, None));

        // As a server restart or a network cut would: every connection of this test's schema is ended by the server.
        var cut = await store.Database.ReadAsync(c => c.Scalar("""
            SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE application_name = current_setting('application_name') AND pid <> pg_backend_pid();
            """), None);
        Assert.True((long)cut! >= 1, "the writer connection should have been cut");

        Assert.True(await queue.EnqueueAsync("after", 0, null, None));
        Assert.Equal(new Conduit.Pipeline.Queue.QueueCounts(2, 0, 0), await queue.CountAsync(None));
    }
}
