using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Queue;

/// <summary>Queue log messages; event ids 4100–4199.</summary>
internal static partial class QueueLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Queued job {JobId} at priority {Priority}")]
    public static partial void Enqueued(ILogger logger, string jobId, int priority);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Worker {WorkerId} leased job {JobId} until {ExpiresAt:O}")]
    public static partial void Leased(ILogger logger, string workerId, string jobId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Job {JobId} handed out again (delivery {DeliveryCount}): its previous lease lapsed or was released")]
    public static partial void Redelivered(ILogger logger, string jobId, int deliveryCount);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Returned {Count} job(s) with lapsed or orphaned leases to the queue")]
    public static partial void Recovered(ILogger logger, int count);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Worker {WorkerId} lost its lease on job {JobId}")]
    public static partial void LeaseLost(ILogger logger, string workerId, string jobId);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Could not extend the lease on job {JobId}; retrying at the next tick: {Error}")]
    public static partial void ExtendFailed(ILogger logger, string jobId, string error);
}
