using System.Threading.Channels;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Destinations;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Webhooks;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Orchestration;

/// <summary>
/// When a job ends, POSTs its summary to the webhooks its flow names (on its own loop, so a slow receiver never holds
/// a worker), and records each delivery with the job.
/// </summary>
public sealed partial class WebhookNotifier(
    IJobRepository jobs,
    IWebhookDeliveryStore deliveries,
    FlowCatalog catalog,
    WebhookSender sender,
    WebhookDefaultsOptions defaults,
    ILogger<WebhookNotifier> logger) : IJobEndListener
{
    private readonly Channel<JobRecord> _ended = Channel.CreateUnbounded<JobRecord>(new UnboundedChannelOptions { SingleReader = true });

    public Task OnJobEndedAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var hooks = catalog.Current.Find(job.FlowName)?.Webhooks ?? [];
        return hooks.Count == 0 ? Task.CompletedTask : _ended.Writer.WriteAsync(job, cancellationToken).AsTask();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var job in _ended.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await NotifyAsync(job, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogNotifyFailed(logger, ex, job.Id);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task NotifyAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var flow = catalog.Current.Find(job.FlowName);
        if (flow is null) return;
        var details = await jobs.GetDetailsAsync(job.Id, cancellationToken).ConfigureAwait(false);
        if (details is null) return;
        var summary = JobSummary.From(details);
        var wanted = job.Status == JobStatus.Sent ? WebhookEvents.Succeeded : WebhookEvents.Failed;
        var schedule = new RetrySchedule { MaxAttempts = defaults.Retries + 1, InitialDelay = defaults.Backoff };
        foreach (var hook in flow.Webhooks.Where(h => (h.On & wanted) != 0))
        {
            var record = await deliveries.CreateAsync(job.Id, hook.Url.ToString(), cancellationToken).ConfigureAwait(false);
            var result = await sender.SendAsync(hook.Url, summary, schedule, cancellationToken).ConfigureAwait(false);
            await deliveries.RecordAttemptAsync(record.Id, result.Delivered, null, result.Delivered ? null : result.Detail, null, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3501, Level = LogLevel.Error, Message = "Webhooks for job {JobId} could not be sent")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string jobId);
}
