using System.Text;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>
/// The broken and hostile peers of issue 3, "Must show" 2, each played once against a receiver on
/// <c>port</c> with called AE <see cref="CalledAe"/>. Each one asserts how the receiver must handle it: a broken
/// connection is ended (by an A-ABORT, an A-ASSOCIATE-RJ or a close) within <see cref="HandledWithin"/> and never
/// answered as if nothing were wrong; a bad instance on a sound association gets a failure status and the association
/// goes on. The receiver under test runs with <c>--idle-timeout</c> <see cref="IdleTimeoutSeconds"/>.
/// </summary>
internal static class HostilePeers
{
    public const string CalledAe = "ROBUST";
    /// <summary>
    /// Short, so that idle peers are cut off quickly, but not so short that the legitimate storescu beside them is:
    /// with 2 s, a full test run (load average ~30 on 2 cores, fsync behind other agents' builds) once left storescu's
    /// association without a PDU for 2 s and the receiver aborted it.
    /// </summary>
    public const int IdleTimeoutSeconds = 5;

    /// <summary>How long a receiver may take to end a broken connection: the idle timeout plus a wide margin for 2 busy cores.</summary>
    public static readonly TimeSpan HandledWithin = TimeSpan.FromSeconds(IdleTimeoutSeconds + 15);


    // Sent after a lying header, far more than the kernel's socket buffers hold on loopback (a few MB): a receiver
    // that takes all of it has read on into the body instead of refusing the length.
    private const int StreamedBytes = 64 << 20;

    /// <summary>Every case by name, for theories and for the all-at-once test.</summary>
    public static readonly IReadOnlyDictionary<string, Func<int, Task<HostileOutcome>>> All = new Dictionary<string, Func<int, Task<HostileOutcome>>>
    {
        ["garbage bytes instead of a PDU"] = GarbageAsync,
        ["an A-ASSOCIATE-RQ whose items are garbage"] = GarbageAssociateRqAsync,
        ["half an A-ASSOCIATE-RQ, then a close"] = TruncatedAssociateRqThenCloseAsync,
        ["half a P-DATA-TF, then a close"] = TruncatedPDataThenCloseAsync,
        ["an A-ASSOCIATE-RQ header declaring 4 GB"] = HugeAssociateRqAsync,
        ["a P-DATA-TF header declaring 4 GB"] = HugePDataAsync,
        ["a PDV item declaring 4 GB inside a small P-DATA-TF"] = HugePdvItemAsync,
        ["a command set that never ends"] = EndlessCommandSetAsync,
        ["a connection that never sends a byte"] = SilentConnectionAsync,
        ["an association that never releases"] = NeverReleasingAssociationAsync,
        ["a PDU that stops halfway and stalls"] = StalledPduAsync,
        ["an A-ABORT in the middle of an instance"] = peer => AbortMidInstanceAsync(peer, AbortStyle.AbortPdu),
        ["a socket closed in the middle of an instance"] = peer => AbortMidInstanceAsync(peer, AbortStyle.Close),
        ["a socket reset in the middle of an instance"] = peer => AbortMidInstanceAsync(peer, AbortStyle.Reset),
    };

    public enum AbortStyle { AbortPdu, Close, Reset }

    public static async Task<HostileOutcome> GarbageAsync(int port)
    {
        using var peer = await RawDicomPeer.ConnectAsync(port);
        // An HTTP request (first byte 'G' = 47H, no PDU type: PS3.8 §9.3.1) followed by random bytes
        var garbage = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: conduit\r\n\r\n").Concat(RandomBytes(4096, seed: 1)).ToArray();
        await peer.TrySendAsync(garbage);
        await AssertEndedAsync(peer, "garbage bytes");
        return HostileOutcome.Nothing;
    }

