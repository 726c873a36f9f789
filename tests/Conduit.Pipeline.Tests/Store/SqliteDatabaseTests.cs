using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Store;

public sealed class SqliteDatabaseTests
{

    [Fact]
    public async Task The_database_runs_in_WAL_mode_with_full_synchronous_writes()
    {
        await using var store = await StoreFixture.CreateAsync();

        var (mode, synchronous) = await store.Database.WriteAsync(
            (c, t) => ((string)c.Scalar(t, "PRAGMA journal_mode;")!, (long)c.Scalar(t, "PRAGMA synchronous;")!), CancellationToken.None);

        Assert.Equal("wal", mode);
        Assert.Equal(2L, synchronous); // 2 = FULL
    }

    [Fact]
    public async Task A_database_opened_not_durable_commits_to_the_log_without_waiting_for_the_disk()
    {
        using var directory = new TempDirectory();
        await using var database = await SqliteDatabase.OpenAsync(
            new SqliteDatabaseOptions { Path = Path.Combine(directory.Path, "c.db"), Durable = false });

        var synchronous = await database.WriteAsync((c, t) => (long)c.Scalar(t, "PRAGMA synchronous;")!, CancellationToken.None);

        Assert.Equal(1L, synchronous); // 1 = NORMAL
    }

    [Fact]
    public async Task A_reused_statement_runs_again_with_new_values_in_later_transactions()
    {
        await using var store = await StoreFixture.CreateAsync();
        const string insert = "INSERT INTO job_queue (job_id, priority, sequence, enqueued_at, available_at) VALUES (@id, @p, @id, 'x', 'x');";
        const string count = "SELECT COUNT(*) FROM job_queue WHERE priority = @p;";

        for (var i = 0; i < 6; i++)
        {
            var n = i;
            await store.Database.WriteAsync((c, t) => c.ExecuteReused(t, insert, ("@id", $"job-{n}"), ("@p", n % 2)), CancellationToken.None);
        }
        var (odd, even) = await store.Database.WriteAsync(
            (c, t) => ((long)c.ScalarReused(t, count, ("@p", 1))!, (long)c.ScalarReused(t, count, ("@p", 0))!), CancellationToken.None);
        var wrongName = await Assert.ThrowsAsync<InvalidOperationException>(() => store.Database.WriteAsync(
            (c, t) => c.ScalarReused(t, count, ("@priority", 1)), CancellationToken.None));

        Assert.Equal((3L, 3L), (odd, even));
        Assert.Contains("@priority", wrongName.Message);
    }

    [Fact]
    public async Task Writes_committed_together_fail_alone_and_every_other_write_is_kept()
    {
        await using var store = await StoreFixture.CreateAsync();

        var writes = Enumerable.Range(0, 200).Select(i => Task.Run(() => store.Database.WriteAsync((c, t) =>
        {
            c.Execute(t, "INSERT INTO job_queue (job_id, priority, sequence, enqueued_at, available_at) VALUES (@id, 0, @id, 'x', 'x');",
                ("@id", $"job-{i:D3}"));
            if (i % 5 == 0)
            {
                throw new InvalidOperationException($"write {i} fails after inserting");
            }
            return i;
        }, CancellationToken.None))).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return (Ok: true, Value: await w);
            }
            catch (InvalidOperationException)
            {
                return (Ok: false, Value: -1);
            }
        }));

        Assert.Equal(160, outcomes.Count(o => o.Ok));
        var kept = await store.Database.ReadAsync(
            c => c.Query(null, "SELECT job_id FROM job_queue ORDER BY job_id;", r => r.GetString(0)), CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 200).Where(i => i % 5 != 0).Select(i => $"job-{i:D3}"), kept);
    }

    [Fact]
    public async Task A_write_queued_before_dispose_is_committed_and_survives_reopening()
    {
        await using var store = await StoreFixture.CreateAsync();
        var write = store.Database.WriteAsync((c, t) => c.Execute(t,
            "INSERT INTO job_queue (job_id, priority, sequence, enqueued_at, available_at) VALUES ('last', 0, 's', 'x', 'x');"),
            CancellationToken.None);

        await store.ReopenAsync();

        Assert.Equal(1, await write);
        var rows = await store.Database.ReadAsync(c => c.Scalar(null, "SELECT COUNT(*) FROM job_queue;"), CancellationToken.None);
        Assert.Equal(1L, rows);
    }
}
