using Conduit.Auth;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Orchestration;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conduit.Api;

/// <summary><c>/api/v1/jobs</c>: list, inspect, retry and cancel jobs.</summary>
internal static class JobsEndpoints
{
    public const int MaxLimit = 1000;

    /// <summary>Jobs on a page of <c>GET /api/v1/jobs</c> when the request gives no <c>limit</c>.</summary>
    public const int DefaultLimit = 100;

    public static RouteGroupBuilder MapJobs(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs");
        jobs.MapGet("/", ListAsync);
        jobs.MapGet("/{id}", GetAsync);
        jobs.MapPost("/{id}/retry", RetryAsync).RequireAuthorization(ConduitPolicies.Operator);
        jobs.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(ConduitPolicies.Operator);
        jobs.MapGet("/{id}/output.zip", JobOutputEndpoint.GetAsync);
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<JobRecord>>, ProblemHttpResult>> ListAsync(HttpContext context,
        IJobRepository jobs, string? status, string? flow, string? study, int? limit, string? before, string? after, CancellationToken cancellationToken)
    {
        JobStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            try { wanted = JobStatusNames.ParseJobStatus(status); }
            catch (FormatException)
            {
                return BadQuery("Unknown job status",
                    $"'{status}' is not a job status; use one of {string.Join(", ", Enum.GetValues<JobStatus>().Select(s => s.ToText()))}.");
            }
        }
        if (limit is < 1 or > MaxLimit) return BadQuery("Bad page size", $"limit must be from 1 to {MaxLimit}; it was {limit}.");
        if (before is not null && after is not null) return BadQuery("Bad page cursor", "Give before or after, not both.");
        if ((before ?? after) is { } cursor && await jobs.GetAsync(cursor, cancellationToken) is null)
            return BadQuery("Bad page cursor", $"There is no job {cursor} to page from.");

        var query = new JobQuery(wanted, flow, study, limit ?? DefaultLimit, Before: before, After: after);
        var page = await JobListPage.ReadAsync(jobs, query, cancellationToken);
        if (page.Links.Count > 0) context.Response.Headers.Link = page.LinkHeader(context.Request);
        return TypedResults.Ok(page.Jobs);
    }

    private static async Task<Results<Ok<JobDetails>, ProblemHttpResult>> GetAsync(
        IJobRepository jobs, string id, CancellationToken cancellationToken)
    {
        var details = await jobs.GetDetailsAsync(id, cancellationToken);
        return details is null ? NotFoundJob(id) : TypedResults.Ok(details);
    }

    /// <summary>A failed (or cancelled) job goes back to pending and into the queue at its priority.</summary>
    private static async Task<Results<Accepted<JobRecord>, ProblemHttpResult>> RetryAsync(
        IJobRepository jobs, IJobQueue queue, string id, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(id, cancellationToken);
        if (job is null) return NotFoundJob(id);
        if (job.Status is not (JobStatus.Failed or JobStatus.Cancelled))
            return NotRetryable($"Job {id} is {job.Status.ToText()}; only failed or cancelled jobs can be retried.");
        try
        {
            job = await jobs.TransitionAsync(id, JobStatus.Pending, "retry requested through the API", cancellationToken);
        }
        catch (JobStateException ex)
        {
            return NotRetryable(ex.Message);
        }
        // A destination that failed for good gets a new round of attempts; those that were sent stay sent.
        var details = await jobs.GetDetailsAsync(id, cancellationToken);
        foreach (var destination in details?.Destinations.Where(d => d.Status == DestinationStatus.Failed) ?? [])
            await jobs.UpdateDestinationAsync(id, destination.Name, DestinationStatus.Pending, null, null, cancellationToken);
        await queue.EnqueueAsync(job.Id, job.Priority, null, cancellationToken);
        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", job);
    }

    /// <summary>
    /// A pending job leaves the queue; a running one has its step stopped (process or container killed). Either way it
    /// ends cancelled and can be retried.
    /// </summary>
    private static async Task<Results<Ok<JobRecord>, ProblemHttpResult>> CancelAsync(
        [FromServices] JobCanceller canceller, string id, CancellationToken cancellationToken)
    {
        var outcome = await canceller.CancelAsync(id, "cancelled through the API", cancellationToken);
        return outcome.Result switch
        {
            CancelResult.NotFound => NotFoundJob(id),
            CancelResult.AlreadyEnded => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Job has ended",
                detail: $"Job {id} is {outcome.Job?.Status.ToText() ?? "gone"}; only pending, running or sending jobs can be cancelled."),
            _ => TypedResults.Ok(outcome.Job!),
        };
    }

    private static ProblemHttpResult BadQuery(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    private static ProblemHttpResult NotFoundJob(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job", detail: $"There is no job {id}.");

    private static ProblemHttpResult NotRetryable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Job is not retryable", detail: detail);
}
