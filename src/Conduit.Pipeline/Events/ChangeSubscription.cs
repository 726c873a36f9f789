using System.Threading.Channels;

namespace Conduit.Pipeline.Events;

/// <summary>
/// One reader's view of the <see cref="ChangeFeed"/>: a bounded channel that drops its oldest event when full.
/// Dispose it when the reader goes away (a browser disconnects): the feed forgets it and nothing is kept for it.
/// </summary>
public sealed class ChangeSubscription : IDisposable
{
    private readonly ChangeFeed _feed;
    private readonly Channel<ChangeEvent> _channel;
    private long _dropped;
    private int _disposed;

    internal ChangeSubscription(ChangeFeed feed, int capacity)
    {
        _feed = feed;
        _channel = Channel.CreateBounded<ChangeEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelReader<ChangeEvent> Reader => _channel.Reader;

    /// <summary>Events lost because the reader fell behind (it should then refetch everything it shows).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    // DropOldest always makes room: TryWrite fails only once the subscription is disposed.
    internal void Offer(ChangeEvent change) => _channel.Writer.TryWrite(change);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _feed.Remove(this);
        _channel.Writer.TryComplete();
    }
}
