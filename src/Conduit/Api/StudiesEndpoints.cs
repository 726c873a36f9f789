using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conduit.Api;

/// <summary><c>/api/v1/studies</c> and <c>/api/v1/series/{uid}</c>: what the instance store holds.</summary>
internal static class StudiesEndpoints
{
    public static RouteGroupBuilder MapStudies(this RouteGroupBuilder api)
    {
        api.MapGet("/studies", async (IInstanceStore store, int? limit, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.ListStudiesAsync(Math.Clamp(limit ?? 100, 1, JobsEndpoints.MaxLimit), cancellationToken)));

        api.MapGet("/series/{uid}", async Task<Results<Ok<SeriesSummary>, ProblemHttpResult>> (
            IInstanceStore store, string uid, CancellationToken cancellationToken) =>
        {
            var series = await store.GetSeriesAsync(uid, cancellationToken);
            return series is null
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such series", detail: $"There is no series {uid}.")
                : TypedResults.Ok(series);
        });
        return api;
    }
}
