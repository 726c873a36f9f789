using Conduit.Pipeline.Queue;

namespace Conduit.Pipeline.Configuration;

/// <summary>Where jobs wait for a worker.</summary>
public enum QueueProvider
{
    /// <summary>The embedded durable queue: jobs are rows in the database, one process dequeues.</summary>
    InProcess,
    /// <summary>RabbitMQ priority queues, for several worker nodes.</summary>
    RabbitMq,
}

/// <summary><c>queue:</c> the job queue.</summary>
public sealed class QueueOptions
{
    public const QueueProvider DefaultProvider = QueueProvider.InProcess;

    public QueueProvider Provider { get; set; } = DefaultProvider;

    /// <summary>For RabbitMQ: an amqp:// or amqps:// URI. Unused by the in-process queue.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// For RabbitMQ: how often each node publishes again the waiting jobs the broker may not hold (a publish that
    /// failed, or a job due for a whole interval that nobody took).
    /// </summary>
    public TimeSpan RepublishInterval { get; set; } = RabbitJobQueueOptions.DefaultRepublishInterval;
}
