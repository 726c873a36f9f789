using System.IO.Compression;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Store;

namespace Conduit.Api;

/// <summary>
/// <c>GET /api/v1/jobs/{id}/output.zip</c>: what the job delivers (its result step's output, or the batch itself for
/// a flow without steps), as a zip with the files' relative paths.
/// </summary>
internal static class JobOutputEndpoint
{
    public static async Task<IResult> GetAsync(IJobRepository jobs, IInstanceStore store, IInstanceFileLayout layout, FlowCatalog catalog,
        string id, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(id, cancellationToken);
        if (job is null) return Problem(StatusCodes.Status404NotFound, "No such job", $"There is no job {id}.");
        if (job.Status is JobStatus.Pending or JobStatus.Running)
            return Problem(StatusCodes.Status409Conflict, "No output yet", $"Job {id} is {job.Status.ToText()}; its output exists once its steps have run.");
        if (job.Status is JobStatus.Failed or JobStatus.Cancelled && job.StartedAt is null)
            return Problem(StatusCodes.Status409Conflict, "No output", $"Job {id} is {job.Status.ToText()} and never ran.");

        var files = new List<(string Path, string Name)>();
        var flow = catalog.Current.Find(job.FlowName);
        if (flow?.ResultStep is { } resultStep)
        {
            var folder = Path.Combine(layout.JobDirectory(id), "steps", resultStep, "output");
            if (!Directory.Exists(folder))
                return Problem(StatusCodes.Status410Gone, "Output removed", $"Job {id}'s work folder is gone (retention, or the job failed before its result step).");
            files.AddRange(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => (f, Path.GetRelativePath(folder, f))));
        }
        else if (job.BatchId is { } batchId)
        {
            foreach (var instance in await store.ListBatchInstancesAsync(batchId, cancellationToken))
                files.Add((layout.Resolve(instance.Path), $"{instance.SeriesInstanceUid}/{instance.SopInstanceUid}.dcm"));
        }

        // ZipArchive writes synchronously: build the archive in a temporary file, then stream it (deleted when sent).
        var temp = Path.GetTempFileName();
        await Task.Run(() =>
        {
            using var zip = ZipFile.Open(temp, ZipArchiveMode.Update);
            foreach (var (path, name) in files) zip.CreateEntryFromFile(path, name.Replace('\\', '/'), CompressionLevel.Fastest);
        }, cancellationToken);
        var stream = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return TypedResults.File(stream, "application/zip", $"{id}-output.zip");
    }

    private static IResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
