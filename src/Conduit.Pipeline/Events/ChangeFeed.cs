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

    /// <summary>
    /// Whether anyone listens. Publishers check it after their change is committed and build the event only when it is
    /// true, so a server nobody watches pays one read per change instead of an event record per instance.
    /// </summary>
    /// <remarks>
    /// This does not race a subscriber joining at the same moment. A subscription is visible here as soon as
    /// <see cref="Subscribe"/> returns, and a subscriber's contract is "every change published from now on", after
    /// which it reads the current state (the dashboard's page fetch, the resync after a reconnect). So when the check
    /// reads false, the subscriber was not yet added, its state read comes later still, and the change, committed
    /// before the check, is in that read; when it reads true, the event is published. Either way the client sees the
    /// change: from the event or from its read. A subscriber that read its state before subscribing could miss it,
    /// but it could miss a change published just before it subscribed as well: the order is the client's to keep.
    /// </remarks>
    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

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
