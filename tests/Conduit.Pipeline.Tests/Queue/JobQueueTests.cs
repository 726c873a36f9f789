using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Queue;

public sealed class JobQueueTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Guards awaits that must complete; a hang fails the test instead of stalling the run.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Theory, BothProviders]
    public async Task Priority_5_jobs_are_dequeued_before_priority_0_jobs_enqueued_earlier(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        await queue.EnqueueAsync("low-1", 0, null, None);
        await queue.EnqueueAsync("low-2", 0, null, None);
        await queue.EnqueueAsync("mid", 3, null, None);
        await queue.EnqueueAsync("high", 5, null, None);

        var order = new List<string>();
        while (await queue.TryDequeueAsync("w", Lease, None) is { } lease)
        {
            order.Add(lease.JobId);
        }

        Assert.Equal(["high", "mid", "low-1", "low-2"], order);
    }

    [Theory, BothProviders]
    public async Task Jobs_of_one_priority_come_out_in_the_order_they_went_in(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        var ids = Enumerable.Range(0, 50).Select(i => $"job-{50 - i:D2}").ToList(); // ids sort opposite to arrival
        foreach (var id in ids)
        {
            await queue.EnqueueAsync(id, 2, null, None);
        }

        var order = new List<string>();
        while (await queue.TryDequeueAsync("w", Lease, None) is { } lease)
        {
            order.Add(lease.JobId);
        }

        Assert.Equal(ids, order);
    }

    [Theory, BothProviders]
    public async Task Enqueueing_a_job_already_in_the_queue_keeps_its_place_and_its_lease(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        Assert.True(await queue.EnqueueAsync("a", 0, null, None));
        var lease = (await queue.TryDequeueAsync("w", Lease, None))!;

        Assert.False(await queue.EnqueueAsync("a", 5, null, None));

        Assert.Null(await queue.TryDequeueAsync("w2", Lease, None));
        Assert.True(await queue.CompleteAsync(lease, None));
        Assert.Equal(new QueueCounts(0, 0, 0), await queue.CountAsync(None));
    }

    [Theory, BothProviders]
    public async Task A_lapsed_lease_hands_the_job_to_another_worker_and_the_first_can_no_longer_touch_it(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        await queue.EnqueueAsync("a", 0, null, None);
        var first = (await queue.TryDequeueAsync("crashed", Lease, None))!;
        Assert.Null(await queue.TryDequeueAsync("other", Lease, None));

        store.Time.Advance(Lease);
        var second = await queue.TryDequeueAsync("other", Lease, None);

        Assert.Equal(("a", "other", 2), (second!.JobId, second.WorkerId, second.DeliveryCount));
        Assert.Null(await queue.ExtendLeaseAsync(first, Lease, None));
        Assert.False(await queue.CompleteAsync(first, None));
        Assert.False(await queue.ReleaseAsync(first, TimeSpan.Zero, None));
        Assert.True(await queue.CompleteAsync(second, None));
    }

    [Theory, BothProviders]
    public async Task A_worker_that_extends_its_lease_keeps_the_job(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        await queue.EnqueueAsync("a", 0, null, None);
        var lease = (await queue.TryDequeueAsync("w", Lease, None))!;

        store.Time.Advance(Lease / 2);
        var extended = await queue.ExtendLeaseAsync(lease, Lease, None);
        store.Time.Advance(Lease / 2 + TimeSpan.FromSeconds(1));

        Assert.NotNull(extended);
        Assert.Equal(store.Time.GetUtcNow() - TimeSpan.FromSeconds(1) + Lease / 2, extended.ExpiresAt);
        Assert.Null(await queue.TryDequeueAsync("other", Lease, None));
        Assert.True(await queue.CompleteAsync(extended, None));
    }

    [Theory, BothProviders]
    public async Task A_released_job_comes_back_only_after_its_retry_delay(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        await queue.EnqueueAsync("a", 0, null, None);
        var lease = (await queue.TryDequeueAsync("w", Lease, None))!;

        Assert.True(await queue.ReleaseAsync(lease, TimeSpan.FromSeconds(30), None));

        Assert.Equal(new QueueCounts(0, 1, 0), await queue.CountAsync(None));
        Assert.Null(await queue.TryDequeueAsync("w", Lease, None));
        store.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, (await queue.TryDequeueAsync("w", Lease, None))!.DeliveryCount);
    }

    [Theory, BothProviders]
    public async Task After_a_crash_every_pending_and_running_job_is_still_queued_and_a_restarting_node_takes_its_leases_back(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await queue.EnqueueAsync(id, 0, null, None);
        }
        await queue.TryDequeueAsync("node-1/worker-0", Lease, None);
        await queue.TryDequeueAsync("node-2/worker-0", Lease, None);

        await store.ReopenAsync(); // dispose without completing anything
        queue = new SqlJobQueue(store.Database);

        Assert.Equal(new QueueCounts(2, 0, 2), await queue.CountAsync(None));
        Assert.Equal(1, await queue.RecoverAsync("node-1/", None));
        var order = new List<string>();
        while (await queue.TryDequeueAsync("node-1/worker-0", Lease, None) is { } lease)
        {
            order.Add(lease.JobId);
        }
        Assert.Equal(["a", "c", "d"], order); // a, the crashed node's job, keeps its place; b is node-2's, still leased
    }

    [Theory, BothProviders]
    public async Task Recovery_returns_lapsed_leases_to_the_queue(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var queue = new SqlJobQueue(store.Database);
        await queue.EnqueueAsync("a", 0, null, None);
        await queue.EnqueueAsync("b", 0, null, None);
        await queue.TryDequeueAsync("w", Lease, None);
        await queue.TryDequeueAsync("w", Lease * 2, None);

        store.Time.Advance(Lease);

        Assert.Equal(1, await queue.RecoverAsync(null, None));
        Assert.Equal(new QueueCounts(1, 0, 1), await queue.CountAsync(None));
    }

    [Theory, BothProviders]
    public async Task Concurrent_dequeuers_never_get_the_same_job(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider, systemClock: true);
        var queue = new SqlJobQueue(store.Database);
        const int Jobs = 300;
        for (var i = 0; i < Jobs; i++)
        {
            await queue.EnqueueAsync($"job-{i}", i % 6, null, None);
        }

        var taken = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await queue.TryDequeueAsync($"w{w}", Lease, None) is { } lease)
            {
                mine.Add(lease.JobId);
                Assert.True(await queue.CompleteAsync(lease, None));
            }
            return mine;
        })));

        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(Jobs, all.Count);
        Assert.Equal(Jobs, all.Distinct().Count());
    }

    [Theory, BothProviders]
    public async Task Idle_workers_are_woken_by_an_enqueue_and_each_gets_a_different_job(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider, systemClock: true);
        var queue = new SqlJobQueue(store.Database);
        var waiting = Enumerable.Range(0, 3).Select(w => queue.DequeueAsync($"w{w}", Lease, None)).ToList();
        Assert.All(waiting, t => Assert.False(t.IsCompleted));

        await queue.EnqueueAsync("a", 0, null, None);
        await queue.EnqueueAsync("b", 0, null, None);
        await queue.EnqueueAsync("c", 0, null, None);

        var leases = await Task.WhenAll(waiting).WaitAsync(HangGuard);
        Assert.Equal(["a", "b", "c"], leases.Select(l => l.JobId).Order());
    }

    [Theory, BothProviders]
    public async Task A_waiting_worker_wakes_for_a_delayed_retry_without_another_enqueue(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider, systemClock: true);
        var queue = new SqlJobQueue(store.Database);
        await queue.EnqueueAsync("a", 0, null, None);
        var lease = (await queue.TryDequeueAsync("w", Lease, None))!;
        await queue.ReleaseAsync(lease, TimeSpan.FromMilliseconds(300), None);

        var again = await queue.DequeueAsync("w", Lease, None).WaitAsync(HangGuard);

        Assert.Equal(("a", 2), (again.JobId, again.DeliveryCount));
    }

    [Theory, BothProviders]
    public async Task A_waiting_worker_picks_up_a_job_whose_lease_lapses(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider, systemClock: true);
        var queue = new SqlJobQueue(store.Database);
        await queue.EnqueueAsync("a", 0, null, None);
        await queue.TryDequeueAsync("dies", TimeSpan.FromMilliseconds(300), None);

        var again = await queue.DequeueAsync("w", Lease, None).WaitAsync(HangGuard);

        Assert.Equal(("a", "w"), (again.JobId, again.WorkerId));
    }

    [Theory, BothProviders]
    public async Task Dequeue_stops_waiting_when_cancelled(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider, systemClock: true);
        var queue = new SqlJobQueue(store.Database);
        using var cancel = new CancellationTokenSource();

        var waiting = queue.DequeueAsync("w", Lease, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(HangGuard));
    }
}
