using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Orchestration;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Pipeline.Tests.Orchestration;

public sealed class RetentionSweeperTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-retention-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = null!;
    private SqlJobRepository _jobs = null!;
    private LocalFileLayout _layout = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = Path.Combine(_dir, "conduit.db") }, _time);
        _jobs = new SqlJobRepository(_database);
        _layout = new LocalFileLayout(_dir);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> JobAsync(JobStatus end)
    {
        var job = await _jobs.CreateAsync(new NewJob("flow", "1", 0, null, null, ["copy"], []), CancellationToken.None);
        await _jobs.TransitionAsync(job.Id, JobStatus.Running, null, CancellationToken.None);
        if (end == JobStatus.Sent) await _jobs.TransitionAsync(job.Id, JobStatus.Finished, null, CancellationToken.None);
        await _jobs.TransitionAsync(job.Id, end, end == JobStatus.Failed ? "step failed" : null, CancellationToken.None);
        _layout.CreateStepDirectories(job.Id, "copy");
        return job.Id;
    }

    [Fact]
    public async Task Sent_jobs_lose_their_work_folder_after_the_retention_and_failed_ones_keep_it()
    {
        var sent = await JobAsync(JobStatus.Sent);
        var failed = await JobAsync(JobStatus.Failed);
        var sweeper = new RetentionSweeper(_jobs, _layout, TimeSpan.FromHours(24), NullLogger<RetentionSweeper>.Instance, _time);

        _time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        Assert.True(Directory.Exists(_layout.JobDirectory(sent)));

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));
        Assert.False(Directory.Exists(_layout.JobDirectory(sent)));
        Assert.True(Directory.Exists(_layout.JobDirectory(failed)));
    }
}
