using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Orchestration;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Conduit.Api;

/// <summary>
/// <c>GET /api/v1/folder-batches</c> and <c>/folder-batches/{id}</c>: what the watched folders took, each file's fate
/// and the jobs they caused. Statuses follow what the pipeline knows: <c>processing</c> while files are imported or a
/// job's steps run; <c>error</c> for a refused file (and a batch with one); <c>imported</c> when stored but no job made
/// yet (series still open, or no flow matched); <c>done-processing</c> when every job's steps ended but not every
/// destination acknowledged; <c>sent</c> when every job was sent; <c>failed</c> when a job failed or was cancelled;
/// for the batch, <c>done</c> when every file is sent and the folder was handled.
/// </summary>
internal static class FolderBatchesEndpoints
{
    private const int ListLimit = 200;

    public static RouteGroupBuilder MapFolderBatches(this RouteGroupBuilder api)
    {
        api.MapGet("/folder-batches", ListAsync);
        api.MapGet("/folder-batches/{id}", GetAsync);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<FolderBatchView>>> ListAsync([FromServices] IFolderBatchStore batches, [FromServices] IJobRepository jobs, CancellationToken cancellationToken)
    {
        var views = new List<FolderBatchView>();
        foreach (var batch in await batches.ListAsync(ListLimit, cancellationToken))
            views.Add(await ViewAsync(batch, jobs, cancellationToken));
        return TypedResults.Ok<IReadOnlyList<FolderBatchView>>(views);
    }

    private static async Task<Results<Ok<FolderBatchView>, ProblemHttpResult>> GetAsync([FromServices] IFolderBatchStore batches, [FromServices] IJobRepository jobs, string id,
        CancellationToken cancellationToken) =>
        await batches.GetAsync(id, cancellationToken) is { } batch
            ? TypedResults.Ok(await ViewAsync(batch, jobs, cancellationToken))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such folder batch", detail: $"There is no folder batch {id}.");

    private static async Task<FolderBatchView> ViewAsync(FolderBatchRecord batch, IJobRepository jobs, CancellationToken cancellationToken)
    {
        var byBatch = new Dictionary<string, IReadOnlyList<JobRecord>>(StringComparer.Ordinal);
        foreach (var batchId in batch.BatchIds)
            byBatch[batchId] = await jobs.ListAsync(new JobQuery(BatchId: batchId), cancellationToken);
        var files = batch.Files.Select(f => new FolderFileView(f.Name,
            f.Skipped ? "skipped" : f.Error is not null ? "error" : Status(f.BatchIds.SelectMany(b => byBatch.GetValueOrDefault(b) ?? []).ToList()),
            f.SopInstanceUid, f.SeriesInstanceUid, f.StudyInstanceUid, f.Error)).ToList();
        var allJobs = byBatch.Values.SelectMany(j => j).DistinctBy(j => j.Id).ToList();
        var status = batch.State switch
        {
            FolderBatchState.Processing => "processing",
            FolderBatchState.Error => "error",
            _ => files.All(f => f.Status is "sent" or "skipped") ? "done" : Status(allJobs),
        };
        return new FolderBatchView(batch.Id, batch.Watched, batch.Name, status, batch.CreatedAt, batch.FinishedAt, batch.FolderFate, batch.Error, files,
            allJobs.Select(j => new FolderJobView(j.Id, j.FlowName, j.Status.ToText(), JobStatusCodes.DicomFlowCode(j.Status), j.Error,
                $"{ApiRoutes.Prefix}/jobs/{j.Id}")).ToList());
    }

    private static string Status(IReadOnlyList<JobRecord> jobs) =>
        jobs.Count == 0 ? "imported"
        : jobs.Any(j => j.Status is JobStatus.Pending or JobStatus.Running) ? "processing"
        : jobs.Any(j => j.Status is JobStatus.Failed or JobStatus.Cancelled) ? "failed"
        : jobs.All(j => j.Status == JobStatus.Sent) ? "sent"
        : "done-processing";

    public sealed record FolderBatchView(string Id, string Watched, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
        string? FolderFate, string? Error, IReadOnlyList<FolderFileView> Files, IReadOnlyList<FolderJobView> Jobs);

    public sealed record FolderFileView(string Name, string Status, string? SopInstanceUid, string? SeriesInstanceUid, string? StudyInstanceUid, string? Error);

    public sealed record FolderJobView(string JobId, string Flow, string Status, int StatusCode, string? Error, string Url);
}
