using Conduit.Dicom;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Conduit.DicomWeb;

/// <summary>
/// STOW-RS (PS3.18 §10.5): a <c>multipart/related; type="application/dicom"</c> body read part by part from the
/// request stream, each part imported through <see cref="FileImporter"/> like any received instance. The request is
/// one delivery. The answer is the Store Instances Response Module (PS3.18 Annex I) in DICOM JSON, with the status of
/// PS3.18 §10.5.3.1, Table 10.5.3-1.
/// </summary>
internal static class StowEndpoint
{
    public static async Task<IResult> StoreAsync(HttpContext context, string? study, FileImporter importer, InstanceIngestor ingestor,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (study is not null && !Conduit.Pipeline.Files.SafePath.IsValidUid(study))
            return Problem(StatusCodes.Status400BadRequest, "Invalid Study Instance UID", $"'{study}' is not a valid UID.");
        // PS3.18 §10.5.3 / §8.5: the response is a Store Instances Response in DICOM JSON; a client that accepts
        // neither it nor JSON gets 406 before anything is stored.
        if (!AcceptsDicomJson(request.Headers.Accept.ToString()))
            return Problem(StatusCodes.Status406NotAcceptable, "Not acceptable",
                $"The Store Instances Response is offered as {DicomWebRoutes.DicomJson} only, not '{request.Headers.Accept}'.");
        // PS3.18 Table 10.5.3-1: 415 when the media type of the request is not supported.
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send multipart/related; type=\"application/dicom\", not '{request.ContentType}'.");
        var type = mediaType.Parameters.FirstOrDefault(p => p.Name.Equals("type", StringComparison.OrdinalIgnoreCase))?.Value;
        if (type is { } t && !HeaderUtilities.RemoveQuotes(t).Equals("application/dicom", StringComparison.OrdinalIgnoreCase))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Only type=\"application/dicom\" parts are accepted (PS3.18 §10.5.1.2.1), not '{t}'.");
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            return Problem(StatusCodes.Status400BadRequest, "No boundary", "The multipart/related content type has no boundary.");

        var deliveryId = StoreIds.New(time.GetUtcNow());
        var source = new IngestSource(InstanceSource.Http, deliveryId);
        var parts = new List<StowPart>();
        try
        {
            // Read as a stream: each part is copied to the store's incoming folder, never held in memory whole.
            var reader = new MultipartReader(boundary, request.Body);
            var index = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var name = $"part {++index}";
                var partType = section.ContentType is { } ct && MediaTypeHeaderValue.TryParse(ct, out var parsed) ? parsed.MediaType.Value : null;
                if (partType is not null && !partType.Equals("application/dicom", StringComparison.OrdinalIgnoreCase))
                {
                    parts.Add(new(new ImportOutcome(name, null, null, null, $"part of type '{partType}' is not application/dicom")
                        { Refusal = ImportRefusal.NotDicom }));
                    continue;
                }
                var body = new RequestBodyStream(section.Body);
                try
                {
                    parts.Add(new(await importer.ImportAsync(name, body, source, study, cancellationToken)));
                }
                catch (IOException ex) when (!body.ReadFailed && !cancellationToken.IsCancellationRequested)
                {
                    // Our disk, not the client's body: this part is not stored, the next ones may be.
                    parts.Add(new(new ImportOutcome(name, null, null, null, $"could not be stored: {ex.Message}"), StowFailureReasons.ForStorageError(ex)));
                }
            }
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A malformed multipart body (no closing boundary, oversized headers): what was stored stays stored.
            // PS3.18 Table 10.5.3-1: 400 when no instance could be stored because of bad syntax.
            if (parts.Count == 0)
                return Problem(StatusCodes.Status400BadRequest, "Malformed multipart body", ex.Message);
            parts.Add(new(new ImportOutcome($"part {parts.Count + 1}", null, null, null, $"malformed multipart body: {ex.Message}")
                { Refusal = ImportRefusal.NotDicom }));
        }
        finally
        {
            // The request is one delivery: its end lets the series it brought close without waiting for the quiet time.
            await ingestor.DeliveryEndedAsync(deliveryId, CancellationToken.None);
        }

        if (parts.Count == 0)
            return Problem(StatusCodes.Status400BadRequest, "No instances", "The request held no part.");
        var response = StowResponseModule.Build(parts, study, DicomWebRoutes.BaseUrl(request));
        // PS3.18 §10.5.3.1, Table 10.5.3-1: 200 when every instance was stored, 202 when some were and others failed,
        // 409 when none was (the failures are in the payload).
        var stored = parts.Count(p => p.Outcome.Error is null);
        var status = stored == parts.Count ? StatusCodes.Status200OK
            : stored == 0 ? StatusCodes.Status409Conflict : StatusCodes.Status202Accepted;
        return DicomWebRoutes.Json(status, stream => DicomJsonWriter.Write(stream, response));
    }

    private static bool AcceptsDicomJson(string accept) =>
        accept.Length == 0 || accept.Contains("*/*", StringComparison.Ordinal) || accept.Contains("application/*", StringComparison.OrdinalIgnoreCase)
        || accept.Contains(DicomWebRoutes.DicomJson, StringComparison.OrdinalIgnoreCase)
        || accept.Contains("application/json", StringComparison.OrdinalIgnoreCase);

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}

/// <summary>One part of a STOW-RS request: what the import made of it, and the Failure Reason when Conduit's own
/// storage failed rather than the part (otherwise derived from the outcome).</summary>
internal sealed record StowPart(ImportOutcome Outcome, ushort? StorageFailureReason = null);