    public static async Task<HostileOutcome> GarbageAssociateRqAsync(int port)
    {
        using var peer = await RawDicomPeer.ConnectAsync(port);
        // A plausible PDU header (type 01H, 300 bytes) whose fixed fields and items are random
        await peer.TrySendAsync(RawPdu.Pdu(RawPduType.AssociateRq, RandomBytes(300, seed: 2)));
        await AssertEndedAsync(peer, "an A-ASSOCIATE-RQ of garbage");
        return HostileOutcome.Nothing;
    }

    public static async Task<HostileOutcome> TruncatedAssociateRqThenCloseAsync(int port)
    {
        var request = RawPdu.AssociateRq(CalledAe, RawDicomPeer.CallingAe, [RawDicomPeer.Verification]);
        using var peer = await RawDicomPeer.ConnectAsync(port);
        await peer.TrySendAsync(request.AsMemory(0, request.Length / 2));
        peer.ShutdownSend();
        await AssertEndedAsync(peer, "a truncated A-ASSOCIATE-RQ followed by a half-close");
        return HostileOutcome.Nothing;
    }

    public static async Task<HostileOutcome> TruncatedPDataThenCloseAsync(int port)
    {
        using var peer = await AssociatedPeerAsync(port);
        var (dataset, instance) = GeneratedInstances.DatasetBytes();
        await peer.SendAsync(RawPdu.PData(RawDicomPeer.CtStorage.Id, command: true, last: true, RawDimse.StoreRq(1, RawPdu.CtImageStorage, instance.SopInstanceUid)));
        var pdata = RawPdu.PData(RawDicomPeer.CtStorage.Id, command: false, last: true, dataset);
        await peer.TrySendAsync(pdata.AsMemory(0, pdata.Length / 2));
        peer.ShutdownSend();
        await AssertEndedAsync(peer, "a truncated P-DATA-TF followed by a half-close");
        return new HostileOutcome([instance.SopInstanceUid]);
    }

    public static async Task<HostileOutcome> HugeAssociateRqAsync(int port)
    {
        using var peer = await RawDicomPeer.ConnectAsync(port);
        await peer.TrySendAsync(RawPdu.Header(RawPduType.AssociateRq, 0xFFFFFFFF));
        await StreamZerosAsync(peer, "an A-ASSOCIATE-RQ");
        await AssertEndedAsync(peer, "an A-ASSOCIATE-RQ declaring 0xFFFFFFFF bytes");
        return HostileOutcome.Nothing;
    }

    public static async Task<HostileOutcome> HugePDataAsync(int port)
    {
        using var peer = await AssociatedPeerAsync(port);
        await peer.TrySendAsync(RawPdu.Header(RawPduType.PDataTf, 0xFFFFFFFF));
        await StreamZerosAsync(peer, "a P-DATA-TF");
        await AssertEndedAsync(peer, "a P-DATA-TF declaring 0xFFFFFFFF bytes");
        return HostileOutcome.Nothing;
    }

    public static async Task<HostileOutcome> HugePdvItemAsync(int port)
    {
        using var peer = await AssociatedPeerAsync(port);
        // PS3.8 §9.3.5.1: the PDV item length must fit inside its PDU; here it claims 4 GB inside a 1 KB PDU
        var body = new byte[1024];
        body[0] = body[1] = body[2] = body[3] = 0xFF;
        body[4] = RawDicomPeer.CtStorage.Id;
        body[5] = 0x01;
        await peer.TrySendAsync(RawPdu.Pdu(RawPduType.PDataTf, body));
        await AssertEndedAsync(peer, "a PDV item declaring 0xFFFFFFFF bytes");
        return HostileOutcome.Nothing;
    }

