using System.Globalization;
using System.Text;
using Conduit.Pipeline.Flows.Model;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Conduit.Pipeline.Queue;

/// <summary>The broker side of <see cref="RabbitJobQueue"/>: declaring, publishing, consuming and settling.</summary>
public sealed partial class RabbitJobQueue
{
    /// <summary>An empty delay queue is deleted this long after its last use.</summary>
    private static readonly TimeSpan DelayQueueIdle = TimeSpan.FromMinutes(1);
    /// <summary>Delays are rounded up to whole seconds, so a few delay queues serve every retry.</summary>
    private static readonly TimeSpan DelayGrain = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>The main queue: durable, with one broker priority per flow priority (0–5, 5 highest).</summary>
    private static Task<QueueDeclareOk> DeclareAsync(IChannel channel, string queue, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-priority"] = FlowDefinition.MaxPriority },
            cancellationToken: cancellationToken);

    /// <summary>
    /// A queue nobody consumes whose messages expire after <paramref name="delay"/> into the main queue (dead-lettering
    /// keeps their priority). One queue per delay, because a queue expires only the message at its head.
    /// </summary>
    private async Task<string> DeclareDelayQueueAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Ceiling(Math.Min(delay.TotalSeconds, MaxDelay.TotalSeconds) / DelayGrain.TotalSeconds);
        var name = $"{_options.QueueName}.delay.{seconds.ToString(CultureInfo.InvariantCulture)}s";
        var ttl = seconds * (int)DelayGrain.TotalMilliseconds;
        await _publisher.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-message-ttl"] = ttl,
                ["x-dead-letter-exchange"] = string.Empty,
                ["x-dead-letter-routing-key"] = _options.QueueName,
                ["x-expires"] = ttl + (int)DelayQueueIdle.TotalMilliseconds,
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Publishes a job id, persistent, and waits for the broker's confirm; delayed when <paramref name="delay"/> is positive.</summary>
    private async Task PublishAsync(string jobId, int priority, TimeSpan delay, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            Priority = (byte)Math.Clamp(priority, FlowDefinition.MinPriority, FlowDefinition.MaxPriority),
            MessageId = jobId,
            ContentType = "text/plain",
        };
        var body = Encoding.UTF8.GetBytes(jobId);
        await _publishLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var queue = delay > TimeSpan.Zero ? await DeclareDelayQueueAsync(delay, cancellationToken).ConfigureAwait(false) : _options.QueueName;
            // mandatory: a message no queue takes is returned, which the confirm tracking turns into an exception.
            await _publisher.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _publishLock.Release();
        }
    }

    /// <summary>Publishes, or logs why not: the job stays in the database either way, and reconciliation publishes it later.</summary>
    private async Task<bool> TryPublishAsync(string jobId, int priority, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync(jobId, priority, delay, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RabbitLog.PublishFailed(_logger, ex, jobId);
            return false;
        }
    }

    private async Task StartConsumingAsync()
    {
        // At most one unacknowledged job id per worker on this node: the others wait in the broker for any node.
        await _consumer.BasicQosAsync(0, (ushort)Math.Min(_options.Prefetch, ushort.MaxValue), global: false, _closing.Token).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(_consumer);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            // The body's memory is the client's only during this call: the id is copied out at once.
            var jobId = Encoding.UTF8.GetString(delivery.Body.Span);
            _deliveries.Writer.TryWrite(new JobDelivery(jobId, delivery.DeliveryTag, delivery.Redelivered));
            return Task.CompletedTask;
        };
        await _consumer.BasicConsumeAsync(_options.QueueName, autoAck: false, consumer, _closing.Token).ConfigureAwait(false);
    }

    /// <summary>Acks (the job's outcome is recorded) or gives back (the lease was lost) the delivery behind a lease.</summary>
    private Task SettleAsync(JobLease lease, bool ack) =>
        _held.TryRemove(lease.Token, out var delivery)
            ? SettleAsync(delivery, ack, ack ? null : "the lease was lost")
            : Task.CompletedTask;

    private async Task SettleAsync(JobDelivery delivery, bool ack, string? reason)
    {
        if (ack && reason is not null) RabbitLog.Dropped(_logger, delivery.JobId, reason);
        await _settleLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (ack) await _consumer.BasicAckAsync(delivery.Tag, multiple: false).ConfigureAwait(false);
            else await _consumer.BasicNackAsync(delivery.Tag, multiple: false, requeue: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException
            or ObjectDisposedException)
        {
            // The channel closed with the delivery on it: the broker has already put the message back.
            RabbitLog.SettleFailed(_logger, delivery.JobId, ex.Message);
        }
        finally
        {
            _settleLock.Release();
        }
    }

    private async Task ReconcileAfterRecoveryAsync()
    {
        RabbitLog.ConnectionRecovered(_logger);
        try
        {
            await ReconcileAsync(_closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RabbitLog.PublishFailed(_logger, ex, "(reconciliation)");
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await _sweeping.ConfigureAwait(false);
        // Closing the connection hands every unacknowledged delivery back to the broker for another node.
        try
        {
            await _connection.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException)
        {
            // Already gone.
        }
        await _consumer.DisposeAsync().ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
        _publishLock.Dispose();
        _settleLock.Dispose();
    }
}
