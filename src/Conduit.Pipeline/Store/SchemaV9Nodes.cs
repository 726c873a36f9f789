namespace Conduit.Pipeline.Store;

/// <summary>
/// Migration 9, the same on SQLite and PostgreSQL: the node that fills each open batch, and each node's heartbeat.
/// Batches opened before it have no node: whichever node starts first takes them, as every node did before.
/// </summary>
internal static class SchemaV9Nodes
{
    public const string Sql = """
        ALTER TABLE batches ADD COLUMN node_id TEXT;

        -- One row per serve node (node.id); seen_at is its last heartbeat. A node whose seen_at is older than the lapse
        -- is gone: its open batches go to a live node (SqlInstanceStore.ClaimOpenBatchesAsync).
        CREATE TABLE nodes (
            node_id    TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            seen_at    TEXT NOT NULL
        );
        """;
}
