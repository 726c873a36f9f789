using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Queue;

public sealed class LeaseHeartbeatTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Theory, BothProviders]
    public async Task A_worker_with_a_heartbeat_keeps_its_job_past_the_first_lease_expiry(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        await queue.EnqueueAsync("a", 0, null, None);
        var lease = (await queue.TryDequeueAsync("w", Lease, None))!;
        await using var heartbeat = LeaseHeartbeat.Start(queue, lease, Lease, store.Time);

        store.Time.Advance(Lease / 3);
        await Until(() => heartbeat.Lease.ExpiresAt > lease.ExpiresAt);
        store.Time.Advance(Lease - (Lease / 3) + TimeSpan.FromSeconds(1)); // past the first lease's expiry

        Assert.Null(await queue.TryDequeueAsync("other", Lease, None));
        Assert.False(heartbeat.LeaseLost.IsCancellationRequested);
        Assert.True(await queue.CompleteAsync(heartbeat.Lease, None));
    }

    [Theory, BothProviders]
    public async Task A_heartbeat_that_finds_its_job_taken_over_signals_the_lease_lost(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        await queue.EnqueueAsync("a", 0, null, None);
        var stalled = (await queue.TryDequeueAsync("stalled", Lease, None))!;
        await using var heartbeat = LeaseHeartbeat.Start(queue, stalled, Lease, store.Time);
        // The worker stalled for a whole lease (its timer did not run): another worker took the job.
        await store.Database.WriteAsync((c, t) => c.Execute(t, "UPDATE job_queue SET lease_expires_at = '2000-01-01T00:00:00.0000000Z';"), None);
        var other = await queue.TryDequeueAsync("other", Lease, None);
        Assert.NotNull(other);

        store.Time.Advance(Lease / 3);
        await Task.Delay(Timeout.Infinite, heartbeat.LeaseLost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(heartbeat.LeaseLost.IsCancellationRequested);
        Assert.True(await queue.CompleteAsync(other, None));
    }

    /// <summary>Waits (bounded) for the heartbeat's asynchronous extension to land.</summary>
    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the heartbeat did not extend the lease within 30 s");
            await Task.Delay(10);
        }
    }
}
