using Conduit.Pipeline.Destinations;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Pipeline.Tests.Destinations;

public sealed class DeliveryRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-delivery-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly InMemoryLedger _ledger = new();
    private readonly DeliveryRunner _runner;
    private readonly RetrySchedule _schedule = new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(5), Jitter = 0 };

    public DeliveryRunnerTests() => _runner = new DeliveryRunner(_ledger, new CircuitBreakerRegistry(5, TimeSpan.FromSeconds(30), _time), _time);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<DeliveryItem> Items(int count)
    {
        var source = Path.Combine(_dir, "source");
        Directory.CreateDirectory(source);
        return Enumerable.Range(1, count).Select(i =>
        {
            var path = Path.Combine(source, $"{i}.dcm");
            File.WriteAllBytes(path, [(byte)i, 1, 2, 3]);
            return new DeliveryItem(path, "1.2.3", "1.2.3.4", $"1.2.3.4.{i}");
        }).ToList();
    }

    [Fact]
    public async Task A_folder_destination_receives_every_file_under_study_and_series()
    {
        var items = Items(3);
        var folder = new FolderDestination("archive", Path.Combine(_dir, "out"));

        var result = await _runner.AttemptAsync("job-1", folder, items, 1, _schedule, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Equal(3, result.Acknowledged);
        foreach (var item in items)
            Assert.Equal(File.ReadAllBytes(item.Path), File.ReadAllBytes(Path.Combine(_dir, "out", "1.2.3", "1.2.3.4", item.SopInstanceUid + ".dcm")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "out"), "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_uid_that_would_escape_the_folder_is_a_permanent_failure_for_that_instance_only()
    {
        var items = Items(2);
        items[1] = items[1] with { SeriesInstanceUid = "../../evil" };
        var folder = new FolderDestination("archive", Path.Combine(_dir, "out"));

        var result = await _runner.AttemptAsync("job-1", folder, items, 1, _schedule, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Failed, result.Status);
        Assert.Equal(1, result.Acknowledged);
        Assert.Contains("not a valid UID", Assert.Single(result.Failures).Error);
        Assert.False(Directory.Exists(Path.Combine(_dir, "evil")));
    }

    [Fact]
    public async Task Acknowledged_instances_are_not_sent_again_on_retry()
    {
        var items = Items(4);
        var destination = new ScriptedDestination("pacs", failFirst: new HashSet<string> { items[2].SopInstanceUid, items[3].SopInstanceUid });

        var first = await _runner.AttemptAsync("job-1", destination, items, 1, _schedule, CancellationToken.None);
        Assert.Equal(DeliveryStatus.RetryLater, first.Status);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(5), first.RetryAt);
        Assert.Equal(2, first.Acknowledged);

        var second = await _runner.AttemptAsync("job-1", destination, items, 2, _schedule, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Delivered, second.Status);
        Assert.Equal(2, second.Skipped);
        Assert.Equal(6, destination.Sent.Count); // 4, then only the 2 that failed
        Assert.Equal(2, destination.Sent.Count(s => s == items[2].SopInstanceUid));
        Assert.Equal(1, destination.Sent.Count(s => s == items[0].SopInstanceUid));
    }

    [Fact]
    public async Task A_destination_that_stays_down_fails_after_the_last_attempt()
    {
        var items = Items(1);
        var down = new ScriptedDestination("pacs", alwaysDown: true);

        var attempts = new List<DeliveryAttempt>();
        for (var attempt = 1; attempt <= 3; attempt++)
            attempts.Add(await _runner.AttemptAsync("job-1", down, items, attempt, _schedule, CancellationToken.None));

        Assert.Equal([DeliveryStatus.RetryLater, DeliveryStatus.RetryLater, DeliveryStatus.Failed], attempts.Select(a => a.Status));
        Assert.Contains("no attempts left after 3", attempts[2].Summary);
        Assert.Contains("connection refused", attempts[2].Summary);
    }

    [Fact]
    public async Task An_open_circuit_holds_back_other_jobs_without_using_their_attempts()
    {
        var items = Items(1);
        var down = new ScriptedDestination("pacs", alwaysDown: true);
        for (var job = 0; job < 5; job++)
            await _runner.AttemptAsync($"job-{job}", down, items, 1, _schedule, CancellationToken.None);
        var sentBefore = down.Sent.Count;

        var held = await _runner.AttemptAsync("job-9", down, items, 1, _schedule, CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryLater, held.Status);
        Assert.False(held.AttemptCounted);
        Assert.Equal(sentBefore, down.Sent.Count);
        Assert.Contains("circuit open", held.Summary);
    }

    [Fact]
    public async Task An_exception_from_the_destination_is_a_transient_failure()
    {
        var items = Items(1);
        var throwing = new ScriptedDestination("pacs", throws: true);

        var result = await _runner.AttemptAsync("job-1", throwing, items, 1, _schedule, CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryLater, result.Status);
        Assert.Contains("IOException", result.Summary);
    }

    private sealed class InMemoryLedger : IDeliveryLedger
    {
        private readonly Dictionary<(string, string), HashSet<string>> _acks = [];

        public ValueTask<IReadOnlySet<string>> AcknowledgedAsync(string jobId, string destination, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlySet<string>>(_acks.TryGetValue((jobId, destination), out var set) ? set : new HashSet<string>());

        public ValueTask RecordAcknowledgedAsync(string jobId, string destination, IReadOnlyList<string> sopInstanceUids, CancellationToken cancellationToken)
        {
            if (!_acks.TryGetValue((jobId, destination), out var set)) _acks[(jobId, destination)] = set = [];
            set.UnionWith(sopInstanceUids);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A destination whose answers the test decides: which instances fail on their first send, or all of them.</summary>
    private sealed class ScriptedDestination(string name, HashSet<string>? failFirst = null, bool alwaysDown = false, bool throws = false) : IDestination
    {
        private readonly HashSet<string> _failed = [];
        public string Name { get; } = name;
        public List<string> Sent { get; } = [];

        public ValueTask<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
        {
            if (throws) throw new IOException("broken pipe");
            var outcomes = new List<DeliveryOutcome>();
            foreach (var item in items)
            {
                Sent.Add(item.SopInstanceUid);
                if (alwaysDown) outcomes.Add(DeliveryOutcome.TransientFailure(item, "connection refused"));
                else if (failFirst?.Contains(item.SopInstanceUid) == true && _failed.Add(item.SopInstanceUid))
                    outcomes.Add(DeliveryOutcome.TransientFailure(item, "status 0xA700 out of resources"));
                else outcomes.Add(DeliveryOutcome.Success(item));
            }
            return ValueTask.FromResult<IReadOnlyList<DeliveryOutcome>>(outcomes);
        }
    }
}
