using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Orchestration;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Orchestration;

public sealed class JobCancellerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_queued_job_is_cancelled_and_leaves_the_queue_and_a_retry_queues_it_again()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var jobs = new SqlJobRepository(fixture.Database);
        var queue = new SqlJobQueue(fixture.Database);
        var job = await jobs.CreateAsync(new NewJob("seg", "1", 3, null, null, ["segment"], ["pacs"]), None);
        await queue.EnqueueAsync(job.Id, job.Priority, null, None);
        var running = new RunningJobs();

        var outcome = await new JobCanceller(jobs, queue, running).CancelAsync(job.Id, "operator", None);

        Assert.Equal(CancelResult.Cancelled, outcome.Result);
        Assert.False(outcome.WasRunning);
        Assert.Equal(JobStatus.Cancelled, (await jobs.GetAsync(job.Id, None))!.Status);
        Assert.Equal(new QueueCounts(0, 0, 0), await queue.CountAsync(None));
        Assert.Null(await queue.TryDequeueAsync("w1", TimeSpan.FromMinutes(1), None));
        // A cancelled job can be retried: back to pending (the retry endpoint then queues it).
        Assert.Equal(JobStatus.Pending, (await jobs.TransitionAsync(job.Id, JobStatus.Pending, "retry", None)).Status);
    }

    [Fact]
    public async Task A_leased_job_stays_in_the_queue_for_its_worker_whose_run_is_told_to_stop()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var jobs = new SqlJobRepository(fixture.Database);
        var queue = new SqlJobQueue(fixture.Database);
        var job = await jobs.CreateAsync(new NewJob("seg", "1", 3, null, null, ["segment"], []), None);
        await queue.EnqueueAsync(job.Id, job.Priority, null, None);
        var lease = await queue.TryDequeueAsync("w1", TimeSpan.FromMinutes(1), None);
        await jobs.TransitionAsync(job.Id, JobStatus.Running, null, None);
        var running = new RunningJobs();
        using var run = running.Start(job.Id);

        var outcome = await new JobCanceller(jobs, queue, running).CancelAsync(job.Id, "operator", None);

        Assert.Equal(CancelResult.Cancelled, outcome.Result);
        Assert.True(outcome.WasRunning);
        Assert.True(run.Token.IsCancellationRequested);
        Assert.Equal(1, (await queue.CountAsync(None)).Leased);
        Assert.True(await queue.CompleteAsync(lease!, None));
    }

    [Fact]
    public async Task An_ended_job_or_an_unknown_one_is_not_cancelled()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var jobs = new SqlJobRepository(fixture.Database);
        var queue = new SqlJobQueue(fixture.Database);
        var job = await jobs.CreateAsync(new NewJob("seg", "1", 3, null, null, [], []), None);
        await jobs.TransitionAsync(job.Id, JobStatus.Failed, "boom", None);
        var canceller = new JobCanceller(jobs, queue, new RunningJobs());

        var ended = await canceller.CancelAsync(job.Id, "operator", None);
        var unknown = await canceller.CancelAsync("nope", "operator", None);

        Assert.Equal(CancelResult.AlreadyEnded, ended.Result);
        Assert.Equal(JobStatus.Failed, ended.Job!.Status);
        Assert.Equal(CancelResult.NotFound, unknown.Result);
    }
}
