using System.Globalization;
using System.Text.RegularExpressions;
using Conduit.Dicom;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>
/// One robustness scenario: a <c>conduit receive</c> process, a few dozen generated instances and a dcmtk
/// <c>storescu</c> that sends them while hostile peers play, plus the checks every scenario ends with: the receiver is
/// alive, logged no escaped exception, kept its memory bounded, answers the next peer, and its output tree holds
/// exactly the instances that were completed, nothing partial.
/// </summary>
internal sealed partial class RobustnessHarness : IDisposable
{
    /// <summary>Issue 3: "peak RSS under 300 MB" — here after 4 GB declared lengths and many connections.</summary>
    public const long MemoryLimitBytes = 300L * 1000 * 1000;

    private static readonly TimeSpan StoreScuTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _work;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private readonly List<GeneratedInstance> _completed = [];
    private readonly List<string> _unfinished = [];
    private const int MaxRounds = 20;

    private RobustnessHarness(TempDirectory work, ReceiverProcess receiver, IReadOnlyList<GeneratedInstance> instances)
    {
        _work = work;
        Receiver = receiver;
        Instances = instances;
    }

    public ReceiverProcess Receiver { get; }

    /// <summary>What the storescu transfer sends.</summary>
    public IReadOnlyList<GeneratedInstance> Instances { get; }

    public int Port => Receiver.Port;

    /// <summary>Starts the receiver (<c>--aet ROBUST --idle-timeout 5</c> plus <paramref name="extraArgs"/>) and writes the instances.</summary>
    public static Task<RobustnessHarness> StartAsync(int instanceCount, params string[] extraArgs) =>
        StartAsync(instanceCount, HostilePeers.IdleTimeoutSeconds, extraArgs);

    public static async Task<RobustnessHarness> StartAsync(int instanceCount, int idleTimeoutSeconds, params string[] extraArgs)
    {
        var work = new TempDirectory("conduit-robust");
        try
        {
            var instances = GeneratedInstances.Write(work.Sub("send"), instanceCount);
            var receiver = await ReceiverProcess.StartAsync(
                ["--aet", HostilePeers.CalledAe, "--idle-timeout", idleTimeoutSeconds.ToString(CultureInfo.InvariantCulture), .. extraArgs]);
            return new RobustnessHarness(work, receiver, instances);
        }
        catch
        {
            work.Dispose();
            throw;
        }
    }

    /// <summary>Starts storescu (one association, every instance) now; the task ends with its run.</summary>
    public Task<ProcessRun> StartStoreScu()
    {
        string[] args = ["-aet", "STORESCU", "-aec", HostilePeers.CalledAe, "127.0.0.1", Port.ToString(CultureInfo.InvariantCulture), .. Instances.Select(i => i.Path)];
        var run = DcmtkTools.RunAsync("storescu", args, StoreScuTimeout, cancellationToken: _stop.Token);
        _background.Add(run);
        return run;
    }

    /// <summary>
    /// Plays a hostile peer at least once, and again for as long as <paramref name="storescu"/> runs (so that the two
    /// overlap), remembering what it left unfinished and what it stored.
    /// </summary>
    public async Task PlayWhileAsync(Func<int, Task<HostileOutcome>> play, Task storescu)
    {
        var rounds = 0;
        do
        {
            var outcome = await play(Port);
            lock (_unfinished)
            {
                _unfinished.AddRange(outcome.UnfinishedInstances);
                _completed.AddRange(outcome.Stored);
            }
        }
        while (!storescu.IsCompleted && ++rounds < MaxRounds);
    }

    /// <summary>storescu exited 0 and every instance it sent is in the output tree, complete and under its own UIDs.</summary>
    public void AssertStoreScuStoredEverything(ProcessRun run)
    {
        Assert.True(run.ExitCode == 0, $"storescu failed while hostile peers played:\n{run.Output}\n{Receiver.Output}");
        foreach (var instance in Instances)
        {
            var path = instance.StoredPath(Receiver.OutDir);
            Assert.True(File.Exists(path), $"{instance.SopInstanceUid} sent by storescu is not at {path}\n{Receiver.Output}");
            var stored = DicomFile.Open(path);
            Assert.Equal(instance.SopInstanceUid, stored.Dataset.GetString(DicomTags.SOPInstanceUID));
            Assert.Equal(DicomFile.Open(instance.Path).Dataset.GetBytes(DicomTags.PixelData).Length, stored.Dataset.GetBytes(DicomTags.PixelData).Length);
            lock (_unfinished) _completed.Add(instance);
        }
    }

