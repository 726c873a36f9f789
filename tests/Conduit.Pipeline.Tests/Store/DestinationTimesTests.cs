using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Pipeline.Tests.Store;

public sealed class DestinationTimesTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-desttimes-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() =>
        _database = await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = Path.Combine(_dir, "conduit.db") }, _time);

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_destination_keeps_when_its_first_attempt_started_and_when_it_ended()
    {
        var jobs = new SqlJobRepository(_database);
        var job = await jobs.CreateAsync(new NewJob("flow", "1", 0, null, null, [], ["pacs"]), CancellationToken.None);
        var start = _time.GetUtcNow();

        await jobs.UpdateDestinationAsync(job.Id, "pacs", DestinationStatus.Sending, null, null, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        await jobs.UpdateDestinationAsync(job.Id, "pacs", DestinationStatus.Pending, "connection refused", start.AddSeconds(30), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        await jobs.UpdateDestinationAsync(job.Id, "pacs", DestinationStatus.Sending, null, null, CancellationToken.None);
        var pending = Assert.Single((await jobs.GetDetailsAsync(job.Id, CancellationToken.None))!.Destinations);
        Assert.Null(pending.EndedAt);
        _time.Advance(TimeSpan.FromSeconds(2));
        await jobs.UpdateDestinationAsync(job.Id, "pacs", DestinationStatus.Sent, null, null, CancellationToken.None);

        var sent = Assert.Single((await jobs.GetDetailsAsync(job.Id, CancellationToken.None))!.Destinations);
        Assert.Equal(start, sent.StartedAt);
        Assert.Equal(start.AddSeconds(37), sent.EndedAt);
        Assert.Equal(2, sent.Attempts);
    }
}
