namespace Conduit.Pipeline.Configuration;

/// <summary><c>node:</c> this <c>conduit serve</c> among the others sharing its database.</summary>
public sealed class NodeOptions
{
    /// <summary>
    /// The node's id: prefix of its workers' job leases, owner of the batches it fills, name of its heartbeat and of
    /// its broker connection, label of its step containers. Unset: the host name. Two nodes on one host need one each.
    /// </summary>
    public string? Id { get; set; }

    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(20);

    /// <summary>Six missed heartbeats.</summary>
    public static readonly TimeSpan DefaultLapse = TimeSpan.FromMinutes(2);

    /// <summary>How often the node writes its heartbeat (<c>nodes.seen_at</c>) and looks for gone nodes' open batches.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>
    /// How long another node may go without a heartbeat (and without adding to its open batch) before this node
    /// adopts its open batches and closes them by its own quiet time.
    /// </summary>
    public TimeSpan Lapse { get; set; } = DefaultLapse;

    /// <summary>The id in use: <see cref="Id"/>, or the host name when unset.</summary>
    public string EffectiveId => Id ?? Environment.MachineName;
}
