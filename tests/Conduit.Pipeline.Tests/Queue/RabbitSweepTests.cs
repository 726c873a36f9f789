using System.Text.RegularExpressions;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;
using RabbitMQ.Client;

namespace Conduit.Pipeline.Tests.Queue;

/// <summary>
/// <see cref="RabbitJobQueue"/>'s sweep against the real broker and PostgreSQL: a job whose publish the broker refused,
/// or whose message the broker lost, still runs without a restart, and the sweep adds nothing to a backlog.
/// </summary>
[Collection(RabbitCollection.Name)]
public sealed class RabbitSweepTests(RabbitFixture broker) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly string _queueName = "conduit.test." + Guid.NewGuid().ToString("N")[..12];
    private StoreFixture _store = null!;
    private RabbitJobQueue _node = null!;
    private IConnection _observer = null!;
    private IChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFixture.CreateAsync(StoreProvider.Postgres, systemClock: true);
        _node = await RabbitJobQueue.ConnectAsync(new SqlJobQueue(_store.Database),
            new RabbitJobQueueOptions(broker.Server.Uri, Prefetch: 1) { QueueName = _queueName, RepublishInterval = Interval });
        // The test's own connection, to look into the broker's queue and to lose its messages.
        _observer = await new ConnectionFactory { Uri = broker.Server.Uri }.CreateConnectionAsync();
        _channel = await _observer.CreateChannelAsync();
    }

    [Fact]
    public async Task A_job_whose_publish_the_broker_refused_is_published_again_by_the_sweep_and_runs_without_a_restart()
    {
        // A policy that fills the queue at zero messages and rejects publishes: the broker nacks the publish confirm.
        var policy = "refuse-" + _queueName;
        await broker.Server.CtlAsync("set_policy", "--apply-to", "queues", policy, $"^{Regex.Escape(_queueName)}$",
            """{"max-length":0,"overflow":"reject-publish"}""");
        Task<JobLease> waiting;
        try
        {
            Assert.True(await _node.EnqueueAsync("refused", 2, null, None));
            waiting = _node.DequeueAsync("node/w1", Lease, None);
            // Three sweeps while the broker still refuses it: each publish is nacked again, and nothing is delivered.
            await Task.Delay(3 * Interval);
            Assert.False(waiting.IsCompleted, "a job whose publish was nacked was delivered");
            Assert.Equal(0u, await _channel.MessageCountAsync(_queueName));
        }
        finally
        {
            await broker.Server.CtlAsync("clear_policy", policy);
        }

        var lease = await waiting.WaitAsync(HangGuard);

        Assert.Equal("refused", lease.JobId);
        Assert.True(await _node.CompleteAsync(lease, None));
        Assert.Equal(new QueueCounts(0, 0, 0), await _node.CountAsync(None));
    }

    [Fact]
    public async Task A_job_whose_message_the_broker_lost_is_published_once_again_and_a_backlog_gets_no_duplicates()
    {
        const int Jobs = 5;
        for (var i = 0; i < Jobs; i++) await _node.EnqueueAsync($"job-{i}", i, null, None);
        Assert.Equal(Jobs, (int)await _channel.MessageCountAsync(_queueName));

        // Nobody consumes: the jobs have been due for several intervals, but their ids wait in the broker, so the
        // sweeps publish nothing more.
        await Task.Delay(3 * Interval);
        Assert.Equal(Jobs, (int)await _channel.MessageCountAsync(_queueName));

        // The broker loses every message: the sweep publishes each job again, once.
        Assert.Equal(Jobs, (int)await _channel.QueuePurgeAsync(_queueName));
        var deadline = DateTime.UtcNow + HangGuard;
        while (await _channel.MessageCountAsync(_queueName) < Jobs && DateTime.UtcNow < deadline) await Task.Delay(100);
        await Task.Delay(3 * Interval);
        Assert.Equal(Jobs, (int)await _channel.MessageCountAsync(_queueName));

        var taken = new List<string>();
        for (var i = 0; i < Jobs; i++)
        {
            var lease = await _node.DequeueAsync("node/w1", Lease, None).WaitAsync(HangGuard);
            taken.Add(lease.JobId);
            Assert.True(await _node.CompleteAsync(lease, None));
        }
        Assert.Equal(["job-4", "job-3", "job-2", "job-1", "job-0"], taken);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _channel.DisposeAsync();
        await _observer.DisposeAsync();
        await _store.DisposeAsync();
    }
}
