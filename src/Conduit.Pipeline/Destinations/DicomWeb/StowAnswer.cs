using System.Globalization;
using System.Text;

namespace Conduit.Pipeline.Destinations.DicomWeb;

/// <summary>What one STOW-RS answer means for each instance of its request.</summary>
/// <param name="DestinationLevel">The answer is about the destination, not this batch (credentials refused, no such
/// service, server unavailable): the other batches of the attempt would get the same, so they are not sent.</param>
public sealed record StowBatchResult(IReadOnlyList<DeliveryOutcome> Outcomes, bool DestinationLevel);

/// <summary>
/// Turns a STOW-RS answer (status, media type, body) into one outcome per instance sent. The HTTP status says what
/// happened to the request as a whole (PS3.18 §10.5.3, Table 10.5.3-1: 200 every instance stored, 202 some stored with
/// warnings or failures, 409 none stored); the Store Instances Response (PS3.18 Annex I) says it per instance. Failures
/// that may pass (out of resources, 5xx, 408, 429) are transient; refusals of an instance, and configuration errors
/// (401, 403, 404, a redirect), are permanent: retrying them unchanged would fail the same way, and repeating refused
/// credentials can lock the account.
/// </summary>
public static class StowAnswer
{
    private const int SnippetLength = 200;

    /// <param name="target">The URL posted to, for messages.</param>
    /// <param name="credentials">How the request authenticated (e.g. "basic auth as user 'conduit'"), for 401/403 messages.</param>
    public static StowBatchResult Interpret(int status, string? mediaType, ReadOnlySpan<byte> body, IReadOnlyList<DeliveryItem> batch,
        string target, string credentials, string? location = null)
    {
        if (status is >= 200 and < 300 or 409 or 400)
        {
            StowResponse? response = null;
            string? unreadable = null;
            if (body.Length > 0 && IsJson(mediaType))
            {
                try { response = StowResponse.Parse(body); }
                catch (InvalidDataException ex) { unreadable = ex.Message; }
            }
            else if (body.Length > 0) unreadable = $"an answer of type '{mediaType}', not application/dicom+json";
            else if (status != 200) unreadable = "an empty answer";
            if (status == 400 && response is null) return All(batch, Permanent, $"HTTP 400 Bad Request from {target}: no instance stored ({Snippet(mediaType, body)})", false);
            return new(PerInstance(status, response, unreadable, batch, target), false);
        }

        var http = $"HTTP {status.ToString(CultureInfo.InvariantCulture)}";
        return status switch
        {
            401 => All(batch, Permanent,
                $"{http} Unauthorized from {target}: the server refused {credentials}. A configuration error, not retried: "
                + "correct the destination's auth (or the environment variable it names), then retry the job", true),
            403 => All(batch, Permanent,
                $"{http} Forbidden from {target}: {credentials} may not store instances there. A configuration error, not retried", true),
            404 or 405 => All(batch, Permanent,
                $"{http} from {target}: no STOW-RS service there; 'url' must be the DICOMweb base URL (Conduit posts to <url>/studies)", true),
            >= 300 and < 400 => All(batch, Permanent,
                $"{http} redirect from {target} to {location ?? "(no Location)"}: set 'url' to the new address (a POST is not redirected: it could lose its body or credentials)", true),
            413 => All(batch, Permanent,
                $"{http} Payload Too Large from {target}: {batch.Count} instance(s) in one request are over the server's limit; lower max_request_size or max_instances", false),
            415 => All(batch, Permanent,
                $"{http} Unsupported Media Type from {target}: the server does not take multipart/related; type=\"application/dicom\" (PS3.18 §10.5.1)", true),
            408 or 429 => All(batch, Transient, $"{http} from {target}: the server is busy or timed out ({Snippet(mediaType, body)})", true),
            >= 500 => All(batch, Transient, $"{http} from {target}: a server error ({Snippet(mediaType, body)})", status is 502 or 503 or 504),
            _ => All(batch, Permanent, $"{http} from {target}: refused ({Snippet(mediaType, body)})", false),
        };
    }

