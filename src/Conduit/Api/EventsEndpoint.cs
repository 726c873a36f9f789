using System.Text.Json;
using Conduit.Pipeline.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Conduit.Api;

/// <summary>
/// <c>GET /api/v1/events</c>: the change feed as server-sent events (HTML Living Standard §9.2). Each event is named by
/// its kind (<c>instance</c>, <c>batch</c>, <c>job</c>, <c>step</c>, <c>destination</c>, <c>association</c>) and
/// carries the change as JSON; <c>resync</c> says events were dropped because this client read too slowly, so it
/// should refetch everything it shows. A comment line every <see cref="Heartbeat"/> keeps proxies from closing the
/// stream and finds dead clients, whose subscription is then disposed.
/// </summary>
internal static class EventsEndpoint
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/events", StreamAsync);
        return api;
    }

    private static async Task StreamAsync(HttpContext context, [FromServices] ChangeFeed feed, [FromServices] IHostApplicationLifetime lifetime,
        [FromServices] IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        // No response buffering in front of the stream (nginx honours this header).
        response.Headers["X-Accel-Buffering"] = "no";
        // The stream ends with the client or with the server: Kestrel waits for open requests when it stops.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var subscription = feed.Subscribe();
        var options = json.Value.SerializerOptions;
        var reported = 0L;
        try
        {
            // "retry" tells EventSource how long to wait before reconnecting after the stream ends.
            await response.WriteAsync("retry: 2000\n: connected\n\n", stop.Token);
            await response.Body.FlushAsync(stop.Token);
            while (true)
            {
                if (!await WaitAsync(subscription, stop.Token))
                {
                    await response.WriteAsync(": heartbeat\n\n", stop.Token);
                    await response.Body.FlushAsync(stop.Token);
                    continue;
                }
                var dropped = subscription.Dropped;
                if (dropped != reported)
                {
                    reported = dropped;
                    await response.WriteAsync($"event: resync\ndata: {{\"dropped\":{dropped}}}\n\n", stop.Token);
                }
                while (subscription.Reader.TryRead(out var change))
                {
                    var name = change.Kind.ToString().ToLowerInvariant();
                    await response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(change, options)}\n\n", stop.Token);
                }
                await response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away or the server is stopping: the subscription is disposed on the way out.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }
    }

    /// <returns>true when events are waiting, false when the heartbeat is due.</returns>
    private static async Task<bool> WaitAsync(ChangeSubscription subscription, CancellationToken cancellationToken)
    {
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        heartbeat.CancelAfter(Heartbeat);
        try
        {
            return await subscription.Reader.WaitToReadAsync(heartbeat.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
