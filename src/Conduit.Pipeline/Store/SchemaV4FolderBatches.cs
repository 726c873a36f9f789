namespace Conduit.Pipeline.Store;

/// <summary>Migration 4: a watched-folder batch (one ready subfolder) and what each of its files became.</summary>
internal static class SchemaV4FolderBatches
{
    public const string Sql = """
        CREATE TABLE folder_batches (
            id           TEXT PRIMARY KEY,
            watched      TEXT NOT NULL,
            name         TEXT NOT NULL,
            state        TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            finished_at  TEXT,
            folder_fate  TEXT,
            error        TEXT
        );

        CREATE TABLE folder_batch_files (
            folder_batch_id  TEXT NOT NULL REFERENCES folder_batches (id),
            ordinal          INTEGER NOT NULL,
            name             TEXT NOT NULL,
            sop_instance_uid TEXT,
            series_uid       TEXT,
            study_uid        TEXT,
            batch_ids        TEXT,
            error            TEXT,
            PRIMARY KEY (folder_batch_id, ordinal)
        );
        """;
}
