using System.Globalization;

namespace Conduit.Tests.Network;

/// <summary>
/// Connections that open and never send a byte (slow-loris before the association). A class of its own so that its
/// 30 s ARTIM wait runs beside the other robustness tests rather than after them.
/// </summary>
public sealed class RobustnessArtimTests
{
    [Fact]
    public async Task Silent_connections_hold_no_association_slot_and_are_closed_by_the_artim_timer()
    {
        const int max = 2;
        using var harness = await RobustnessHarness.StartAsync(30, "--max-associations", max.ToString(CultureInfo.InvariantCulture));

        // Three times as many silent connections as associations allowed, all open before anyone else comes.
        var silent = Enumerable.Range(0, 3 * max).Select(_ => HostilePeers.SilentConnectionAsync(harness.Port)).ToList();
        await Task.Delay(500);

        // They are no associations: a storescu transfer and a raw peer are served while all of them are open.
        var storescu = harness.StartStoreScu();
        await harness.AssertServesNextPeerAsync();
        harness.AssertStoreScuStoredEverything(await storescu);

        await Task.WhenAll(silent); // each one asserts that the receiver closed it within ARTIM
        await harness.AssertOnlyCompletedInstancesAsync();
        harness.AssertAliveAndBounded();
    }
}
