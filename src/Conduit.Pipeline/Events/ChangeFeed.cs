namespace Conduit.Pipeline.Events;

/// <summary>
/// The in-process change feed: the store and job decorators publish every committed change, and each subscriber (a
/// dashboard's server-sent event stream) reads its own bounded copy. Publishing never waits: a subscriber that reads
/// too slowly loses its oldest events (and learns how many through <see cref="ChangeSubscription.Dropped"/>), so a
/// slow browser can never hold up the receiver or a worker.
/// </summary>
public sealed class ChangeFeed(TimeProvider? time = null)
{
    public const int DefaultCapacity = 256;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private ChangeSubscription[] _subscribers = [];

    /// <summary>Subscriptions open now (a disposed one is gone at once).</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public void Publish(ChangeEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0) return;
        var stamped = change with { At = _time.GetUtcNow() };
        foreach (var subscriber in subscribers) subscriber.Offer(stamped);
    }

    /// <summary>A new reader of every change published from now on, holding at most <paramref name="capacity"/> unread.</summary>
    public ChangeSubscription Subscribe(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new ChangeSubscription(this, capacity);
        lock (_lock) Volatile.Write(ref _subscribers, [.. _subscribers, subscription]);
        return subscription;
    }

    internal void Remove(ChangeSubscription subscription)
    {
        lock (_lock) Volatile.Write(ref _subscribers, _subscribers.Where(s => s != subscription).ToArray());
    }
}
