using Conduit.Pipeline.Events;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Events;

public sealed class ChangeFeedTests
{
    private static ChangeEvent Job(int n) => new(ChangeKind.Job, $"job-{n}", "running");

    [Fact]
    public void Every_subscriber_gets_every_change_in_order_stamped_with_the_time()
    {
        var feed = new ChangeFeed();
        using var a = feed.Subscribe();
        using var b = feed.Subscribe();

        feed.Publish(Job(1));
        feed.Publish(Job(2));

        foreach (var subscription in new[] { a, b })
        {
            Assert.True(subscription.Reader.TryRead(out var first));
            Assert.True(subscription.Reader.TryRead(out var second));
            Assert.Equal(["job-1", "job-2"], new[] { first.Id, second.Id });
            Assert.NotEqual(default, first.At);
            Assert.False(subscription.Reader.TryRead(out _));
        }
    }

    [Fact]
    public void A_subscriber_that_does_not_read_loses_its_oldest_changes_and_is_told_how_many_while_publishing_never_blocks()
    {
        var feed = new ChangeFeed();
        using var slow = feed.Subscribe(capacity: 3);
        using var reader = feed.Subscribe(capacity: 100);

        for (var i = 1; i <= 10; i++) feed.Publish(Job(i));

        Assert.Equal(7, slow.Dropped);
        var kept = new List<string>();
        while (slow.Reader.TryRead(out var change)) kept.Add(change.Id);
        Assert.Equal(["job-8", "job-9", "job-10"], kept);
        Assert.Equal(0, reader.Dropped);
        Assert.Equal(10, reader.Reader.Count);
    }

    [Fact]
    public void A_disposed_subscription_is_forgotten_by_the_feed_and_its_reader_completes()
    {
        var feed = new ChangeFeed();
        var subscription = feed.Subscribe();
        Assert.Equal(1, feed.SubscriberCount);

        subscription.Dispose();
        feed.Publish(Job(1));

        Assert.Equal(0, feed.SubscriberCount);
        Assert.True(subscription.Reader.Completion.IsCompleted);
        Assert.False(subscription.Reader.TryRead(out _));
    }

    [Fact]
    public async Task The_publishing_decorators_report_committed_instances_batch_closes_and_job_step_destination_changes()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var feed = new ChangeFeed(fixture.Time);
        using var subscription = feed.Subscribe();
        var store = new PublishingInstanceStore(new SqlInstanceStore(fixture.Database), feed);
        var jobs = new PublishingJobRepository(new SqlJobRepository(fixture.Database), feed);
        var none = CancellationToken.None;

        var recorded = await store.RecordAsync(InstanceStoreTests.Instance("1.2.3", "1.2.3.4", "1.2.3.4.1"),
            [new(BatchScope.Series, "1.2.3.4", "seg")], none);
        Assert.True(await store.CloseBatchAsync(recorded.BatchIds[0], BatchCloseReason.QuietTime, "quiet", none));
        Assert.False(await store.CloseBatchAsync(recorded.BatchIds[0], BatchCloseReason.QuietTime, "again", none));
        var job = await jobs.CreateAsync(new NewJob("seg", "1", 0, recorded.BatchIds[0], "1.2.3", ["segment"], ["pacs"]), none);
        await jobs.TransitionAsync(job.Id, JobStatus.Running, null, none);
        await jobs.StartStepAsync(job.Id, "segment", none);
        await jobs.UpdateDestinationAsync(job.Id, "pacs", DestinationStatus.Sending, null, null, none);

        var changes = new List<ChangeEvent>();
        while (subscription.Reader.TryRead(out var change)) changes.Add(change);
        Assert.Equal(
            ["Instance 1.2.3.4.1 stored", $"Batch {recorded.BatchIds[0]} closed", $"Job {job.Id} pending", $"Job {job.Id} running",
                $"Step {job.Id} running segment", $"Destination {job.Id} sending pacs"],
            changes.Select(c => $"{c.Kind} {c.Id} {c.Status}{(c.Name is null ? "" : " " + c.Name)}"));
        Assert.Equal("1.2.3.4", changes[0].SeriesInstanceUid);
        Assert.Equal("seg", changes[2].Flow);
    }

    [Fact]
    public async Task A_subscriber_joining_while_instances_are_stored_sees_each_one_either_as_an_event_or_in_its_resync_read()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var feed = new ChangeFeed(fixture.Time);
        var inner = new SqlInstanceStore(fixture.Database);
        var store = new PublishingInstanceStore(inner, feed);
        const int Count = 300;
        var uids = Enumerable.Range(1, Count).Select(i => $"1.2.9.1.{i}").ToList();
        var recorded = 0;
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Nobody listens at first: the store goes on recording and publishes nothing. The client subscribes somewhere
        // between the 50th and the 200th instance, racing the writer; the last 100 come surely after it.
        Assert.False(feed.HasSubscribers);
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < Count; i++)
            {
                if (i == 200) await subscribed.Task;
                await store.RecordAsync(InstanceStoreTests.Instance("1.2.9", "1.2.9.1", uids[i]), [], CancellationToken.None);
                Interlocked.Increment(ref recorded);
            }
        });
        while (Volatile.Read(ref recorded) < 50) await Task.Delay(1);
        // The client subscribes, then reads the state (as the dashboard does), while the writer goes on.
        using var subscription = feed.Subscribe(capacity: Count);
        subscribed.SetResult();
        var resync = (await inner.ListStudyInstancesAsync("1.2.9", null, CancellationToken.None)).Select(i => i.SopInstanceUid).ToList();
        await writer;

        var events = new List<string>();
        while (subscription.Reader.TryRead(out var change)) events.Add(change.Id);
        Assert.Equal(0, subscription.Dropped);
        // Nothing falls between the two: every instance is in the read or arrived as an event, and the events are
        // every instance from some point on, in order.
        Assert.Empty(uids.Except(resync).Except(events));
        Assert.InRange(events.Count, 100, Count - 50);
        Assert.Equal(uids[^events.Count..], events);
    }
}
