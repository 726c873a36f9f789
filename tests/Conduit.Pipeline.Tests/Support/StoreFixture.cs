using Conduit.Pipeline.Store;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Pipeline.Tests.Support;

/// <summary>A store database in a temp folder on a fake clock; <see cref="ReopenAsync"/> simulates a restart.</summary>
internal sealed class StoreFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    private readonly TimeProvider _clock;

    private StoreFixture(FakeTimeProvider time, TimeProvider clock)
    {
        Time = time;
        _clock = clock;
    }

    /// <summary>The fake clock (unused when the fixture was created on the system clock).</summary>
    public FakeTimeProvider Time { get; }

    public SqliteDatabase Database { get; private set; } = null!;

    public string DatabasePath => _directory.Combine("conduit.db");

    public static async Task<StoreFixture> CreateAsync(bool systemClock = false)
    {
        var fake = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var fixture = new StoreFixture(fake, systemClock ? TimeProvider.System : fake);
        await fixture.OpenAsync();
        return fixture;
    }

    /// <summary>Disposes the database without completing anything, as a crash would, and opens it again.</summary>
    public async Task ReopenAsync()
    {
        await Database.DisposeAsync();
        await OpenAsync();
    }

    private async Task OpenAsync() =>
        Database = await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = DatabasePath }, _clock, null, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        _directory.Dispose();
    }
}
