namespace Conduit.Pipeline.Queue;

/// <summary>
/// The durable priority queue of job ids. Higher priority first (0–5, 5 highest), then oldest first. A dequeue
/// takes a lease that the worker extends while it works; if the worker dies the lease lapses and the job is handed
/// out again, so a crashed worker's job always runs again (at-least-once: steps must tolerate a re-run).
/// The embedded implementation is <see cref="SqlJobQueue"/>; a broker-backed one (RabbitMQ priority queues plus
/// a lease table) implements the same contract.
/// </summary>
public interface IJobQueue
{
    /// <summary>
    /// Queues a job, ready at <paramref name="notBefore"/> (now when null). Idempotent: a job already in the
    /// queue (waiting or leased) keeps its place and its lease; returns false then.
    /// </summary>
    Task<bool> EnqueueAsync(string jobId, int priority, DateTimeOffset? notBefore, CancellationToken cancellationToken);

    /// <summary>Leases the next ready job (or one whose lease lapsed), or returns null at once when there is none.</summary>
    Task<JobLease?> TryDequeueAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>
    /// Leases the next ready job, waiting until there is one. Idle workers sleep until an enqueue signals them, or
    /// until the next delayed job or lease expiry is due: nothing polls.
    /// </summary>
    Task<JobLease> DequeueAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Pushes the lease's expiry to now + <paramref name="leaseDuration"/>; null when the lease was lost.</summary>
    Task<JobLease?> ExtendLeaseAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the job from the queue for good: it succeeded, or failed in a way a retry will not fix (the job's
    /// status says which). False when the lease was lost.
    /// </summary>
    Task<bool> CompleteAsync(JobLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a waiting job (not leased) out of the queue: an operator cancelled it. A leased job stays until its worker
    /// completes the lease. False when the job was not waiting.
    /// </summary>
    Task<bool> RemoveWaitingAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Gives the job back, ready again after <paramref name="retryAfter"/> (a delayed retry). False when the lease was lost.</summary>
    Task<bool> ReleaseAsync(JobLease lease, TimeSpan retryAfter, CancellationToken cancellationToken);

    /// <summary>
    /// Returns to the queue every job whose lease lapsed, and, when <paramref name="ownerPrefix"/> is given, every job
    /// leased by a worker whose id starts with it (a node restarting releases what its previous run held without
    /// waiting for the leases to lapse). Returns how many jobs came back.
    /// </summary>
    Task<int> RecoverAsync(string? ownerPrefix, CancellationToken cancellationToken);

    Task<QueueCounts> CountAsync(CancellationToken cancellationToken);
}
