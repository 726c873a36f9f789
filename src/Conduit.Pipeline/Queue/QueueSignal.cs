using System.Threading.Channels;

namespace Conduit.Pipeline.Queue;

/// <summary>
/// Wakes idle dequeuers. A bounded channel of one token: a signal sent while nobody waits is kept (so a wake-up
/// between "queue empty" and "wait" is not lost), and many signals collapse into one.
/// </summary>
internal sealed class QueueSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Set() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a signal or for <paramref name="timeout"/> (measured on <paramref name="time"/>); null waits for a signal only.</summary>
    public async Task WaitAsync(TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (timeout is null)
        {
            await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        using var timer = new CancellationTokenSource(timeout.Value, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _channel.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timer fired: a delayed job or a lease expiry is due.
        }
    }
}
