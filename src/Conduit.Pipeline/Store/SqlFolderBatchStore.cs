using System.Data.Common;

namespace Conduit.Pipeline.Store;

/// <summary>The <see cref="IFolderBatchStore"/> of the store: a batch row when a folder is taken, its files with the finish in one transaction.</summary>
public sealed class SqlFolderBatchStore(StoreDatabase database) : IFolderBatchStore
{
    public Task CreateAsync(string id, string watched, string name, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Execute(t, "INSERT INTO folder_batches (id, watched, name, state, created_at) VALUES (@id, @w, @n, @s, @at);",
                ("@id", id), ("@w", watched), ("@n", name), ("@s", StateText(FolderBatchState.Processing)), ("@at", UtcTime.ToText(createdAt)));
            return 0;
        }, cancellationToken);

    public Task FinishAsync(string id, FolderBatchState state, DateTimeOffset finishedAt, string folderFate, string? error,
        IReadOnlyList<UploadedFile> files, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Execute(t, "UPDATE folder_batches SET state = @s, finished_at = @at, folder_fate = @fate, error = @e WHERE id = @id;",
                ("@id", id), ("@s", StateText(state)), ("@at", UtcTime.ToText(finishedAt)), ("@fate", folderFate), ("@e", error));
            for (var i = 0; i < files.Count; i++)
            {
                var f = files[i];
                c.Execute(t, """
                    INSERT INTO folder_batch_files (folder_batch_id, ordinal, name, sop_instance_uid, series_uid, study_uid, batch_ids, error)
                    VALUES (@id, @n, @name, @sop, @series, @study, @batches, @error);
                    """,
                    ("@id", id), ("@n", i), ("@name", f.Name), ("@sop", f.SopInstanceUid), ("@series", f.SeriesInstanceUid),
                    ("@study", f.StudyInstanceUid), ("@batches", string.Join(' ', f.BatchIds)), ("@error", f.Error));
            }
            return 0;
        }, cancellationToken);

    public Task<FolderBatchRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.Query(null, "SELECT * FROM folder_batches WHERE id = @id;", ReadBatch, ("@id", id))
            .Select(b => b with { Files = Files(c, b.Id) }).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<FolderBatchRecord>> ListAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<FolderBatchRecord>>(c => c.Query(null, "SELECT * FROM folder_batches ORDER BY id DESC LIMIT @limit;",
            ReadBatch, ("@limit", limit)).Select(b => b with { Files = Files(c, b.Id) }).ToList(), cancellationToken);

    public Task<IReadOnlyList<FolderBatchRecord>> ListByFateAsync(string watched, string fatePrefix, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<FolderBatchRecord>>(c => c.Query(null,
            "SELECT * FROM folder_batches WHERE watched = @w AND substr(folder_fate, 1, @n) = @prefix ORDER BY id;",
            ReadBatch, ("@w", watched), ("@n", fatePrefix.Length), ("@prefix", fatePrefix)).ToList(), cancellationToken);

    private static List<UploadedFile> Files(DbConnection c, string id) =>
        c.Query(null, "SELECT * FROM folder_batch_files WHERE folder_batch_id = @id ORDER BY ordinal;", SqlStoreRows.UploadedFile, ("@id", id)).ToList();

    private static string StateText(FolderBatchState state) => state.ToString().ToLowerInvariant();

    private static FolderBatchRecord ReadBatch(DbDataReader r) => new(
        r.GetString(r.GetOrdinal("id")),
        r.GetString(r.GetOrdinal("watched")),
        r.GetString(r.GetOrdinal("name")),
        Enum.Parse<FolderBatchState>(r.GetString(r.GetOrdinal("state")), ignoreCase: true),
        UtcTime.Parse(r.GetString(r.GetOrdinal("created_at"))),
        r.NullableString("finished_at") is { } finished ? UtcTime.Parse(finished) : null,
        r.NullableString("folder_fate"),
        r.NullableString("error"),
        []);
}
