namespace Conduit.Pipeline.Store;

/// <summary>
/// The <c>nodes</c> table: each serve node's heartbeat. Another node takes over a node's open batches only once its
/// heartbeat is older than the lapse (<see cref="IInstanceStore.ClaimOpenBatchesAsync"/>).
/// </summary>
public sealed class SqlNodeRegistry(StoreDatabase database)
{
    /// <summary>Records that <paramref name="nodeId"/> is alive now; <paramref name="starting"/> also records its start.</summary>
    public Task BeatAsync(string nodeId, bool starting, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        var now = UtcTime.ToText(database.UtcNow);
        return database.WriteAsync((c, t) => c.Execute(t, $"""
            INSERT INTO nodes (node_id, started_at, seen_at) VALUES (@id, @now, @now)
            ON CONFLICT (node_id) DO UPDATE SET seen_at = excluded.seen_at{(starting ? ", started_at = excluded.started_at" : "")};
            """, ("@id", nodeId), ("@now", now)), cancellationToken);
    }

    /// <summary>When <paramref name="nodeId"/> last beat; null when it never did.</summary>
    public Task<DateTimeOffset?> LastSeenAsync(string nodeId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.Scalar(null, "SELECT seen_at FROM nodes WHERE node_id = @id;", ("@id", nodeId)) is string text
            ? UtcTime.Parse(text) : (DateTimeOffset?)null, cancellationToken);
}
