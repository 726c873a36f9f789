using System.Globalization;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conduit.Api;

/// <summary>
/// <c>/api/v1/studies</c>, <c>/api/v1/studies/search</c>, <c>/api/v1/studies/{uid}/series</c> and
/// <c>/api/v1/series/{uid}</c>: what the instance store holds.
/// </summary>
internal static class StudiesEndpoints
{
    public static RouteGroupBuilder MapStudies(this RouteGroupBuilder api)
    {
        api.MapGet("/studies", async (IInstanceStore store, int? limit, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.ListStudiesAsync(Math.Clamp(limit ?? 100, 1, JobsEndpoints.MaxLimit), cancellationToken)));

        api.MapGet("/studies/search", SearchAsync);

        api.MapGet("/studies/{uid}/series", async (IInstanceStore store, string uid, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.ListStudySeriesAsync(uid, cancellationToken)));

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

    /// <summary>
    /// Studies by patient ID, accession number (both with the DICOM wildcards <c>*</c> and <c>?</c>), modality and study
    /// date range (<c>YYYYMMDD</c>), most recently updated first.
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<StudyMatch>>, ProblemHttpResult>> SearchAsync(IInstanceStore store,
        string? patientId, string? accessionNumber, string? modality, string? dateFrom, string? dateTo, int? limit,
        CancellationToken cancellationToken)
    {
        foreach (var (name, value) in new[] { ("dateFrom", dateFrom), ("dateTo", dateTo) })
            if (!string.IsNullOrEmpty(value) && !DateOnly.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid date", detail: $"{name} must be YYYYMMDD, not '{value}'.");
        var query = new StudyQuery
        {
            PatientId = Blank(patientId),
            AccessionNumber = Blank(accessionNumber),
            Modality = Blank(modality),
            StudyDateFrom = Blank(dateFrom),
            StudyDateTo = Blank(dateTo),
            Limit = Math.Clamp(limit ?? 100, 1, JobsEndpoints.MaxLimit),
            RecentFirst = true,
        };
        return TypedResults.Ok(await store.SearchStudiesAsync(query, cancellationToken));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
