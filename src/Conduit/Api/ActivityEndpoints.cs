using Conduit.Dicom.Network.Scp;
using Conduit.Pipeline.Events;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Orchestration;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conduit.Api;

/// <summary>
/// What the dashboard's overview, associations and destinations pages show: <c>/api/v1/overview</c>,
/// <c>/api/v1/throughput?range=hour|day</c>, <c>/api/v1/associations</c> (open) and <c>/api/v1/associations/recent</c>
/// (the last that ended), <c>/api/v1/destinations</c>.
/// </summary>
internal static class ActivityEndpoints
{
    public static RouteGroupBuilder MapActivity(this RouteGroupBuilder api)
    {
        api.MapGet("/overview", OverviewAsync);
        api.MapGet("/throughput", ThroughputAsync);
        api.MapGet("/associations", ([FromServices] AssociationRegistry associations) => TypedResults.Ok(associations.Snapshot().Select(Json)));
        api.MapGet("/associations/recent", ([FromServices] AssociationRegistry associations) =>
            TypedResults.Ok(associations.RecentlyEnded().Select(Json)));
        api.MapGet("/destinations", async ([FromServices] SqlActivityStats stats, CancellationToken cancellationToken) =>
            TypedResults.Ok(await stats.DestinationsAsync(cancellationToken)));
        return api;
    }

    private static object Json(ActiveAssociation a) => new
    {
        id = a.AssociationId,
        callingAeTitle = a.CallingAeTitle,
        calledAeTitle = a.CalledAeTitle,
        peer = a.RemoteEndPoint?.ToString(),
        startedAt = a.StartedAt,
        endedAt = a.EndedAt,
        instancesStored = a.InstancesStored,
        instancesFailed = a.InstancesFailed,
        bytesStored = a.BytesStored,
        echoesAnswered = a.EchoesAnswered,
    };

    private static async Task<IResult> OverviewAsync([FromServices] SqlActivityStats stats, [FromServices] IJobQueue queue,
        [FromServices] AssociationRegistry associations, [FromServices] ChangeFeed changes, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var byStatus = await stats.JobsByStatusAsync(cancellationToken);
        var counts = await queue.CountAsync(cancellationToken);
        return TypedResults.Ok(new
        {
            at = now,
            instancesLastMinute = await stats.InstancesSinceAsync(now.AddMinutes(-1), cancellationToken),
            instancesLastHour = await stats.InstancesSinceAsync(now.AddHours(-1), cancellationToken),
            jobsByStatus = Enum.GetValues<JobStatus>().Select(s => new
            {
                status = s.ToText(),
                statusCode = JobStatusCodes.DicomFlowCode(s),
                count = byStatus.GetValueOrDefault(s.ToText()),
            }),
            queue = new { ready = counts.Ready, delayed = counts.Delayed, leased = counts.Leased, depth = counts.Ready + counts.Delayed + counts.Leased },
            openAssociations = associations.Count,
            liveClients = changes.SubscriberCount,
        });
    }

    private static async Task<Results<Ok<ThroughputView>, ProblemHttpResult>> ThroughputAsync([FromServices] SqlActivityStats stats,
        string? range, CancellationToken cancellationToken)
    {
        // An hour in minutes, or a day in quarter hours: 60 or 96 bars, enough to read and few enough to draw.
        var (width, count) = (range ?? "hour") switch
        {
            "hour" => (TimeSpan.FromMinutes(1), 60),
            "day" => (TimeSpan.FromMinutes(15), 96),
            _ => (TimeSpan.Zero, 0),
        };
        if (count == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown range", detail: $"range must be hour or day, not '{range}'.");
        var buckets = await stats.ThroughputAsync(width, count, cancellationToken);
        return TypedResults.Ok(new ThroughputView(range ?? "hour", (int)width.TotalSeconds, buckets));
    }

    internal sealed record ThroughputView(string Range, int BucketSeconds, IReadOnlyList<ActivityBucket> Buckets);
}