    /// <summary>A fresh, well-behaved peer is served in full: association, C-ECHO, C-STORE (file in place), release.</summary>
    public async Task AssertServesNextPeerAsync()
    {
        using var peer = await HostilePeers.AssociatedPeerAsync(Port);
        Assert.Equal((ushort)0x0000, await peer.EchoAsync(RawDicomPeer.Verification.Id, messageId: 1));
        var (dataset, instance) = GeneratedInstances.DatasetBytes();
        var status = await peer.StoreAsync(RawDicomPeer.CtStorage.Id, RawPdu.CtImageStorage, instance.SopInstanceUid, dataset, messageId: 2);
        Assert.True(status == 0x0000, $"C-STORE of the next peer answered status {status:X4}\n{Receiver.Output}");
        Assert.True(File.Exists(instance.StoredPath(Receiver.OutDir)), $"the next peer's instance is not at {instance.StoredPath(Receiver.OutDir)}");
        Assert.True(await peer.ReleaseAsync(), "the next peer's A-RELEASE-RQ got no A-RELEASE-RP");
        lock (_unfinished) _completed.Add(instance);
    }

    /// <summary>Alive, no escaped exception in the log, VmHWM under the limit.</summary>
    public void AssertAliveAndBounded()
    {
        Assert.False(Receiver.HasExited, $"the receiver exited\n{Receiver.Output}");
        var stderr = Receiver.Stderr;
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        var frame = StackFrame().Match(stderr);
        Assert.False(frame.Success, $"the receiver's log holds an exception stack (\"{frame.Value.Trim()}\"): a hostile peer's failure should be one log line\n{stderr}");
        var peak = Receiver.PeakRssBytes;
        Assert.True(peak < MemoryLimitBytes, $"peak RSS (VmHWM) {peak / 1_000_000} MB is over {MemoryLimitBytes / 1_000_000} MB");
    }

    /// <summary>
    /// The output tree holds the completed instances and nothing else: no instance a hostile peer began and never
    /// finished, no temporary file left behind. Waits a little for the receiver to finish cleaning up aborted ones.
    /// </summary>
    public async Task AssertOnlyCompletedInstancesAsync()
    {
        HashSet<string> expected;
        List<string> unfinished;
        lock (_unfinished)
        {
            expected = _completed.Select(i => Path.GetFullPath(i.StoredPath(Receiver.OutDir))).ToHashSet(StringComparer.Ordinal);
            unfinished = [.. _unfinished];
        }
        var deadline = DateTime.UtcNow + SettleTimeout;
        List<string> extra;
        while (true)
        {
            // The receiver keeps empty temporary files ready (TempFilePool); named ones in .incoming holding bytes are leftovers.
            var files = Directory.EnumerateFiles(Receiver.OutDir, "*", SearchOption.AllDirectories).Select(Path.GetFullPath)
                .Where(f => !IsReadyTemporaryFile(f)).ToList();
            var leftovers = files.Where(f => unfinished.Any(uid => f.Contains(uid, StringComparison.Ordinal))).ToList();
            Assert.True(leftovers.Count == 0, $"files of instances a hostile peer never finished: {string.Join(", ", leftovers)}");
            // Unnamed temporary files (O_TMPFILE) have no name in the tree: one still open with bytes in it is an
            // abandoned instance's, once the hostile peers are gone (the ready ones are empty).
            var open = Conduit.Dicom.Network.Tests.Support.OpenTemporaryFiles.WithBytes(Receiver.Pid, Path.Combine(Receiver.OutDir, ".incoming"));
            var missing = expected.Except(files).ToList();
            Assert.True(missing.Count == 0, $"completed instances missing from the output tree: {string.Join(", ", missing)}");
            extra = files.Except(expected).ToList();
            if (open > 0) extra.Add($"{open} unnamed temporary file(s) holding bytes, still open in the receiver");
            if (extra.Count == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(200);
        }
        Assert.True(extra.Count == 0, $"files left in the output tree that are no completed instance: {string.Join(", ", extra)}");
    }

    private bool IsReadyTemporaryFile(string path) =>
        path.StartsWith(Path.Combine(Path.GetFullPath(Receiver.OutDir), ".incoming") + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        && new FileInfo(path).Length == 0;

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            Task.WaitAll([.. _background], TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // a storescu killed on cancellation; the test has already failed for its own reason
        }
        Receiver.Dispose();
        _work.Dispose();
        _stop.Dispose();
    }

    // "   at Namespace.Type.Method(...)": a .NET stack frame as printed by Exception.ToString()
    [GeneratedRegex(@"(?m)^\s+at [\w.`<>\[\],]+\(")]
    private static partial Regex StackFrame();
}