    public static async Task<HostileOutcome> EndlessCommandSetAsync(int port)
    {
        using var peer = await AssociatedPeerAsync(port);
        // Command fragments (PS3.8 Annex E: control header bit 0 set, bit 1 clear) that never reach their last one:
        // a command set is a few hundred bytes, so a receiver must cap what it gathers of one.
        var fragment = new byte[16 * 1024];
        using var cts = new CancellationTokenSource(HandledWithin);
        try
        {
            for (var sent = 0; sent < StreamedBytes; sent += fragment.Length)
            {
                if (!await peer.TrySendAsync(RawPdu.PData(RawDicomPeer.CtStorage.Id, command: true, last: false, fragment), cts.Token))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopped reading: AssertEndedAsync decides
        }
        await AssertEndedAsync(peer, "a command set streamed without end");
        return HostileOutcome.Nothing;
    }

    /// <summary>
    /// A C-STORE whose data set ends in Pixel Data declaring 0xFFFFFFF0 bytes of which 100 come: a bad instance, not a
    /// bad association (not in <see cref="All"/>: it has a test of its own). It gets a failure status, is not stored, and the same association stores the next instance.
    /// </summary>
    public static async Task<HostileOutcome> HugeElementInstanceAsync(int port)
    {
        using var peer = await AssociatedPeerAsync(port);
        var (header, bad) = GeneratedInstances.DatasetBytes(withPixelData: false);
        // (7FE0,0010) OB, 2 reserved bytes, 4-byte length (PS3.5 §7.1.2)
        byte[] pixelData = [0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xF0, 0xFF, 0xFF, 0xFF, .. new byte[100]];
        var status = await peer.StoreAsync(RawDicomPeer.CtStorage.Id, RawPdu.CtImageStorage, bad.SopInstanceUid, [.. header, .. pixelData], messageId: 1);
        // PS3.7 Annex C: failures are A7xx (out of resources), A9xx (data set does not match SOP class), Cxxx (cannot understand)
        Assert.True((status & 0xF000) is 0xA000 or 0xC000, $"a data set with a 4 GB element was answered {status:X4}, not a failure");

        var (dataset, good) = GeneratedInstances.DatasetBytes();
        Assert.Equal((ushort)0x0000, await peer.StoreAsync(RawDicomPeer.CtStorage.Id, RawPdu.CtImageStorage, good.SopInstanceUid, dataset, messageId: 2));
        Assert.True(await peer.ReleaseAsync(), "no A-RELEASE-RP after a refused instance");
        return new HostileOutcome([bad.SopInstanceUid], [good]);
    }

    /// <summary>
    /// A connection that never sends a byte, ended by the ARTIM timer (PS3.8 §9.1.5: the wait for the A-ASSOCIATE-RQ),
    /// which a short <c>--idle-timeout</c> shortens too (robustness-findings.md #2).
    /// </summary>
    public static async Task<HostileOutcome> SilentConnectionAsync(int port)
    {
        using var peer = await RawDicomPeer.ConnectAsync(port);
        await AssertEndedAsync(peer, "a connection that never sent an A-ASSOCIATE-RQ (ARTIM, PS3.8 §9.1.5)");
        return HostileOutcome.Nothing;
    }

    public static async Task<HostileOutcome> NeverReleasingAssociationAsync(int port)
    {
        using var peer = await AssociatedPeerAsync(port);
        Assert.Equal((ushort)0x0000, await peer.EchoAsync());
        await AssertEndedAsync(peer, "an idle association that never released");
        return HostileOutcome.Nothing;
    }

    public static async Task<HostileOutcome> StalledPduAsync(int port)
    {
        using var peer = await AssociatedPeerAsync(port);
        var (dataset, instance) = GeneratedInstances.DatasetBytes();
        await peer.SendAsync(RawPdu.PData(RawDicomPeer.CtStorage.Id, command: true, last: true, RawDimse.StoreRq(1, RawPdu.CtImageStorage, instance.SopInstanceUid)));
        var pdata = RawPdu.PData(RawDicomPeer.CtStorage.Id, command: false, last: true, dataset);
        await peer.SendAsync(pdata.AsMemory(0, 100)); // then nothing: a slow-loris sender
        await AssertEndedAsync(peer, "a P-DATA-TF that stalled after 100 bytes");
        return new HostileOutcome([instance.SopInstanceUid]);
    }

    public static async Task<HostileOutcome> AbortMidInstanceAsync(int port, AbortStyle style)
    {
        var peer = await AssociatedPeerAsync(port);
        // Larger than the receiver's in-memory buffer (128 KiB), so most of it is in a temporary file when it stops.
        var (dataset, instance) = GeneratedInstances.DatasetBytes(paddingBytes: 300 * 1024);
        try
        {
            await peer.SendAsync(RawPdu.PData(RawDicomPeer.CtStorage.Id, command: true, last: true, RawDimse.StoreRq(1, RawPdu.CtImageStorage, instance.SopInstanceUid)));
            // all but the last 16 bytes of the data set, in fragments of 16 KiB, the last fragment never sent
            const int fragment = 16 * 1024;
            for (var offset = 0; offset < dataset.Length - 16; offset += fragment)
                await peer.SendAsync(RawPdu.PData(RawDicomPeer.CtStorage.Id, command: false, last: false, dataset.AsSpan(offset, Math.Min(fragment, dataset.Length - 16 - offset))));
            switch (style)
            {
                case AbortStyle.AbortPdu:
                    await peer.SendAsync(RawPdu.Abort());
                    // PS3.8 §9.2, AA-3: on an A-ABORT the acceptor closes the transport connection
                    await AssertEndedAsync(peer, "an A-ABORT in the middle of a C-STORE");
                    break;
                case AbortStyle.Close:
                    peer.ShutdownSend();
                    await AssertEndedAsync(peer, "a half-close in the middle of a C-STORE");
                    break;
                case AbortStyle.Reset:
                    peer.Reset();
                    break;
            }
        }
        finally
        {
            peer.Dispose();
        }
        return new HostileOutcome([instance.SopInstanceUid]);
    }

    /// <summary>A peer with an accepted association (Verification and CT Image Storage in Explicit VR LE).</summary>
    public static async Task<RawDicomPeer> AssociatedPeerAsync(int port)
    {
        var peer = await RawDicomPeer.ConnectAsync(port);
        try
        {
            var answer = await peer.AssociateAsync(CalledAe);
            Assert.True(answer?.Type == RawPduType.AssociateAc, $"the receiver answered the A-ASSOCIATE-RQ with {answer?.ToString() ?? "a close"}");
            Assert.Equal(0, answer!.ContextResults()[RawDicomPeer.CtStorage.Id]);
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>The receiver must end the connection: only an A-ABORT or A-ASSOCIATE-RJ may come before the close.</summary>
    private static async Task AssertEndedAsync(RawDicomPeer peer, string what)
    {
        IReadOnlyList<ReceivedPdu> received;
        try
        {
            received = await peer.ReadUntilClosedAsync(HandledWithin);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"after {what}, the receiver kept the connection open: {e.Message}");
            return;
        }
        var unexpected = received.Where(p => p.Type is not (RawPduType.Abort or RawPduType.AssociateRj)).ToList();
        Assert.True(unexpected.Count == 0, $"after {what}, the receiver answered {string.Join(", ", unexpected)} before closing");
    }

    /// <summary>
    /// Streams zeros after a header declaring 0xFFFFFFFF bytes until the receiver closes or stops reading; fails when
    /// it takes all <see cref="StreamedBytes"/>, i.e. trusted the length (PS3.8 §9.3.1 gives PDU lengths as read, a
    /// receiver must check them against its limit before reading the body).
    /// </summary>
    private static async Task StreamZerosAsync(RawDicomPeer peer, string pdu)
    {
        var chunk = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(HandledWithin);
        try
        {
            for (var sent = 0; sent < StreamedBytes; sent += chunk.Length)
            {
                if (!await peer.TrySendAsync(chunk, cts.Token))
                {
                    return; // closed or reset: refused, as it should be
                }
            }
        }
        catch (OperationCanceledException)
        {
            return; // the receiver stopped reading (its window is full): AssertEndedAsync decides whether it also closed
        }
        Assert.Fail($"the receiver read on past {StreamedBytes >> 20} MB into {pdu} declaring 0xFFFFFFFF bytes instead of refusing the length");
    }

    /// <summary>The same garbage on every run, so that a failure can be replayed.</summary>
    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