    private static List<DeliveryOutcome> PerInstance(int status, StowResponse? response, string? unreadable, IReadOnlyList<DeliveryItem> batch, string target)
    {
        var http = $"HTTP {status.ToString(CultureInfo.InvariantCulture)}";
        var failed = new Dictionary<string, StowInstance>(StringComparer.Ordinal);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in response?.Failed ?? []) if (f.SopInstanceUid is { } uid) failed.TryAdd(uid, f);
        foreach (var s in response?.Stored ?? []) if (s.SopInstanceUid is { } uid) stored.Add(uid);
        // A failed item without a SOP Instance UID: a part the server could not read far enough to name.
        var anonymous = response?.Failed.FirstOrDefault(f => f.SopInstanceUid is null);

        var outcomes = new List<DeliveryOutcome>(batch.Count);
        foreach (var item in batch)
        {
            if (failed.TryGetValue(item.SopInstanceUid, out var failure) || (!stored.Contains(item.SopInstanceUid) && status != 200 && anonymous is not null))
            {
                outcomes.Add(Failure(item, failure ?? anonymous!, http, target));
            }
            else if (status != 202 && status is >= 200 and < 300 || stored.Contains(item.SopInstanceUid))
            {
                // PS3.18 Table 10.5.3-1: 200 means every instance was stored, listed or not.
                outcomes.Add(DeliveryOutcome.Success(item));
            }
            else if (status is 409 or 400)
            {
                // PS3.18 Table 10.5.3-1: 409 (a conflict in the request) and 400 (bad syntax): no Instance was stored.
                outcomes.Add(DeliveryOutcome.PermanentFailure(item,
                    $"{http} {(status == 409 ? "Conflict" : "Bad Request")} from {target}: no instance stored{(unreadable is null ? "" : $" ({unreadable})")}"));
            }
            else
            {
                // 202 without a word about this instance: it may or may not be stored; sending it again is safe (the
                // server keys instances by SOP Instance UID) and is the only way to get a confirmation.
                outcomes.Add(DeliveryOutcome.TransientFailure(item,
                    $"{http} from {target} did not confirm this instance ({unreadable ?? "listed neither as stored nor as failed"})"));
            }
        }
        return outcomes;
    }

    private static DeliveryOutcome Failure(DeliveryItem item, StowInstance f, string http, string target)
    {
        if (f.Reason is not { } reason)
            return DeliveryOutcome.PermanentFailure(item, $"{http} from {target}: listed as failed, without a Failure Reason");
        var why = $"{http} from {target}: {StowStatus.DescribeFailure(reason)}";
        return StowStatus.IsTransientFailure(reason) ? DeliveryOutcome.TransientFailure(item, why) : DeliveryOutcome.PermanentFailure(item, why);
    }

    private const bool Transient = true;
    private const bool Permanent = false;

    private static StowBatchResult All(IReadOnlyList<DeliveryItem> batch, bool transient, string error, bool destinationLevel) =>
        new(batch.Select(i => transient ? DeliveryOutcome.TransientFailure(i, error) : DeliveryOutcome.PermanentFailure(i, error)).ToList(), destinationLevel);

    private static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType.Equals("application/dicom+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The start of a textual body, on one line, for an error message (servers often explain in it).</summary>
    private static string Snippet(string? mediaType, ReadOnlySpan<byte> body)
    {
        if (body.Length == 0) return "no body";
        var textual = mediaType is not null && (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase));
        if (!textual) return $"{body.Length.ToString(CultureInfo.InvariantCulture)} bytes of {mediaType ?? "unknown type"}";
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, SnippetLength * 4)]);
        var line = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return line.Length > SnippetLength ? line[..SnippetLength] + "…" : line;
    }
}
