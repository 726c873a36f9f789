using System.Threading.Channels;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Pipeline.Tests.Ingest;

/// <summary>The ingest loop over the real SQLite store, with a clock the test moves.</summary>
public sealed class IngestCoordinatorTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-ingest-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    private readonly Channel<ClosedBatch> _closed = Channel.CreateUnbounded<ClosedBatch>();
    private readonly CancellationTokenSource _stop = new();
    private SqliteDatabase _database = null!;
    private SqlInstanceStore _store = null!;
    private IngestCoordinator _coordinator = null!;
    private Task _loop = Task.CompletedTask;

    private static readonly FlowDefinition Flow = new() { Name = "ct" };

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = Path.Combine(_dir, "conduit.db") }, _time);
        _store = new SqlInstanceStore(_database);
        _coordinator = new IngestCoordinator(_store, new BatchTracker(_time), new Recorder(_closed), NullLogger<IngestCoordinator>.Instance);
        _loop = _coordinator.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ContinueWith(static _ => { }, TaskScheduler.Default);
        await _database.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static PendingInstance Instance(int n, string association, string series = "1.2.3.4")
    {
        var record = new InstanceRecord
        {
            StudyInstanceUid = "1.2.3", SeriesInstanceUid = series, SopInstanceUid = $"{series}.{n}", SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            TransferSyntaxUid = "1.2.840.10008.1.2.1", Modality = "CT", Source = InstanceSource.Scp, AssociationId = association,
            ReceivedAt = DateTimeOffset.UnixEpoch, SizeBytes = 100, Path = $"instances/1.2.3/{series}/{series}.{n}.dcm",
        };
        var key = new BatchKey(BatchScope.Series, series, Flow.Name);
        return new PendingInstance(record, [new FlowMembership(Flow, key, CompletionRule.Default, new InstanceArrival(record.SopInstanceUid, series, association))]);
    }

    [Fact]
    public async Task Instances_from_several_associations_at_once_share_one_batch_which_closes_when_they_all_ended()
    {
        var arrivals = Enumerable.Range(0, 40).Select(n => _coordinator.RecordAsync(Instance(n, $"assoc-{n % 4}"), CancellationToken.None));
        var recorded = await Task.WhenAll(arrivals);

        var batchId = Assert.Single(recorded.SelectMany(r => r.BatchIds).Distinct());
        var open = Assert.Single(await _store.ListOpenBatchesAsync(CancellationToken.None));
        Assert.Equal(batchId, open.Id);
        Assert.Equal(40, open.InstanceCount);

        for (var a = 0; a < 3; a++) await _coordinator.DeliveryEndedAsync($"assoc-{a}", CancellationToken.None);
        await AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.False(_closed.Reader.TryRead(out _), "one delivering association is still open");

        await _coordinator.DeliveryEndedAsync("assoc-3", CancellationToken.None);
        await AdvanceAsync(TimeSpan.FromSeconds(2.5));
        var closed = await _closed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(batchId, closed.BatchId);
        Assert.Equal(BatchCloseReason.AssociationsEnded, closed.Reason);
        Assert.False((await _store.GetBatchAsync(batchId, CancellationToken.None))!.IsOpen);
    }

    [Fact]
    public async Task An_instance_after_its_batch_closed_is_recorded_in_a_new_batch()
    {
        var first = await _coordinator.RecordAsync(Instance(1, "a"), CancellationToken.None);
        await _coordinator.DeliveryEndedAsync("a", CancellationToken.None);
        await AdvanceAsync(TimeSpan.FromSeconds(2.5));
        await _closed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var late = await _coordinator.RecordAsync(Instance(2, "b"), CancellationToken.None);

        Assert.NotEqual(first.BatchIds[0], late.BatchIds[0]);
        Assert.Equal(late.BatchIds[0], Assert.Single(await _store.ListOpenBatchesAsync(CancellationToken.None)).Id);
    }

    [Fact]
    public async Task A_refused_instance_fails_alone()
    {
        var bad = Instance(1, "a");
        bad = bad with { Memberships = [bad.Memberships[0] with { Key = new BatchKey(BatchScope.Series, "9.9.9", "ct") }] }; // series mismatch
        var good = Instance(2, "a");

        var results = await Task.WhenAll(
            _coordinator.RecordAsync(bad, CancellationToken.None).ContinueWith(t => t.Exception?.GetBaseException()),
            _coordinator.RecordAsync(good, CancellationToken.None).ContinueWith(t => t.Exception?.GetBaseException()));

        Assert.IsType<ArgumentException>(results[0]);
        Assert.Null(results[1]);
        Assert.NotNull(await _store.GetInstanceAsync(good.Record.SopInstanceUid, CancellationToken.None));
    }

    /// <summary>Moves the clock in small steps, giving the loop a moment to arm its timer between them.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        var step = TimeSpan.FromMilliseconds(250);
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            await Task.Delay(20);
            _time.Advance(step);
        }
        await Task.Delay(50);
    }

    private sealed class Recorder(Channel<ClosedBatch> closed) : IBatchClosedHandler
    {
        public Task OnBatchClosedAsync(ClosedBatch batch, CancellationToken cancellationToken) => closed.Writer.WriteAsync(batch, cancellationToken).AsTask();
    }
}
