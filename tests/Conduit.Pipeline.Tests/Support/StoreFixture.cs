using System.Reflection;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Time.Testing;
using Xunit.Sdk;

namespace Conduit.Pipeline.Tests.Support;

/// <summary>Which database a store test runs on.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Runs a store contract test once on SQLite and once on PostgreSQL (the shared <see cref="PostgresServer"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BothProvidersAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        [[StoreProvider.Sqlite], [StoreProvider.Postgres]];
}

/// <summary>
/// A store database on a fake clock: SQLite in a temp folder, or a fresh schema of the shared PostgreSQL cluster.
/// <see cref="ReopenAsync"/> simulates a restart.
/// </summary>
internal sealed class StoreFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly TimeProvider _clock;
    private readonly string? _postgres;

    private StoreFixture(FakeTimeProvider time, TimeProvider clock, string? postgres)
    {
        Time = time;
        _clock = clock;
        _postgres = postgres;
    }

    /// <summary>The fake clock (unused when the fixture was created on the system clock).</summary>
    public FakeTimeProvider Time { get; }

    public StoreDatabase Database { get; private set; } = null!;

    public StoreProvider Provider => _postgres is null ? StoreProvider.Sqlite : StoreProvider.Postgres;

    /// <summary>The SQLite file (SQLite fixtures only).</summary>
    public string DatabasePath => _directory.Combine("conduit.db");

    public static async Task<StoreFixture> CreateAsync(StoreProvider provider = StoreProvider.Sqlite, bool systemClock = false)
    {
        var fake = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var postgres = provider == StoreProvider.Postgres ? await (await PostgresServer.Shared).CreateSchemaAsync() : null;
        var fixture = new StoreFixture(fake, systemClock ? TimeProvider.System : fake, postgres);
        await fixture.OpenAsync();
        return fixture;
    }

    /// <summary>Disposes the database without completing anything, as a crash would, and opens it again.</summary>
    public async Task ReopenAsync()
    {
        await Database.DisposeAsync();
        await OpenAsync();
    }

    /// <summary>Another connection to the same database, as a second node would have (PostgreSQL fixtures only).</summary>
    public Task<PostgresDatabase> OpenSecondAsync() =>
        PostgresDatabase.OpenAsync(_postgres ?? throw new InvalidOperationException("A second node needs PostgreSQL."), _clock);

    private async Task OpenAsync() =>
        Database = _postgres is null
            ? await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = DatabasePath }, _clock, null, CancellationToken.None)
            : await PostgresDatabase.OpenAsync(_postgres, _clock, null, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        _directory.Dispose();
    }
}
