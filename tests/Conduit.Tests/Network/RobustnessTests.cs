using System.Globalization;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>
/// Issue 3, "Must show" 2, black-box against a <c>conduit receive</c> process: garbage bytes, truncated PDUs, 4 GB
/// declared lengths, idle and never-releasing peers, aborts in the middle of an instance. Each is cut off (abort,
/// reject or close), no exception escapes, memory stays bounded, nothing partial is left in the output tree, and a
/// dcmtk storescu transfer running at the same time stores every instance.
/// </summary>
public sealed class RobustnessTests
{
    private const int InstanceCount = 30;

    public static TheoryData<string> Cases => new(HostilePeers.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_peer_is_cut_off_while_a_storescu_transfer_beside_it_stores_every_instance(string hostile)
    {
        using var harness = await RobustnessHarness.StartAsync(InstanceCount);
        var storescu = harness.StartStoreScu();

        await harness.PlayWhileAsync(HostilePeers.All[hostile], storescu);

        harness.AssertStoreScuStoredEverything(await storescu);
        await harness.AssertServesNextPeerAsync();
        await harness.AssertOnlyCompletedInstancesAsync();
        harness.AssertAliveAndBounded();
    }

    [Fact]
    public async Task A_data_set_whose_pixel_data_overruns_the_bytes_sent_gets_a_failure_status_and_the_association_goes_on()
    {
        using var harness = await RobustnessHarness.StartAsync(InstanceCount);
        var storescu = harness.StartStoreScu();

        await harness.PlayWhileAsync(HostilePeers.HugeElementInstanceAsync, storescu);

        harness.AssertStoreScuStoredEverything(await storescu);
        await harness.AssertServesNextPeerAsync();
        await harness.AssertOnlyCompletedInstancesAsync();
        harness.AssertAliveAndBounded();
    }

    [Fact]
    public async Task Every_hostile_peer_at_once_leaves_a_concurrent_storescu_transfer_complete()
    {
        using var harness = await RobustnessHarness.StartAsync(InstanceCount * 2);
        var storescu = harness.StartStoreScu();

        // Each case loops in its own task until storescu is done (at least once), all of them at the same time.
        var players = HostilePeers.All.Values.Select(play => Task.Run(() => harness.PlayWhileAsync(play, storescu))).ToList();

        harness.AssertStoreScuStoredEverything(await storescu);
        await Task.WhenAll(players);
        await harness.AssertServesNextPeerAsync();
        await harness.AssertOnlyCompletedInstancesAsync();
        harness.AssertAliveAndBounded();
    }

    [Fact]
    public async Task Associations_beyond_the_maximum_are_rejected_and_storescu_succeeds_once_they_are_gone()
    {
        const int max = 4;
        using var harness = await RobustnessHarness.StartAsync(InstanceCount, "--max-associations", max.ToString(CultureInfo.InvariantCulture));
        var held = new List<RawDicomPeer>();
        try
        {
            for (var i = 0; i < max; i++)
            {
                held.Add(await HostilePeers.AssociatedPeerAsync(harness.Port));
            }

            // Beyond the limit, with hostile connections (garbage, half PDUs, lying lengths) opening at the same time:
            // each further association gets A-ASSOCIATE-RJ, source 3 (service provider, presentation related),
            // reason 2 "local-limit-exceeded" (PS3.8 §9.3.4, Table 9-21).
            var noise = Enumerable.Range(0, 12).Select(i => (i % 3) switch
            {
                0 => HostilePeers.GarbageAsync(harness.Port),
                1 => HostilePeers.TruncatedAssociateRqThenCloseAsync(harness.Port),
                _ => HostilePeers.HugeAssociateRqAsync(harness.Port),
            }).ToList();
            for (var i = 0; i < max; i++)
            {
                using var extra = await RawDicomPeer.ConnectAsync(harness.Port);
                var answer = await extra.AssociateAsync(HostilePeers.CalledAe);
                Assert.True(answer?.Type == RawPduType.AssociateRj, $"association {max + i + 1} of at most {max} was answered {answer?.ToString() ?? "by a close"}");
                Assert.Equal((byte)3, answer!.Rejection.Source);
                Assert.Equal((byte)2, answer.Rejection.Reason);
            }

            // The held associations end every way a peer can end one: release, A-ABORT, close, reset.
            Assert.True(await held[0].ReleaseAsync());
            await held[1].SendAsync(RawPdu.Abort());
            held[2].ShutdownSend();
            held[3].Reset();
            await Task.WhenAll(noise);
        }
        finally
        {
            held.ForEach(p => p.Dispose());
        }

        // "Once they are gone": the receiver has seen every one of them end when it accepts an association again.
        await WaitUntilAcceptingAsync(harness.Port);
        harness.AssertStoreScuStoredEverything(await harness.StartStoreScu());
        await harness.AssertServesNextPeerAsync();
        await harness.AssertOnlyCompletedInstancesAsync();
        harness.AssertAliveAndBounded();
    }

    [Fact]
    public async Task Silent_connections_beyond_the_association_limit_hold_no_association_slot()
    {
        const int max = 2;
        // A long idle timeout (and so ARTIM): the silent connections stay open through the whole test; that ARTIM
        // ends them is the theory's case "a connection that never sends a byte".
        using var harness = await RobustnessHarness.StartAsync(InstanceCount, idleTimeoutSeconds: 120, "--max-associations", max.ToString(CultureInfo.InvariantCulture));
        var silent = new List<RawDicomPeer>();
        try
        {
            for (var i = 0; i < 3 * max; i++)
            {
                silent.Add(await RawDicomPeer.ConnectAsync(harness.Port));
            }

            // Three times as many silent connections as associations allowed are open, and they are no associations:
            // a raw peer and a storescu transfer are served beside them.
            await harness.AssertServesNextPeerAsync();
            harness.AssertStoreScuStoredEverything(await harness.StartStoreScu());
        }
        finally
        {
            silent.ForEach(p => p.Dispose());
        }
        await harness.AssertOnlyCompletedInstancesAsync();
        harness.AssertAliveAndBounded();
    }

    private static async Task WaitUntilAcceptingAsync(int port)
    {
        var deadline = DateTime.UtcNow + HostilePeers.HandledWithin;
        while (true)
        {
            using var probe = await RawDicomPeer.ConnectAsync(port);
            var answer = await probe.AssociateAsync(HostilePeers.CalledAe);
            if (answer?.Type == RawPduType.AssociateAc)
            {
                Assert.True(await probe.ReleaseAsync());
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the receiver still refused associations {HostilePeers.HandledWithin} after every held one ended: {answer}");
            await Task.Delay(250);
        }
    }
}
