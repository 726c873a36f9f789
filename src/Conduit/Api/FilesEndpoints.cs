using Conduit.Auth;
using System.IO.Compression;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conduit.Api;

/// <summary>
/// <c>POST /api/v1/files</c>: one or many DICOM files (raw <c>application/dicom</c>, <c>application/zip</c>, or
/// <c>multipart/form-data</c> with files and zips), each imported like a received instance; the upload is one
/// delivery, so its series close as soon as it ends (plus the grace). <c>GET /api/v1/files/{id}</c> says what became
/// of each file, <c>GET /api/v1/predict/{id}</c> which jobs the upload caused and how far they are.
/// </summary>
internal static class FilesEndpoints
{
    /// <summary>A whole CT or MR study fits; anything larger should come over DIMSE or in parts.</summary>
    public const long MaxUploadBytes = 4L * 1024 * 1024 * 1024;

    public static RouteGroupBuilder MapFiles(this RouteGroupBuilder api)
    {
        api.MapPost("/files", UploadAsync)
            .RequireAuthorization(ConduitPolicies.Operator)
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes))
            .WithMetadata(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = MaxUploadBytes });
        api.MapGet("/files/{id}", GetAsync);
        api.MapGet("/predict/{id}", PredictionsEndpoint.GetAsync);
        return api;
    }

    private static async Task<Results<Created<UploadRecord>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, FileImporter importer, InstanceIngestor ingestor, IUploadStore uploads, TimeProvider time, CancellationToken cancellationToken)
    {
        var uploadId = StoreIds.New(time.GetUtcNow());
        var source = new IngestSource(InstanceSource.Http, uploadId);
        var outcomes = new List<ImportOutcome>();
        var contentType = request.ContentType ?? "";
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                foreach (var file in form.Files)
                {
                    await using var stream = file.OpenReadStream();
                    await ImportAsync(file.FileName, file.ContentType, stream, importer, source, outcomes, cancellationToken);
                }
            }
            else if (contentType.StartsWith("application/dicom", StringComparison.OrdinalIgnoreCase)
                     || contentType.StartsWith("application/zip", StringComparison.OrdinalIgnoreCase))
            {
                await ImportAsync("body", contentType, request.Body, importer, source, outcomes, cancellationToken);
            }
            else
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                    detail: $"Send application/dicom, application/zip or multipart/form-data, not '{contentType}'.");
            }
        }
        finally
        {
            // The upload is one delivery: its end lets the series it brought close without waiting for the quiet time.
            await ingestor.DeliveryEndedAsync(uploadId, CancellationToken.None);
        }

        if (outcomes.Count == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No files", detail: "The request held no file.");
        var upload = new UploadRecord(uploadId, time.GetUtcNow(), outcomes.Select(o => o.ToUploadedFile()).ToList());
        await uploads.SaveAsync(upload, cancellationToken);
        if (upload.Files.All(f => !f.Stored))
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No file was stored",
                detail: string.Join("; ", upload.Files.Select(f => $"{f.Name}: {f.Error}")));
        return TypedResults.Created($"{ApiRoutes.Prefix}/files/{uploadId}", upload);
    }

    private static async Task ImportAsync(string name, string? contentType, Stream stream, FileImporter importer, IngestSource source,
        List<ImportOutcome> outcomes, CancellationToken cancellationToken)
    {
        var isZip = (contentType ?? "").StartsWith("application/zip", StringComparison.OrdinalIgnoreCase)
            || (contentType ?? "").StartsWith("application/x-zip", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
        if (!isZip)
        {
            outcomes.Add(await importer.ImportAsync(name, stream, source, cancellationToken));
            return;
        }
        // ZipArchive needs to seek: the archive goes to a temporary file first, never into memory whole.
        var temp = Path.GetTempFileName();
        try
        {
            await using (var copy = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                await stream.CopyToAsync(copy, cancellationToken);
            ZipArchive archive;
            try
            {
                archive = new ZipArchive(File.OpenRead(temp), ZipArchiveMode.Read);
            }
            catch (InvalidDataException ex)
            {
                outcomes.Add(new ImportOutcome(name, null, null, null, $"not a readable zip: {ex.Message}"));
                return;
            }
            using (archive)
            {
                foreach (var entry in archive.Entries.Where(e => !e.FullName.EndsWith('/')))
                {
                    await using var entryStream = entry.Open();
                    outcomes.Add(await importer.ImportAsync($"{name}/{entry.FullName}", entryStream, source, cancellationToken));
                }
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static async Task<Results<Ok<UploadRecord>, ProblemHttpResult>> GetAsync(IUploadStore uploads, string id, CancellationToken cancellationToken) =>
        await uploads.GetAsync(id, cancellationToken) is { } upload
            ? TypedResults.Ok(upload)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such upload", detail: $"There is no upload {id}.");
}
