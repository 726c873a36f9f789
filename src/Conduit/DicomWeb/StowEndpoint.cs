using Conduit.Dicom;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Conduit.DicomWeb;

/// <summary>
/// STOW-RS (PS3.18 §10.5): a <c>multipart/related; type="application/dicom"</c> body read part by part from the
/// request stream, each part imported through <see cref="FileImporter"/> like any received instance. The request is
/// one delivery. The answer is the Store Instances Response dataset in DICOM JSON.
/// </summary>
internal static class StowEndpoint
{
    // PS3.4 Table B.2-1 and PS3.18 §10.5.3: the failure reasons a refused part is listed with.
    private const ushort ProcessingFailure = 0x0110;
    private const ushort CannotUnderstand = 0xC000;

    public static async Task<IResult> StoreAsync(HttpContext context, string? study, FileImporter importer, InstanceIngestor ingestor,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (study is not null && !Conduit.Pipeline.Files.SafePath.IsValidUid(study))
            return Problem(StatusCodes.Status400BadRequest, "Invalid Study Instance UID", $"'{study}' is not a valid UID.");
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
        var outcomes = new List<ImportOutcome>();
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
                    outcomes.Add(new ImportOutcome(name, null, null, null, $"part of type '{partType}' is not application/dicom"));
                    continue;
                }
                outcomes.Add(await importer.ImportAsync(name, section.Body, source, study, cancellationToken));
            }
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A malformed multipart body (no closing boundary, oversized headers): what was stored stays stored.
            if (outcomes.Count == 0)
                return Problem(StatusCodes.Status400BadRequest, "Malformed multipart body", ex.Message);
            outcomes.Add(new ImportOutcome($"part {outcomes.Count + 1}", null, null, null, $"malformed multipart body: {ex.Message}"));
        }
        finally
        {
            // The request is one delivery: its end lets the series it brought close without waiting for the quiet time.
            await ingestor.DeliveryEndedAsync(deliveryId, CancellationToken.None);
        }

        if (outcomes.Count == 0)
            return Problem(StatusCodes.Status400BadRequest, "No instances", "The request held no part.");
        var response = StoreResponse(outcomes, study, DicomWebRoutes.BaseUrl(request));
        // PS3.18 §10.5.3: 200 when every instance was stored, 202 when some were not, 409 when none was.
        var stored = outcomes.Count(o => o.Error is null);
        var status = stored == outcomes.Count ? StatusCodes.Status200OK
            : stored == 0 ? StatusCodes.Status409Conflict : StatusCodes.Status202Accepted;
        return DicomWebRoutes.Json(status, stream => DicomJsonWriter.Write(stream, response));
    }

    /// <summary>The Store Instances Response Module (PS3.18 §10.5.3, Table 10.5.3-1).</summary>
    private static DicomDataset StoreResponse(IReadOnlyList<ImportOutcome> outcomes, string? study, string baseUrl)
    {
        var response = new DicomDataset();
        if (study is not null) response.AddOrUpdate(DicomTags.RetrieveURL, $"{baseUrl}/studies/{study}");
        var failed = new DicomSequence(DicomTags.FailedSOPSequence);
        var referenced = new DicomSequence(DicomTags.ReferencedSOPSequence);
        foreach (var outcome in outcomes)
        {
            var item = new DicomDataset();
            if (outcome.SopClassUid is { } sopClass) item.AddOrUpdate(DicomTags.ReferencedSOPClassUID, sopClass);
            if (outcome.SopInstanceUid is { } sop) item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, sop);
            if (outcome.Error is null)
            {
                item.AddOrUpdate(DicomTags.RetrieveURL,
                    $"{baseUrl}/studies/{outcome.StudyInstanceUid}/series/{outcome.SeriesInstanceUid}/instances/{outcome.SopInstanceUid}");
                referenced.Items.Add(item);
            }
            else
            {
                var reason = outcome.StudyMismatch || outcome.SopInstanceUid is not null ? ProcessingFailure : CannotUnderstand;
                item.AddOrUpdate(DicomTags.FailureReason, DicomVR.US, reason);
                failed.Items.Add(item);
            }
        }
        if (failed.Items.Count > 0) response.Add(failed);
        if (referenced.Items.Count > 0) response.Add(referenced);
        return response;
    }

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
