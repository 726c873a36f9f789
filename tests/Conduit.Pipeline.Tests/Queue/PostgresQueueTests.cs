using System.Collections.Concurrent;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Queue;

/// <summary>The queue as several nodes share it on PostgreSQL: each node its own connections, one table.</summary>
public sealed class PostgresQueueTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Consumers_on_two_connections_dequeuing_at_once_never_get_the_same_job()
    {
        await using var store = await StoreFixture.CreateAsync(StoreProvider.Postgres);
        await using var otherNode = await store.OpenSecondAsync();
        var queues = new[] { new SqlJobQueue(store.Database), new SqlJobQueue(otherNode) };
        const int Jobs = 300;
        for (var i = 0; i < Jobs; i++)
        {
            await queues[i % 2].EnqueueAsync($"job-{i:D3}", i % 3, null, None);
        }

        // Four workers per node take jobs as fast as they can until the queue is empty; every lease is recorded.
        var leases = new ConcurrentBag<(string Worker, string JobId)>();
        using var start = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            start.Wait();
            var queue = queues[w % 2];
            while (await queue.TryDequeueAsync($"node-{w % 2}/worker-{w}", Lease, None) is { } lease)
            {
                leases.Add((lease.WorkerId, lease.JobId));
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(workers).WaitAsync(HangGuard);

        Assert.Equal(Jobs, leases.Count);
        Assert.Equal(Jobs, leases.Select(l => l.JobId).Distinct().Count());
        Assert.True(leases.Select(l => l.Worker[..6]).Distinct().Count() == 2, "both nodes should have taken jobs");
        Assert.Equal(new QueueCounts(0, 0, Jobs), await queues[0].CountAsync(None));
    }

    [Fact]
    public async Task An_idle_dequeuer_on_one_node_is_woken_by_an_enqueue_on_another()
    {
        await using var store = await StoreFixture.CreateAsync(StoreProvider.Postgres);
        await using var otherNode = await store.OpenSecondAsync();
        var waiting = new SqlJobQueue(otherNode).DequeueAsync("node-2/worker", Lease, None);
        // The dequeuer finds the queue empty and, with nothing delayed, sleeps without a timer: only a notification wakes it.
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        await new SqlJobQueue(store.Database).EnqueueAsync("from-node-1", 0, null, None);

        var lease = await waiting.WaitAsync(HangGuard);
        Assert.Equal(("from-node-1", "node-2/worker"), (lease.JobId, lease.WorkerId));
    }
}
