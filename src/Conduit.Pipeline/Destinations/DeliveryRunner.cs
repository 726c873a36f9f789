namespace Conduit.Pipeline.Destinations;

/// <summary>
/// One attempt to deliver a job's results to one destination, the same way for every kind of destination: instances
/// the ledger says were acknowledged are skipped (no duplicates after a retry or a restart), the destination's circuit
/// breaker may hold the attempt back, acknowledgements are recorded as they come, and transient failures turn into a
/// retry time from the <see cref="RetrySchedule"/>. The caller persists the decision (the job's destination row).
/// </summary>
public sealed class DeliveryRunner(IDeliveryLedger ledger, CircuitBreakerRegistry breakers, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="attempt">The number of this attempt, 1 for the first.</param>
    public async Task<DeliveryAttempt> AttemptAsync(string jobId, IDestination destination, IReadOnlyList<DeliveryItem> items,
        int attempt, RetrySchedule schedule, CancellationToken cancellationToken)
    {
        var acknowledged = await ledger.AcknowledgedAsync(jobId, destination.Name, cancellationToken).ConfigureAwait(false);
        var pending = items.Where(i => !acknowledged.Contains(i.SopInstanceUid)).ToList();
        var skipped = items.Count - pending.Count;
        if (pending.Count == 0)
            return new(DeliveryStatus.Delivered, null, 0, skipped, [], false, $"all {items.Count} instances already delivered");

        var breaker = breakers.For(destination.Name);
        if (!breaker.TryEnter(out var wait))
            return new(DeliveryStatus.RetryLater, _time.GetUtcNow() + wait, 0, skipped, [], false,
                $"destination {destination.Name} is failing; circuit open, next try in {wait.TotalSeconds:0} s");

        IReadOnlyList<DeliveryOutcome> outcomes;
        try
        {
            outcomes = await destination.DeliverAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcomes = pending.Select(i => DeliveryOutcome.TransientFailure(i, $"{ex.GetType().Name}: {ex.Message}")).ToList();
        }

        var acked = outcomes.Where(o => o.Acknowledged).Select(o => o.Item.SopInstanceUid).ToList();
        if (acked.Count > 0)
            await ledger.RecordAcknowledgedAsync(jobId, destination.Name, acked, cancellationToken).ConfigureAwait(false);

        var failures = outcomes.Where(o => !o.Acknowledged).ToList();
        var transient = failures.Count(o => o.Transient);
        // The peer answered (even with a refusal per instance) unless every failure was transient.
        if (transient > 0 && transient == failures.Count && acked.Count == 0) breaker.RecordFailure();
        else breaker.RecordSuccess();

        if (failures.Count == 0)
            return new(DeliveryStatus.Delivered, null, acked.Count, skipped, [], true, $"delivered {acked.Count} instances");

        var first = failures[0].Error;
        if (transient > 0 && schedule.AllowsAnotherAttempt(attempt))
        {
            var retryAt = _time.GetUtcNow() + schedule.DelayBefore(attempt + 1);
            return new(DeliveryStatus.RetryLater, retryAt, acked.Count, skipped, failures, true,
                $"{failures.Count} of {pending.Count} instances not delivered (attempt {attempt} of {schedule.MaxAttempts}): {first}");
        }
        var why = transient > 0 ? $"no attempts left after {attempt}" : "refused by the destination";
        return new(DeliveryStatus.Failed, null, acked.Count, skipped, failures, true,
            $"{failures.Count} of {pending.Count} instances not delivered, {why}: {first}");
    }
}
