using System.Collections.Concurrent;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Pdu;
using Conduit.Dicom.Network.Scp;
using Conduit.Dicom.Network.Tests.Support;
using static Conduit.Dicom.Network.Tests.Support.TestDicom;

namespace Conduit.Dicom.Network.Tests.Scp;

/// <summary>The C-STORE data path: what is stored, where, and what a bad instance is answered.</summary>
public class StoreScpTests
{
    private static DicomCommand Store(FakePeer peer, string sopInstance, byte[] dataset, ushort messageId = 1, int fragment = 16 * 1024)
    {
        peer.SendCommand(1, DicomCommand.CreateStoreRequest(messageId, CtImageStorage, sopInstance));
        peer.SendDataset(1, dataset, fragment);
        return peer.ReadCommand();
    }

    [Fact]
    public async Task AnInstanceIsStoredAsPart10AtTheStudySeriesInstancePath()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Associate(Request(calling: "MODALITY"));
        var dataset = Dataset("1.2.3.100", study: "1.2.3.4", series: "1.2.3.4.5", pixelBytes: 40_000);
        var rsp = Store(peer, "1.2.3.100", dataset, fragment: 5000);
        Assert.Equal(DicomStatus.Success, rsp.Status);
        Assert.Equal("1.2.3.100", rsp.AffectedSopInstanceUid);

