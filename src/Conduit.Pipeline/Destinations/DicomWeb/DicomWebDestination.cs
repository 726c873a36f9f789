using System.Net.Http.Headers;
using Conduit.Pipeline.Configuration.Values;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Destinations.DicomWeb;

/// <summary>
/// A DICOMweb server as a destination, through the Studies Store Transaction (STOW-RS, PS3.18 §10.5): the instances go
/// in batches (at most <see cref="DicomWebDestinationOptions.MaxInstancesPerRequest"/> instances and
/// <see cref="DicomWebDestinationOptions.MaxBytesPerRequest"/> bytes per request), each a
/// <c>multipart/related; type="application/dicom"</c> body streamed from the files, and each answer is read per instance
/// (<see cref="StowAnswer"/>). Retries, the circuit breaker and the ledger are the <see cref="DeliveryRunner"/>'s.
/// </summary>
public sealed partial class DicomWebDestination(string name, DicomWebDestinationOptions options, HttpClient http, ILogger? logger = null) : IDestination
{
    private const string DicomJson = "application/dicom+json";
    private const int MaxAnswerBytes = 4 << 20;

    private readonly ILogger _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public string Name { get; } = name;

    public async ValueTask<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var outcomes = new List<DeliveryOutcome>(items.Count);
        var sendable = new List<(DeliveryItem Item, long Length)>(items.Count);
        foreach (var item in items)
        {
            var file = new FileInfo(item.Path);
            // A missing source is our own bug or a cleaned job: retrying will not bring it back.
            if (!file.Exists) outcomes.Add(DeliveryOutcome.PermanentFailure(item, $"source file is gone: {item.Path}"));
            else sendable.Add((item, file.Length));
        }

        StowBatchResult? stop = null;
        foreach (var batch in Batches(sendable, options.MaxInstancesPerRequest, options.MaxBytesPerRequest))
        {
            if (stop is not null)
            {
                // The destination itself refused or failed (credentials, no service, unreachable): the other batches
                // would meet the same answer, so they are not sent and share the reason.
                var reason = stop.Outcomes[0];
                outcomes.AddRange(batch.Select(b => reason with { Item = b.Item }));
                continue;
            }
            var result = await SendAsync(batch, cancellationToken).ConfigureAwait(false);
            outcomes.AddRange(result.Outcomes);
            if (result.DestinationLevel) stop = result;
        }
        return outcomes;
    }

    /// <summary>Consecutive groups of at most <paramref name="maxInstances"/> items and <paramref name="maxBytes"/> bytes;
    /// a single file larger than <paramref name="maxBytes"/> goes alone.</summary>
    public static IEnumerable<IReadOnlyList<(DeliveryItem Item, long Length)>> Batches(IReadOnlyList<(DeliveryItem Item, long Length)> items,
        int maxInstances, long maxBytes)
    {
        var batch = new List<(DeliveryItem, long)>();
        long bytes = 0;
        foreach (var entry in items)
        {
            if (batch.Count > 0 && (batch.Count >= maxInstances || bytes + entry.Length > maxBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(entry);
            bytes += entry.Length;
        }
        if (batch.Count > 0) yield return batch;
    }

    private async Task<StowBatchResult> SendAsync(IReadOnlyList<(DeliveryItem Item, long Length)> batch, CancellationToken cancellationToken)
    {
        var items = batch.Select(b => b.Item).ToList();
        var target = options.StudiesUrl;
        var bytes = batch.Sum(b => b.Length);
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StowRequestContent(batch.Select(b => (b.Item.Path, b.Length)).ToList()),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomJson));
        request.Headers.Authorization = options.Authorization;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadAnswerAsync(response, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            LogAnswer(_logger, Name, items.Count, bytes, target, status);
            var result = StowAnswer.Interpret(status, response.Content.Headers.ContentType?.MediaType, body, items, target.AbsoluteUri,
                options.CredentialsDescription, response.Headers.Location?.ToString());
            foreach (var failure in result.Outcomes.Where(o => !o.Acknowledged).Take(1))
                LogRefused(_logger, Name, result.Outcomes.Count(o => !o.Acknowledged), items.Count, failure.Error ?? "");
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Transport(items, $"no answer from {target} within {Durations.Format(options.Timeout)} (the destination's timeout)");
        }
        catch (HttpRequestException ex)
        {
            // Connection refused, name not found, TLS failure (a certificate the system trust store does not accept),
            // a connection reset while sending: nothing was confirmed, and each may pass.
            return Transport(items, $"cannot send to {target}: {Message(ex)}");
        }
        catch (IOException ex)
        {
            return Transport(items, $"sending to {target} failed: {ex.Message}");
        }
    }

    private static StowBatchResult Transport(List<DeliveryItem> items, string error) =>
        new(items.Select(i => DeliveryOutcome.TransientFailure(i, error)).ToList(), DestinationLevel: true);

    private static string Message(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            if (!message.Contains(inner.Message, StringComparison.Ordinal)) message += $" ({inner.Message})";
        return message;
    }

    /// <summary>The answer's body, up to <see cref="MaxAnswerBytes"/> (a Store Instances Response is small; more is not read).</summary>
    private static async Task<byte[]> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 14];
        int read;
        while (buffer.Length < MaxAnswerBytes && (read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 3801, Level = LogLevel.Debug, Message = "Destination {Destination}: STOW-RS of {Count} instance(s), {Bytes} bytes, to {Url} answered {Status}")]
    private static partial void LogAnswer(ILogger logger, string destination, int count, long bytes, Uri url, int status);

    [LoggerMessage(EventId = 3802, Level = LogLevel.Warning, Message = "Destination {Destination}: {Failed} of {Count} instance(s) not stored: {Reason}")]
    private static partial void LogRefused(ILogger logger, string destination, int failed, int count, string reason);
}
