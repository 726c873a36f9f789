using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Orchestration;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conduit.Api;

/// <summary>
/// <c>GET /api/v1/predict/{uploadId}</c>: the jobs an upload caused, for clients that push a study and poll for the
/// result. <c>status</c> is <c>waiting</c> (series not complete yet, or no flow matched so far), <c>processing</c>,
/// <c>done</c> (every job sent) or <c>failed</c> (every job ended, some failed); each job links its output zip.
/// </summary>
internal static class PredictionsEndpoint
{
    public static async Task<Results<Ok<Prediction>, ProblemHttpResult>> GetAsync(
        IUploadStore uploads, IJobRepository jobs, string id, CancellationToken cancellationToken)
    {
        var upload = await uploads.GetAsync(id, cancellationToken);
        if (upload is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such upload", detail: $"There is no upload {id}.");
        var found = new List<JobRecord>();
        foreach (var batch in upload.BatchIds)
            found.AddRange(await jobs.ListAsync(new JobQuery(BatchId: batch), cancellationToken));
        var status = found.Count == 0 ? "waiting"
            : !found.All(j => JobTransitions.IsTerminal(j.Status)) ? "processing"
            : found.All(j => j.Status == JobStatus.Sent) ? "done" : "failed";
        return TypedResults.Ok(new Prediction(id, status, found.Select(j => new PredictionJob(j.Id, j.FlowName, j.Status.ToText(),
            JobStatusCodes.DicomFlowCode(j.Status), j.Error, $"{ApiRoutes.Prefix}/jobs/{j.Id}", $"{ApiRoutes.Prefix}/jobs/{j.Id}/output.zip")).ToList()));
    }

    public sealed record Prediction(string UploadId, string Status, IReadOnlyList<PredictionJob> Jobs);

    public sealed record PredictionJob(string JobId, string Flow, string Status, int StatusCode, string? Error, string Url, string OutputUrl);
}
