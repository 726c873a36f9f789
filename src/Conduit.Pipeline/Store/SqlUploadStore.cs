using System.Data.Common;

namespace Conduit.Pipeline.Store;

/// <summary>The <see cref="IUploadStore"/> of the store: an upload and its files in one transaction.</summary>
public sealed class SqlUploadStore(StoreDatabase database) : IUploadStore
{
    public Task SaveAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Execute(t, "INSERT INTO uploads (id, created_at, file_count, failed) VALUES (@id, @at, @count, @failed);",
                ("@id", upload.Id), ("@at", UtcTime.ToText(upload.CreatedAt)), ("@count", upload.Files.Count),
                ("@failed", upload.Files.Count(f => !f.Stored)));
            for (var i = 0; i < upload.Files.Count; i++)
            {
                var f = upload.Files[i];
                c.Execute(t, """
                    INSERT INTO upload_files (upload_id, ordinal, name, sop_instance_uid, series_uid, study_uid, batch_ids, error)
                    VALUES (@id, @n, @name, @sop, @series, @study, @batches, @error);
                    """,
                    ("@id", upload.Id), ("@n", i), ("@name", f.Name), ("@sop", f.SopInstanceUid), ("@series", f.SeriesInstanceUid),
                    ("@study", f.StudyInstanceUid), ("@batches", string.Join(' ', f.BatchIds)), ("@error", f.Error));
            }
            return 0;
        }, cancellationToken);

    public Task<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken) =>
        database.ReadAsync(c =>
        {
            var created = (string?)c.Scalar(null, "SELECT created_at FROM uploads WHERE id = @id;", ("@id", uploadId));
            if (created is null) return null;
            var files = c.Query(null, "SELECT * FROM upload_files WHERE upload_id = @id ORDER BY ordinal;", SqlStoreRows.UploadedFile, ("@id", uploadId));
            return new UploadRecord(uploadId, UtcTime.Parse(created), files);
        }, cancellationToken);
}
