using System.Data.Common;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Store;

/// <summary>What every store database does, on SQLite and on PostgreSQL: migrations, refusal of newer schemas, atomic writes.</summary>
public sealed class StoreDatabaseTests
{
    [Theory, BothProviders]
    public async Task Opening_applies_every_migration_once_and_reopening_changes_nothing(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        Assert.Equal(Latest(provider), store.Database.SchemaVersion);

        await store.ReopenAsync();

        Assert.Equal(Latest(provider), store.Database.SchemaVersion);
        var rows = await store.Database.ReadAsync(c => c.Scalar(null, "SELECT COUNT(*) FROM schema_migrations;"), CancellationToken.None);
        Assert.Equal((long)Latest(provider), rows);
    }

    [Theory, BothProviders]
    public async Task A_database_from_a_newer_Conduit_is_refused_with_a_clear_message(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        await store.Database.WriteAsync((c, t) => c.Execute(t,
            "INSERT INTO schema_migrations (version, description, applied_at) VALUES (999, 'future', '2030-01-01T00:00:00.0000000Z');"),
            CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(store.ReopenAsync);
        Assert.Contains("newer than this Conduit knows", error.Message);
    }

    [Theory, BothProviders]
    public async Task A_write_that_throws_is_rolled_back(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);

        await Assert.ThrowsAnyAsync<DbException>(() => store.Database.WriteAsync<int>((c, t) =>
        {
            c.Execute(t, "INSERT INTO job_queue (job_id, priority, sequence, enqueued_at, available_at) VALUES ('a', 0, 's', 'x', 'x');");
            c.Execute(t, "INSERT INTO no_such_table VALUES (1);");
            return 0;
        }, CancellationToken.None));

        var rows = await store.Database.ReadAsync(c => c.Scalar(null, "SELECT COUNT(*) FROM job_queue;"), CancellationToken.None);
        Assert.Equal(0L, rows);
    }

    [Fact]
    public void Both_databases_number_their_migrations_alike() =>
        Assert.Equal(SqliteMigrations.All.Select(m => (m.Version, m.Description)), PostgresMigrations.All.Select(m => (m.Version, m.Description)));

    private static int Latest(StoreProvider provider) => provider == StoreProvider.Sqlite ? SqliteMigrations.Latest : PostgresMigrations.Latest;
}
