using System.Collections.Concurrent;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Pdu;
using Conduit.Dicom.Network.Scp;
using Conduit.Dicom.Network.Tests.Support;
using static Conduit.Dicom.Network.Tests.Support.TestDicom;

namespace Conduit.Dicom.Network.Tests.Scp;

/// <summary>
/// An instance that fits the SCP's buffer is validated from memory and written once; a larger one spills to its
/// temporary file as it arrives. Both must end up byte for byte as sent, with the same checks.
/// </summary>
public class InstanceBufferingTests
{
    private const int Spilling = IncomingInstance.BufferSize * 3;

    private sealed class Handler : IInstanceStoredHandler
    {
        public ConcurrentQueue<(StoredInstance Instance, string? PatientId)> Stored { get; } = new();

        public ValueTask OnInstanceStoredAsync(StoredInstance instance, CancellationToken cancellationToken)
        {
            Stored.Enqueue((instance, instance.Dataset?.GetStringOrDefault(DicomTags.PatientID)?.Trim()));
            return ValueTask.CompletedTask;
        }

        public ValueTask OnAssociationClosedAsync(AssociationSummary association, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private static DicomCommand Store(FakePeer peer, string sopInstance, byte[] dataset, ushort messageId, int fragment)
    {
        peer.SendCommand(1, DicomCommand.CreateStoreRequest(messageId, CtImageStorage, sopInstance));
        peer.SendDataset(1, dataset, fragment);
        return peer.ReadCommand();
    }

    [Theory]
    [InlineData(512, 16 * 1024, false, true)]
    [InlineData(Spilling, 16 * 1024, false, true)]
    [InlineData(Spilling, 100_000, true, true)]
    [InlineData(IncomingInstance.BufferSize - 700, 4096, true, true)]
    [InlineData(512, 16 * 1024, true, false)]
    [InlineData(Spilling, 16 * 1024, true, false)]
    public async Task SmallAndSpilledInstancesAreStoredByteForByte(int pixelBytes, int fragment, bool durable, bool unnamed)
    {
        var handler = new Handler();
        await using var scp = new ScpFixture(o => { o.InstanceStoredHandler = handler; o.Durable = durable; o.UnnamedTemporaryFiles = unnamed; });
        using var peer = scp.Connect();
        peer.Associate(Request());
        var dataset = Dataset("1.2.3.900", pixelBytes: pixelBytes);
        Assert.True(Store(peer, "1.2.3.900", dataset, 1, fragment).Status.IsSuccess);

        var path = Assert.Single(scp.StoredFiles());
        var file = DicomFile.Open(path);
        Assert.Equal(dataset, File.ReadAllBytes(path).AsSpan((int)file.DatasetOffset).ToArray());
        Assert.Empty(scp.IncomingFiles());
        var (instance, patientId) = Assert.Single(handler.Stored);
        Assert.Equal(new FileInfo(path).Length, instance.FileSize);
        // The data set read for validation goes on to the handler when it was read from memory.
        var inMemory = new FileInfo(path).Length <= IncomingInstance.BufferSize;
        Assert.Equal(inMemory, instance.Dataset is not null);
        if (inMemory)
        {
            Assert.Equal("PAT1", patientId);
            // Binary values over 1 KiB are checked and left out of it: they stay in the file.
            Assert.Equal(pixelBytes <= 1024, instance.Dataset!.Contains(new DicomTag(0x7FE00010)));
        }
    }

    [Fact]
    public async Task ASpilledInstanceWhosePixelDataOverrunsTheBytesSentIsRefusedAndTheNextStored()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Associate(Request());
        var dataset = Dataset("1.2.3.910", pixelBytes: Spilling);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(dataset.AsSpan(dataset.Length - Spilling - 4), (uint)Spilling + 2);
        Assert.Equal(DicomStatus.CannotUnderstand, Store(peer, "1.2.3.910", dataset, 1, 16 * 1024).Status);
        Assert.True(Store(peer, "1.2.3.911", Dataset("1.2.3.911", pixelBytes: Spilling), 2, 16 * 1024).Status.IsSuccess);
        Assert.Single(scp.StoredFiles());
        Assert.Empty(scp.IncomingFiles());
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public async Task AnInstanceAbortedAfterItSpilledLeavesNoTemporaryFileAndTheNextAssociationStores(bool abortPdu, bool unnamed)
    {
        await using var scp = new ScpFixture(o => o.UnnamedTemporaryFiles = unnamed);
        using (var peer = scp.Connect())
        {
            peer.Associate(Request());
            peer.SendCommand(1, DicomCommand.CreateStoreRequest(1, CtImageStorage, "1.2.3.920"));
            // Three buffers' worth of a data set that never ends: the receiver has written most of it to its file.
            var dataset = Dataset("1.2.3.920", pixelBytes: Spilling);
            peer.Send(new DataTransferPdu([new PresentationDataValue(1, false, false, dataset.AsMemory(0, dataset.Length - 1000))]));
            if (abortPdu) peer.Send(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified));
        }
        // The association ends on its own thread, once it has read all that came: its temporary file must be gone then.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (scp.Scp.OpenConnections > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, scp.Scp.OpenConnections);
        Assert.Empty(scp.IncomingFiles());
        Assert.Empty(scp.StoredFiles());

        using var next = scp.Connect();
        next.Associate(Request());
        Assert.True(Store(next, "1.2.3.921", Dataset("1.2.3.921", pixelBytes: Spilling), 1, 16 * 1024).Status.IsSuccess);
        Assert.Single(scp.StoredFiles());
    }

    [Theory]
    [InlineData(512, true, true)]
    [InlineData(Spilling, true, false)]
    [InlineData(512, false, false)]
    [InlineData(Spilling, false, true)]
    public async Task AnInstanceSentAgainReplacesTheStoredFileAndSaysSo(int pixelBytes, bool unnamed, bool durable)
    {
        var handler = new Handler();
        await using var scp = new ScpFixture(o => { o.InstanceStoredHandler = handler; o.UnnamedTemporaryFiles = unnamed; o.Durable = durable; });
        using var peer = scp.Connect();
        peer.Associate(Request());
        var first = Dataset("1.2.3.930", pixelBytes: pixelBytes);
        var second = Dataset("1.2.3.930", pixelBytes: pixelBytes);
        second[^1] = 0x5A; // the last Pixel Data byte: the same instance, sent again with other bytes

        Assert.True(Store(peer, "1.2.3.930", first, 1, 16 * 1024).Status.IsSuccess);
        Assert.True(Store(peer, "1.2.3.930", second, 2, 16 * 1024).Status.IsSuccess);

        var path = Assert.Single(scp.StoredFiles());
        var file = DicomFile.Open(path);
        Assert.Equal(second, File.ReadAllBytes(path).AsSpan((int)file.DatasetOffset).ToArray());
        Assert.Equal([false, true], handler.Stored.Select(s => s.Instance.ReplacedExisting));
        // No temporary file holds bytes, and, with named ones, none is left behind in .incoming but the empty ones kept ready.
        Assert.Empty(scp.IncomingFiles());
    }
}
