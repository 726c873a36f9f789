using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Queue;

/// <summary>The broker-backed queue's log messages; event ids 4150–4199 (the queue's range is 4100–4199).</summary>
internal static partial class RabbitLog
{
    [LoggerMessage(EventId = 4150, Level = LogLevel.Information, Message = "Connected to RabbitMQ queue {Queue} (prefetch {Prefetch})")]
    public static partial void Connected(ILogger logger, string queue, int prefetch);

    [LoggerMessage(EventId = 4151, Level = LogLevel.Debug, Message = "Dropped a delivery of job {JobId}: {Reason}")]
    public static partial void Dropped(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 4152, Level = LogLevel.Information, Message = "Job {JobId} is leased by a worker that may have died; looking again in {Wait}")]
    public static partial void Deferred(ILogger logger, string jobId, TimeSpan wait);

    [LoggerMessage(EventId = 4153, Level = LogLevel.Information, Message = "Published {Count} waiting job(s) the broker may not hold")]
    public static partial void Reconciled(ILogger logger, int count);

    [LoggerMessage(EventId = 4154, Level = LogLevel.Error, Message = "Could not publish job {JobId} to RabbitMQ; it stays queued in the database and the next sweep publishes it again")]
    public static partial void PublishFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 4155, Level = LogLevel.Warning, Message = "Could not settle the delivery of job {JobId}: {Error}; the broker hands it out again")]
    public static partial void SettleFailed(ILogger logger, string jobId, string error);

    [LoggerMessage(EventId = 4156, Level = LogLevel.Warning, Message = "Could not take job {JobId} from the database; trying again shortly: {Error}")]
    public static partial void TakeFailed(ILogger logger, string jobId, string error);

    [LoggerMessage(EventId = 4157, Level = LogLevel.Warning, Message = "The RabbitMQ connection recovered; publishing waiting jobs again in case the broker lost some")]
    public static partial void ConnectionRecovered(ILogger logger);

    [LoggerMessage(EventId = 4158, Level = LogLevel.Warning, Message = "Published {Published} of {Claimed} waiting job(s) again that the broker may not hold ({Ready} job id(s) ready in its queue)")]
    public static partial void Swept(ILogger logger, int published, int claimed, uint ready);

    [LoggerMessage(EventId = 4159, Level = LogLevel.Warning, Message = "The sweep of waiting jobs did not run; trying again at the next one: {Error}")]
    public static partial void SweepFailed(ILogger logger, string error);
}
