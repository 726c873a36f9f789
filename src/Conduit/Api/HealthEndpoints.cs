using Conduit.Pipeline.Queue;

namespace Conduit.Api;

/// <summary><c>/healthz</c>: 200 while the store answers; the queue depth comes along for a quick look.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (IJobQueue queue, CancellationToken cancellationToken) =>
        {
            var counts = await queue.CountAsync(cancellationToken);
            return TypedResults.Ok(new { status = "ok", queue = counts });
        }).AllowAnonymous(); // load balancers and monitors probe it without credentials (issue 5)
        return app;
    }
}
