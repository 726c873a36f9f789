using System.Threading.Channels;
using Conduit.Pipeline.Grouping;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Pipeline.Tests.Grouping;

public sealed class BatchCompletionLoopTests
{
    [Fact]
    public async Task The_loop_wakes_when_a_batch_falls_due_and_hands_it_over()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var tracker = new BatchTracker(time);
        var closed = Channel.CreateUnbounded<ClosedBatch>();
        var loop = new BatchCompletionLoop(tracker, (b, ct) => closed.Writer.WriteAsync(b, ct));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = loop.RunAsync(cts.Token);

        var key = new BatchKey(BatchScope.Series, "1.2.3", "flow");
        tracker.Add(key, new InstanceArrival("1.2.3.1", "1.2.3", null), CompletionRule.Default);
        // Let the loop see the arrival and arm its timer for the quiet time, then move the clock past it.
        while (time.GetUtcNow() < DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(11))
        {
            await Task.Delay(10, cts.Token);
            time.Advance(TimeSpan.FromSeconds(1));
            if (closed.Reader.TryPeek(out _)) break;
        }

        var batch = await closed.Reader.ReadAsync(cts.Token);
        Assert.Equal(key, batch.Key);
        Assert.Equal(BatchCloseReason.QuietTime, batch.Reason);
        Assert.True(batch.ClosedAt >= DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(10));

        // Cancellation is the way to stop it: the loop then returns without throwing.
        await cts.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(running.IsCompletedSuccessfully);
    }
}
