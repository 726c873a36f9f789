namespace Conduit.Pipeline.Configuration;

/// <summary><c>node:</c> this <c>conduit serve</c> among the others sharing its database.</summary>
public sealed class NodeOptions
{
    /// <summary>
    /// The node's id: prefix of its workers' job leases, owner of the batches it fills, name of its heartbeat and of
    /// its broker connection, label of its step containers. Unset: the host name. Two nodes on one host need one each.
    /// </summary>
    public string? Id { get; set; }

    /// <summary>The id in use: <see cref="Id"/>, or the host name when unset.</summary>
    public string EffectiveId => Id ?? Environment.MachineName;
}
