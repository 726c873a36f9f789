using System.Threading.Channels;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Pipeline.Tests.Ingest;

/// <summary>
/// Two nodes on one PostgreSQL database (each its own connection, store, tracker and ingest loop, on the system clock):
/// a starting node takes back only its own open batches, never those of a node that is still beating, and adopts a
/// node's open batches once it stopped beating for the lapse.
/// </summary>
public sealed class BatchOwnershipTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Lapse = TimeSpan.FromSeconds(1.5);
    /// <summary>The series' own rule on the node receiving it: it never closes by quiet time while the test runs.</summary>
    private static readonly CompletionRule Receiving = CompletionRule.Default with { QuietTime = TimeSpan.FromHours(1) };
    private readonly string _flows = Directory.CreateTempSubdirectory("conduit-ownership-").FullName;
    private readonly List<Node> _nodes = [];
    private StoreFixture _store = null!;
    private StoreDatabase _second = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFixture.CreateAsync(StoreProvider.Postgres, systemClock: true);
        _second = await _store.OpenSecondAsync();
    }

    [Fact]
    public async Task A_starting_node_restores_only_its_own_open_batches_and_leaves_a_beating_node_s_alone()
    {
        var a = await StartNodeAsync("node-a", _store.Database);
        var batchId = await a.ReceiveSeriesAsync("1.2.3.4", count: 3);
        a.Run();
        // The series stops arriving: only node-a's heartbeat says it may still be filling the batch.
        await Task.Delay(Lapse);

        var b = await StartNodeAsync("node-b", _second);
        b.Run();
        await Task.Delay(3 * Lapse);

        Assert.Equal(0, b.Restored);
        Assert.Equal(0, b.Tracker.OpenCount);
        var batch = (await _store.Database.ReadAsync(c => c.Query(null, "SELECT * FROM batches;", SqlStoreRows.Batch), None)).Single();
        Assert.Equal((batchId, true, "node-a"), (batch.Id, batch.IsOpen, batch.NodeId));

        // node-a restarts: it takes its own batch back.
        await a.StopAsync();
        var again = await StartNodeAsync("node-a", _store.Database);
        Assert.Equal(1, again.Restored);
        Assert.Equal(batchId, again.Tracker.OpenBatchId(new BatchKey(BatchScope.Series, "1.2.3.4", "ct")));
    }

    [Fact]
    public async Task The_open_batch_of_a_node_that_stopped_beating_is_adopted_by_a_live_node_and_closed_there()
    {
        var dead = await StartNodeAsync("node-a", _store.Database);
        var batchId = await dead.ReceiveSeriesAsync("1.2.3.5", count: 4);
        // node-a dies with the series open: no more beats, its tracker gone.
        await dead.StopAsync();
        var lastBeat = await new SqlNodeRegistry(_store.Database).LastSeenAsync("node-a", None);

        var live = await StartNodeAsync("node-b", _second);
        live.Run();
        var closed = await live.Closed.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);

        Assert.Equal((batchId, 4, BatchCloseReason.QuietTime), (closed.BatchId, closed.InstanceCount, closed.Reason));
        Assert.True(closed.ClosedAt >= lastBeat + Lapse, $"adopted at {closed.ClosedAt:O}, node-a last beat at {lastBeat:O}");
        var batch = await _store.Database.ReadAsync(c => c.Query(null, "SELECT * FROM batches WHERE id = @id;", SqlStoreRows.Batch, ("@id", batchId)), None);
        Assert.Equal((false, "node-b"), (batch.Single().IsOpen, batch.Single().NodeId));
    }

    [Fact]
    public async Task An_instance_of_a_series_another_node_has_open_joins_that_node_s_batch_and_is_not_tracked_here()
    {
        var a = await StartNodeAsync("node-a", _store.Database);
        var b = await StartNodeAsync("node-b", _second);
        var batchId = await a.ReceiveSeriesAsync("1.2.3.6", count: 2);

        var recorded = await b.ReceiveAsync("1.2.3.6", 2).WaitAsync(HangGuard);

        Assert.Equal([batchId], recorded.BatchIds);
        Assert.Equal([batchId], recorded.OtherNodesBatchIds);
        var batch = (await _store.Database.ReadAsync(c => c.Query(null, "SELECT * FROM batches;", SqlStoreRows.Batch), None)).Single();
        Assert.Equal((batchId, true, "node-a", 3), (batch.Id, batch.IsOpen, batch.NodeId, batch.InstanceCount));
        var members = await new SqlInstanceStore(_store.Database).ListBatchInstancesAsync(batchId, None);
        Assert.Contains("1.2.3.6.2", members.Select(m => m.SopInstanceUid));
        // node-a closes it (its owner); node-b's tracker never held it, so it cannot close it a second time.
        Assert.Equal(0, b.Tracker.OpenCount);
        Assert.Equal(batchId, a.Tracker.OpenBatchId(new BatchKey(BatchScope.Series, "1.2.3.6", "ct")));
    }

    [Fact]
    public async Task An_instance_of_a_batch_another_node_closed_under_this_node_s_tracker_opens_a_new_batch()
    {
        var b = await StartNodeAsync("node-b", _second);
        var first = await b.ReceiveSeriesAsync("1.2.3.7", count: 2);
        // node-b stops beating but keeps its tracker (a stalled heartbeat, not a dead node): node-a adopts the batch
        // and closes it by its quiet time, while node-b's tracker still has it open.
        var a = await StartNodeAsync("node-a", _store.Database);
        a.Run();
        var closed = await a.Closed.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);
        var key = new BatchKey(BatchScope.Series, "1.2.3.7", "ct");
        Assert.Equal((first, 2), (closed.BatchId, closed.InstanceCount));
        Assert.Equal(first, b.Tracker.OpenBatchId(key));

        var late = await b.ReceiveAsync("1.2.3.7", 2).WaitAsync(HangGuard);

        var next = Assert.Single(late.BatchIds);
        Assert.NotEqual(first, next);
        Assert.Empty(late.OtherNodesBatchIds);
        var batches = await _store.Database.ReadAsync(c => c.Query(null, "SELECT * FROM batches ORDER BY opened_at, id;", SqlStoreRows.Batch), None);
        Assert.Equal([(first, false, 2), (next, true, 1)], batches.Select(x => (x.Id, x.IsOpen, x.InstanceCount)));
        Assert.Equal("node-b", batches[1].NodeId);
        Assert.Equal(next, b.Tracker.OpenBatchId(key));
        var members = await new SqlInstanceStore(_store.Database).ListBatchInstancesAsync(next, None);
        Assert.Equal(["1.2.3.7.2"], members.Select(m => m.SopInstanceUid));
    }

    private async Task<Node> StartNodeAsync(string nodeId, StoreDatabase database)
    {
        var store = new SqlInstanceStore(database, nodeId);
        var closed = Channel.CreateUnbounded<ClosedBatch>();
        var tracker = new BatchTracker();
        var coordinator = new IngestCoordinator(store, tracker, new Recorder(closed), NullLogger<IngestCoordinator>.Instance);
        // The adopting node's own quiet time closes what it adopts (restored batches have no associations left).
        var ownership = new BatchOwnership(nodeId, store, new SqlNodeRegistry(database), coordinator, new FlowCatalog(_flows),
            new GroupingOptions { QuietTime = TimeSpan.FromSeconds(1) }, new LocalFileLayout(_flows), NullLogger<BatchOwnership>.Instance,
            Beat, Lapse);
        var node = new Node(coordinator, ownership, closed);
        _nodes.Add(node);
        node.Restored = await ownership.StartAsync(None);
        return node;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.StopAsync();
        await _second.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_flows, recursive: true);
    }

    /// <summary>One node's ingest side: its loop runs from creation, its heartbeat once <see cref="Run"/> is called.</summary>
    private sealed class Node
    {
        private readonly IngestCoordinator _coordinator;
        private readonly BatchOwnership _ownership;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _loops = [];

        public Node(IngestCoordinator coordinator, BatchOwnership ownership, Channel<ClosedBatch> closed)
        {
            (_coordinator, _ownership, Closed) = (coordinator, ownership, closed);
            _loops.Add(coordinator.RunAsync(_stop.Token));
        }

        public int Restored { get; set; }

        public BatchTracker Tracker => _coordinator.Tracker;

        public Channel<ClosedBatch> Closed { get; }

        public void Run() => _loops.Add(_ownership.RunAsync(_stop.Token));

        public async Task<string> ReceiveSeriesAsync(string series, int count)
        {
            var recorded = await Task.WhenAll(Enumerable.Range(0, count).Select(n => _coordinator.RecordAsync(Instance(series, n), None)));
            return recorded.SelectMany(r => r.BatchIds).Distinct().Single();
        }

        public Task<RecordedInstance> ReceiveAsync(string series, int n) => _coordinator.RecordAsync(Instance(series, n), None);

        public async Task StopAsync()
        {
            if (_stop.IsCancellationRequested) return;
            await _stop.CancelAsync();
            await Task.WhenAll(_loops).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        private static PendingInstance Instance(string series, int n)
        {
            var record = new InstanceRecord
            {
                StudyInstanceUid = "1.2.3", SeriesInstanceUid = series, SopInstanceUid = $"{series}.{n}", SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
                TransferSyntaxUid = "1.2.840.10008.1.2.1", Modality = "CT", Source = InstanceSource.Scp, AssociationId = "assoc",
                ReceivedAt = DateTimeOffset.UnixEpoch, SizeBytes = 100, Path = $"instances/1.2.3/{series}/{series}.{n}.dcm",
            };
            var key = new BatchKey(BatchScope.Series, series, "ct");
            return new PendingInstance(record, [new FlowMembership(new() { Name = "ct" }, key, Receiving, new InstanceArrival(record.SopInstanceUid, series, "assoc"))]);
        }
    }

    private sealed class Recorder(Channel<ClosedBatch> closed) : IBatchClosedHandler
    {
        public Task OnBatchClosedAsync(ClosedBatch batch, CancellationToken cancellationToken) => closed.Writer.WriteAsync(batch, cancellationToken).AsTask();
    }
}
