using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Orchestration;

/// <summary>
/// Removes the work folders of jobs that were sent longer ago than the retention (a failed job keeps its folder for
/// inspection until it is retried or removed by hand). Runs at start and then every <see cref="Interval"/>.
/// </summary>
public sealed partial class RetentionSweeper(IJobRepository jobs, IInstanceFileLayout layout, TimeSpan retention, ILogger<RetentionSweeper> logger,
    TimeProvider? time = null)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private const int BatchSize = 1000;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await SweepAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(Interval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Removes what is due now; returns how many job folders went.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - retention;
        var removed = 0;
        foreach (var job in await jobs.ListAsync(new JobQuery(JobStatus.Sent, Limit: BatchSize), cancellationToken).ConfigureAwait(false))
        {
            if (job.EndedAt is not { } ended || ended > cutoff) continue;
            var folder = layout.JobDirectory(job.Id);
            if (!Directory.Exists(folder)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogRemoveFailed(logger, job.Id, folder, ex.Message);
            }
        }
        if (removed > 0) LogSwept(logger, removed, retention.TotalHours);
        return removed;
    }

    [LoggerMessage(EventId = 3701, Level = LogLevel.Information, Message = "Retention: removed the work folders of {Count} job(s) sent more than {Hours:0.#} h ago")]
    private static partial void LogSwept(ILogger logger, int count, double hours);

    [LoggerMessage(EventId = 3702, Level = LogLevel.Warning, Message = "Retention: could not remove {Folder} of job {JobId}: {Error}")]
    private static partial void LogRemoveFailed(ILogger logger, string jobId, string folder, string error);
}
