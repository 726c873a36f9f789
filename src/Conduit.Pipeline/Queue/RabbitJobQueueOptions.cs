namespace Conduit.Pipeline.Queue;

/// <summary>
/// Where <see cref="RabbitJobQueue"/> connects and how much it takes at once. <see cref="Prefetch"/> is the node's
/// worker count: the broker hands a node no more unacknowledged job ids than it has workers to run them, so the rest
/// stay in the broker for the other nodes.
/// </summary>
public sealed record RabbitJobQueueOptions(Uri Uri, int Prefetch)
{
    public const string DefaultQueueName = "conduit.jobs";

    /// <summary>The durable queue of job ids; several installations on one broker use a virtual host each (the URI's path).</summary>
    public string QueueName { get; init; } = DefaultQueueName;

    /// <summary>The default of <see cref="RepublishInterval"/>.</summary>
    public static readonly TimeSpan DefaultRepublishInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the node publishes again the waiting jobs the broker may not hold: those whose publish failed, and
    /// those due for a whole interval that nobody took (<see cref="RabbitJobQueue"/>'s sweep). Zero: no sweep.
    /// </summary>
    public TimeSpan RepublishInterval { get; init; } = DefaultRepublishInterval;

    /// <summary>Shown in the broker's connection list (the node id).</summary>
    public string? ClientName { get; init; }
}
