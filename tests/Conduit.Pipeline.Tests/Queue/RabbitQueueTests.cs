using System.Collections.Concurrent;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Queue;

/// <summary>
/// <see cref="RabbitJobQueue"/> against a real broker (<see cref="RabbitFixture"/>) and PostgreSQL: each test
/// its own schema and its own queue name, each "node" its own broker connection.
/// </summary>
[Collection(RabbitCollection.Name)]
public sealed class RabbitQueueTests(RabbitFixture broker) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly string _queueName = "conduit.test." + Guid.NewGuid().ToString("N")[..12];
    private readonly List<RabbitJobQueue> _queues = [];
    private StoreFixture _store = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFixture.CreateAsync(StoreProvider.Postgres, systemClock: true);
    }

    private async Task<RabbitJobQueue> NodeAsync(StoreDatabase database, int prefetch)
    {
        var queue = await RabbitJobQueue.ConnectAsync(new SqlJobQueue(database),
            new RabbitJobQueueOptions(broker.Server.Uri, prefetch) { QueueName = _queueName });
        _queues.Add(queue);
        return queue;
    }

    [Fact]
    public async Task Jobs_waiting_in_the_broker_are_delivered_highest_priority_first()
    {
        var node = await NodeAsync(_store.Database, prefetch: 1);
        int[] priorities = [0, 3, 5, 1, 4, 2];
        foreach (var priority in priorities) await node.EnqueueAsync($"p{priority}", priority, null, None);

        var order = new List<string>();
        for (var i = 0; i < priorities.Length; i++)
        {
            var lease = await node.DequeueAsync("node/w1", Lease, None).WaitAsync(HangGuard);
            order.Add(lease.JobId);
            Assert.True(await node.CompleteAsync(lease, None));
        }

        Assert.Equal(["p5", "p4", "p3", "p2", "p1", "p0"], order);
        Assert.Equal(new QueueCounts(0, 0, 0), await node.CountAsync(None));
    }

    [Fact]
    public async Task Two_nodes_consuming_at_once_never_run_the_same_job_even_with_duplicate_messages()
    {
        await using var second = await _store.OpenSecondAsync();
        var nodes = new[] { await NodeAsync(_store.Database, prefetch: 2), await NodeAsync(second, prefetch: 2) };
        const int Jobs = 40;
        for (var i = 0; i < Jobs; i++) await nodes[i % 2].EnqueueAsync($"job-{i:D2}", i % 6, null, None);
        // Every job is published a second time, as a start-up reconciliation would: the duplicates must be dropped.
        Assert.Equal(Jobs, await nodes[1].ReconcileAsync(None));

        var runs = new ConcurrentBag<(string Node, string JobId)>();
        var running = new ConcurrentDictionary<string, string>();
        var overlaps = 0;
        using var done = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var node = nodes[w % 2];
            try
            {
                while (true)
                {
                    var lease = await node.DequeueAsync($"node-{w % 2}/w{w}", Lease, done.Token);
                    if (!running.TryAdd(lease.JobId, lease.WorkerId)) Interlocked.Increment(ref overlaps);
                    runs.Add(($"node-{w % 2}", lease.JobId));
                    await Task.Delay(5);
                    running.TryRemove(lease.JobId, out _);
                    Assert.True(await node.CompleteAsync(lease, None));
                    if (runs.Count >= Jobs) await done.CancelAsync();
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(HangGuard);

        Assert.Equal(0, overlaps);
        Assert.Equal(Jobs, runs.Count);
        Assert.Equal(Jobs, runs.Select(r => r.JobId).Distinct().Count());
        Assert.Equal(2, runs.Select(r => r.Node).Distinct().Count());
        Assert.Equal(new QueueCounts(0, 0, 0), await nodes[0].CountAsync(None));
    }

    [Fact]
    public async Task A_node_that_dies_without_acking_has_its_job_redelivered_and_run_once_after_its_lease_lapses()
    {
        var shortLease = TimeSpan.FromSeconds(2);
        await using var second = await _store.OpenSecondAsync();
        var dying = await NodeAsync(_store.Database, prefetch: 1);
        var survivor = await NodeAsync(second, prefetch: 1);
        await dying.EnqueueAsync("orphan", 3, null, None);
        var first = await dying.DequeueAsync("dying/w1", shortLease, None).WaitAsync(HangGuard);

        // The node goes away holding the job: no ack, no completion; the broker hands the message to the survivor.
        await dying.DisposeAsync();
        _queues.Remove(dying);
        var second_ = await survivor.DequeueAsync("survivor/w1", shortLease, None).WaitAsync(HangGuard);

        Assert.Equal(("orphan", 2), (second_.JobId, second_.DeliveryCount));
        // The survivor took it only once the dead worker's database lease had lapsed.
        Assert.True(second_.ExpiresAt - shortLease >= first.ExpiresAt, $"taken at {second_.ExpiresAt - shortLease:O}, first lease until {first.ExpiresAt:O}");
        Assert.True(await survivor.CompleteAsync(second_, None));
        Assert.Null(await survivor.TryDequeueAsync("survivor/w1", shortLease, None));
        Assert.Equal(new QueueCounts(0, 0, 0), await survivor.CountAsync(None));
    }

    [Fact]
    public async Task A_job_whose_worker_stopped_without_completing_comes_back_on_the_same_node_once_its_lease_lapses()
    {
        var shortLease = TimeSpan.FromSeconds(1);
        var node = await NodeAsync(_store.Database, prefetch: 1);
        await node.EnqueueAsync("stalled", 0, null, None);
        // The worker stops on an error: no completion, no heartbeat; the node still holds the unacked delivery.
        var first = await node.DequeueAsync("node/w1", shortLease, None).WaitAsync(HangGuard);

        var again = await node.DequeueAsync("node/w2", shortLease, None).WaitAsync(HangGuard);

        Assert.Equal(("stalled", 2, "node/w2"), (again.JobId, again.DeliveryCount, again.WorkerId));
        Assert.True(again.ExpiresAt - shortLease >= first.ExpiresAt, "the job was taken again before its lease lapsed");
        Assert.False(await node.CompleteAsync(first, None));
        Assert.True(await node.CompleteAsync(again, None));
    }

    [Fact]
    public async Task Start_up_reconciliation_publishes_a_job_queued_in_the_database_that_the_broker_does_not_hold()
    {
        var table = new SqlJobQueue(_store.Database);
        // Queued in the database only: as if the broker lost the message, or the publish never reached it.
        await table.EnqueueAsync("lost", 2, null, None);
        var node = await NodeAsync(_store.Database, prefetch: 1);
        var waiting = node.DequeueAsync("node/w1", Lease, None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "a job the broker never had was delivered");

        Assert.Equal(0, await node.RecoverAsync("node/", None));

        var lease = await waiting.WaitAsync(HangGuard);
        Assert.Equal("lost", lease.JobId);
        Assert.True(await node.CompleteAsync(lease, None));
    }

    [Fact]
    public async Task A_released_job_comes_back_through_the_broker_after_its_retry_delay()
    {
        var node = await NodeAsync(_store.Database, prefetch: 1);
        await node.EnqueueAsync("retry", 1, null, None);
        var first = await node.DequeueAsync("node/w1", Lease, None).WaitAsync(HangGuard);
        Assert.True(await node.ReleaseAsync(first, TimeSpan.FromSeconds(1), None));
        Assert.Equal(new QueueCounts(0, 1, 0), await node.CountAsync(None));

        var again = await node.DequeueAsync("node/w1", Lease, None).WaitAsync(HangGuard);

        Assert.Equal(("retry", 2), (again.JobId, again.DeliveryCount));
        Assert.True(await node.CompleteAsync(again, None));
    }

    [Fact]
    public async Task A_delivery_of_a_cancelled_job_is_dropped()
    {
        var node = await NodeAsync(_store.Database, prefetch: 1);
        await node.EnqueueAsync("cancelled", 5, null, None);
        Assert.True(await node.RemoveWaitingAsync("cancelled", None));
        await node.EnqueueAsync("next", 0, null, None);

        var lease = await node.DequeueAsync("node/w1", Lease, None).WaitAsync(HangGuard);

        Assert.Equal("next", lease.JobId);
    }

    public async Task DisposeAsync()
    {
        foreach (var queue in _queues) await queue.DisposeAsync();
        await _store.DisposeAsync();
    }
}