        var path = Path.Combine(scp.Output, "1.2.3.4", "1.2.3.4.5", "1.2.3.100.dcm");
        var file = DicomFile.Open(path);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("MODALITY", file.Meta.GetString(DicomTags.SourceApplicationEntityTitle).Trim());
        Assert.Equal("1.2.3.100", file.Meta.GetString(DicomTags.MediaStorageSOPInstanceUID).TrimEnd('\0'));
        // The data set is stored byte for byte as it was sent.
        Assert.Equal(dataset, File.ReadAllBytes(path).AsSpan((int)file.DatasetOffset).ToArray());
        Assert.Empty(scp.IncomingFiles());
    }

    [Fact]
    public async Task StoppingTheReceiverDeletesTheTemporaryFilesItKeptReady()
    {
        var scp = new ScpFixture();
        try
        {
            using (var peer = scp.Connect())
            {
                peer.Associate(Request());
                Assert.Equal(DicomStatus.Success, Store(peer, "1.2.3.300", Dataset("1.2.3.300")).Status);
            }
            // The pool filled up when the receiver started; the instance took one of its files (refilled only once
            // half are taken, so one fewer, unless the rent came while the first fill was still running).
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (scp.AllIncomingFiles() < TempFilePool.DefaultTarget - 1 && DateTime.UtcNow < deadline) await Task.Delay(10);
            Assert.InRange(scp.AllIncomingFiles(), TempFilePool.DefaultTarget - 1, TempFilePool.DefaultTarget);
            Assert.Empty(scp.IncomingFiles());
            await scp.Scp.DisposeAsync();
            Assert.Equal(0, scp.AllIncomingFiles());
            Assert.Single(scp.StoredFiles());
        }
        finally
        {
            await scp.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(null, "1.2.3.4.5", "Study Instance UID")]
    [InlineData("1.2.3.4", null, "Series Instance UID")]
    [InlineData("not-a-uid", "1.2.3.4.5", "Study Instance UID")]
    public async Task AnInstanceMissingAKeyUidGetsAnErrorAndTheNextOneIsStored(string? study, string? series, string why)
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Associate(Request());
        var bad = Store(peer, "1.2.3.200", Dataset("1.2.3.200", study, series), messageId: 1);
        Assert.Equal(DicomStatusCategory.Failure, bad.Status.Category);
        Assert.Contains(why, bad.ErrorComment);
        var good = Store(peer, "1.2.3.201", Dataset("1.2.3.201"), messageId: 2);
        Assert.Equal(DicomStatus.Success, good.Status);
        Assert.Equal("1.2.3.201.dcm", Path.GetFileName(Assert.Single(scp.StoredFiles())));
        Assert.Empty(scp.IncomingFiles());
    }

    [Fact]
    public async Task ASopInstanceUidThatDiffersFromTheCommandIsRefused()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Associate(Request());
        var rsp = Store(peer, "1.2.3.300", Dataset("1.2.3.999"));
        Assert.Equal(DicomStatus.DatasetDoesNotMatchSopClass, rsp.Status);
        Assert.Contains("differs", rsp.ErrorComment);
        Assert.Empty(scp.StoredFiles());
        Assert.Empty(scp.IncomingFiles());
    }

    [Fact]
    public async Task AnUnparseableDataSetIsCannotUnderstand()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Associate(Request());
        var garbage = new byte[] { 0x08, 0x00, 0x18, 0x00, (byte)'U', (byte)'I', 0xFF, 0x7F, 1, 2, 3 }; // length runs past the end
        var rsp = Store(peer, "1.2.3.400", garbage);
        Assert.Equal(DicomStatus.CannotUnderstand, rsp.Status);
        Assert.Empty(scp.IncomingFiles());
    }

    /// <summary>
    /// Regression (robustness finding 1): a header-only check never saw a Pixel Data value overrunning the data. With a
    /// stored-instance handler the SCP reads the data set it hands on; without one, only the keys: both walk it all.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APixelDataValueOverrunningTheBytesSentIsRefusedAndTheNextInstanceStored(bool withHandler)
    {
        await using var scp = new ScpFixture(o => { if (withHandler) o.InstanceStoredHandler = new RecordingHandler(); });
        using var peer = scp.Connect();
        peer.Associate(Request());
        var dataset = Dataset("1.2.3.450", pixelBytes: 64);
        // Rewrite the Pixel Data length (the last element; explicit VR OW: 4-byte length 8 bytes before the value) to 4 GB.
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(dataset.AsSpan(dataset.Length - 64 - 4), 0xFFFFFFF0);
        var rsp = Store(peer, "1.2.3.450", dataset);
        Assert.Equal(DicomStatus.CannotUnderstand, rsp.Status);
        Assert.Empty(scp.StoredFiles());
        Assert.True(Store(peer, "1.2.3.451", Dataset("1.2.3.451"), messageId: 2).Status.IsSuccess);
        Assert.Empty(scp.IncomingFiles());
    }

    private sealed class SlowHandler(TimeSpan delay) : IInstanceStoredHandler
    {
        public async ValueTask OnInstanceStoredAsync(StoredInstance instance, CancellationToken cancellationToken) => await Task.Delay(delay, cancellationToken);
        public ValueTask OnAssociationClosedAsync(AssociationSummary association, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Regression (robustness finding 3): the idle clock ran while the receiver itself was busy (a slow fsync).</summary>
    [Fact]
    public async Task TheIdleClockDoesNotRunWhileTheReceiverWorksOnAnInstance()
    {
        await using var scp = new ScpFixture(o => { o.IdleTimeout = TimeSpan.FromMilliseconds(400); o.InstanceStoredHandler = new SlowHandler(TimeSpan.FromMilliseconds(1500)); });
        using var peer = scp.Connect();
        peer.Associate(Request());
        Assert.True(Store(peer, "1.2.3.460", Dataset("1.2.3.460")).Status.IsSuccess);
        peer.SendCommand(3, DicomCommand.CreateEchoRequest(2));
        Assert.True(peer.ReadCommand().Status.IsSuccess);
    }

    [Fact]
    public async Task ASecondInstanceWithTheSameUidOverwritesTheFirst()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Associate(Request());
        Assert.True(Store(peer, "1.2.3.500", Dataset("1.2.3.500", pixelBytes: 64), 1).Status.IsSuccess);
        Assert.True(Store(peer, "1.2.3.500", Dataset("1.2.3.500", pixelBytes: 128), 2).Status.IsSuccess);
        var file = DicomFile.Open(Assert.Single(scp.StoredFiles()));
        Assert.Equal(128, file.Dataset.GetBytes(new DicomTag(0x7FE00010)).Length);
    }

    [Fact]
    public async Task AnAbortInTheMiddleOfAnInstanceLeavesNoTemporaryFile()
    {
        var closed = new RecordingHandler();
        await using var scp = new ScpFixture(o => o.InstanceStoredHandler = closed);
        using var peer = scp.Connect();
        peer.Associate(Request());
        peer.SendCommand(1, DicomCommand.CreateStoreRequest(1, CtImageStorage, "1.2.3.600"));
        var dataset = Dataset("1.2.3.600", pixelBytes: 10_000);
        peer.Send(new DataTransferPdu([new PresentationDataValue(1, false, false, dataset.AsMemory(0, 5000))]));
        peer.Send(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified));
        var summary = await closed.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(AssociationEnd.AbortedByPeer, summary.End);
        Assert.Empty(scp.IncomingFiles());
        Assert.Empty(scp.StoredFiles());
    }

    private sealed class RecordingHandler(Exception? fail = null) : IInstanceStoredHandler
    {
        public ConcurrentQueue<StoredInstance> Stored { get; } = new();
        public TaskCompletionSource<AssociationSummary> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnInstanceStoredAsync(StoredInstance instance, CancellationToken cancellationToken)
        {
            // Called before the response: the file must already be in its final place.
            Assert.True(File.Exists(instance.FilePath));
            Stored.Enqueue(instance);
            return fail is null ? ValueTask.CompletedTask : ValueTask.FromException(fail);
        }

        public ValueTask OnAssociationClosedAsync(AssociationSummary association, CancellationToken cancellationToken)
        {
            Closed.TrySetResult(association);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task TheHandlerHearsOfEachStoredInstanceWithItsKeysAndOfTheAssociationsEnd()
    {
        var handler = new RecordingHandler();
        await using var scp = new ScpFixture(o => o.InstanceStoredHandler = handler);
        using var peer = scp.Connect();
        peer.Associate(Request(calling: "CT01"));
        Assert.True(Store(peer, "1.2.3.700", Dataset("1.2.3.700")).Status.IsSuccess);
        peer.Send(ReleaseRequestPdu.Instance);
        Assert.IsType<ReleaseResponsePdu>(peer.ReadPdu());
        peer.Dispose();

        var instance = Assert.Single(handler.Stored);
        Assert.Equal(("CT01", "CONDUIT", "PAT1", "CT"), (instance.CallingAeTitle, instance.CalledAeTitle, instance.PatientId, instance.Modality));
        Assert.Equal(("1.2.3.4", "1.2.3.4.5", "1.2.3.700", CtImageStorage), (instance.StudyInstanceUid, instance.SeriesInstanceUid, instance.SopInstanceUid, instance.SopClassUid));
        Assert.Equal(ExplicitLE, instance.TransferSyntaxUid);
        Assert.Equal(new FileInfo(instance.FilePath).Length, instance.FileSize);
        var summary = await handler.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((instance.AssociationId, 1, 0, AssociationEnd.Released), (summary.AssociationId, summary.InstancesStored, summary.InstancesFailed, summary.End));
    }

    private sealed class ClosingObserver(int expected) : IAssociationObserver
    {
        private int _closed;

        public TaskCompletionSource AllClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Opened(ActiveAssociation association) { }

        public void Closed(ActiveAssociation association)
        {
            if (Interlocked.Increment(ref _closed) == expected) AllClosed.TrySetResult();
        }
    }

    [Fact]
    public async Task EndedAssociationsAreRememberedNewestFirstWithTheirEchoesUpToTheLimit()
    {
        const int Associations = AssociationRegistry.KeptEnded + 2;
        var observer = new ClosingObserver(Associations);
        await using var scp = new ScpFixture(o => o.AssociationObserver = observer);
        for (var i = 0; i < Associations; i++)
        {
            using var peer = scp.Connect();
            peer.Associate(Request(calling: $"ECHO{i}", contexts: [new(1, DicomUids.Verification, [ImplicitLE])]));
            // The last one echoes twice, the others once; none stores anything.
            for (var echo = 0; echo < (i == Associations - 1 ? 2 : 1); echo++)
            {
                peer.SendCommand(1, DicomCommand.CreateEchoRequest((ushort)(echo + 1)));
                Assert.True(peer.ReadCommand().Status.IsSuccess);
            }
            peer.Send(ReleaseRequestPdu.Instance);
            Assert.IsType<ReleaseResponsePdu>(peer.ReadPdu());
        }
        await observer.AllClosed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var ended = scp.Scp.Associations.RecentlyEnded();
        Assert.Equal(Enumerable.Range(2, AssociationRegistry.KeptEnded).Reverse().Select(i => $"ECHO{i}"), ended.Select(a => a.CallingAeTitle));
        Assert.Equal([2, .. Enumerable.Repeat(1, AssociationRegistry.KeptEnded - 1)], ended.Select(a => a.EchoesAnswered));
        Assert.All(ended, a => Assert.Equal((0, 0), (a.InstancesStored, a.InstancesFailed)));
        Assert.All(ended, a => Assert.True(a.EndedAt >= a.StartedAt, $"{a}"));
        Assert.Equal(0, scp.Scp.Associations.Count);
    }

    [Fact]
    public async Task AHandlerThatThrowsMakesTheAnswerOutOfResources()
    {
        await using var scp = new ScpFixture(o => o.InstanceStoredHandler = new RecordingHandler(new InvalidOperationException("database down")));
        using var peer = scp.Connect();
        peer.Associate(Request());
        Assert.Equal(DicomStatus.OutOfResources, Store(peer, "1.2.3.800", Dataset("1.2.3.800")).Status);
    }

    private sealed class FlatLayout : IStorageLayout
    {
        public string GetRelativePath(in StorageKeys keys) => keys.CallingAeTitle + "-" + keys.SopInstanceUid + ".dcm";
    }

    private sealed class EscapingLayout : IStorageLayout
    {
        public string GetRelativePath(in StorageKeys keys) => Path.Combine("..", "escaped.dcm");
    }

    [Fact]
    public async Task ThePluggableLayoutDecidesThePathButCannotLeaveTheOutputDirectory()
    {
        await using (var scp = new ScpFixture(o => o.StorageLayout = new FlatLayout()))
        {
            using var peer = scp.Connect();
            peer.Associate(Request(calling: "MR1"));
            Assert.True(Store(peer, "1.2.3.900", Dataset("1.2.3.900")).Status.IsSuccess);
            Assert.True(File.Exists(Path.Combine(scp.Output, "MR1-1.2.3.900.dcm")));
        }
        await using (var scp = new ScpFixture(o => o.StorageLayout = new EscapingLayout()))
        {
            using var peer = scp.Connect();
            peer.Associate(Request());
            Assert.Equal(DicomStatusCategory.Failure, Store(peer, "1.2.3.901", Dataset("1.2.3.901")).Status.Category);
            Assert.False(File.Exists(Path.Combine(scp.Output, "..", "escaped.dcm")));
        }
    }

    [Fact]
    public async Task AStoreOnAContextOfAnotherSopClassIsRefusedAndTheAssociationGoesOn()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Associate(Request());
        peer.SendCommand(1, DicomCommand.CreateStoreRequest(1, SecondaryCapture, "1.2.3.950"));
        peer.SendDataset(1, Dataset("1.2.3.950", sopClass: SecondaryCapture));
        Assert.Equal(DicomStatus.DatasetDoesNotMatchSopClass, peer.ReadCommand().Status);
        Assert.True(Store(peer, "1.2.3.951", Dataset("1.2.3.951"), messageId: 2).Status.IsSuccess);
    }

    [Fact]
    public async Task APdvOnAContextThatWasNotAcceptedIsAborted()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Associate(Request(contexts: [new(1, CtImageStorage, [ExplicitLE]), new(3, "1.2.3.999.2", [ExplicitLE])]));
        peer.SendCommand(3, DicomCommand.CreateEchoRequest(1));
        Assert.IsType<AbortPdu>(peer.ReadPdu());
    }
}
