namespace Conduit.Pipeline.Queue;

/// <summary>A job's row in the queue: ready from <see cref="AvailableAt"/>; leased until <see cref="LeaseExpiresAt"/> when a worker holds it.</summary>
public sealed record QueuedJob(string JobId, int Priority, DateTimeOffset AvailableAt, DateTimeOffset? LeaseExpiresAt)
{
    public bool IsLeased => LeaseExpiresAt is not null;
}
