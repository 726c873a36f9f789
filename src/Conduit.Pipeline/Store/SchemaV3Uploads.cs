namespace Conduit.Pipeline.Store;

/// <summary>Migration 3: an upload (one POST of files) and what each of its files became.</summary>
internal static class SchemaV3Uploads
{
    public const string Sql = """
        CREATE TABLE uploads (
            id          TEXT PRIMARY KEY,
            created_at  TEXT NOT NULL,
            file_count  INTEGER NOT NULL,
            failed      INTEGER NOT NULL
        );

        CREATE TABLE upload_files (
            upload_id        TEXT NOT NULL REFERENCES uploads (id),
            ordinal          INTEGER NOT NULL,
            name             TEXT NOT NULL,
            sop_instance_uid TEXT,
            series_uid       TEXT,
            study_uid        TEXT,
            batch_ids        TEXT,
            error            TEXT,
            PRIMARY KEY (upload_id, ordinal)
        );
        """;
}
