namespace Conduit.Pipeline.Grouping;

/// <summary>
/// Sleeps until the next batch is due (or until an arrival changes that), then hands every closed batch to a callback.
/// No polling interval: it wakes exactly when a signal is due or new data arrives.
/// </summary>
public sealed class BatchCompletionLoop(BatchTracker tracker, Func<ClosedBatch, CancellationToken, ValueTask> onClosed)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var time = tracker.Time;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var batch in tracker.Poll())
                await onClosed(batch, cancellationToken).ConfigureAwait(false);

            var next = tracker.NextDueAt();
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var changed = tracker.WaitForChangeAsync(wake.Token);
            Task timer = next is { } due
                ? Task.Delay(Max(due - time.GetUtcNow(), TimeSpan.Zero), time, wake.Token)
                : Task.Delay(Timeout.InfiniteTimeSpan, time, wake.Token);
            try
            {
                await Task.WhenAny(changed, timer).ConfigureAwait(false);
            }
            finally
            {
                await wake.CancelAsync().ConfigureAwait(false);
                // Observe both, so a cancelled wait neither throws unobserved nor consumes a signal it did not get.
                await Task.WhenAll(changed, timer).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
