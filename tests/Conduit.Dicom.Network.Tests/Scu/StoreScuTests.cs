using System.Net;
using System.Net.Sockets;
using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Pdu;
using Conduit.Dicom.Network.Scu;
using Conduit.Dicom.Network.Tests.Support;

namespace Conduit.Dicom.Network.Tests.Scu;

public class StoreScuTests
{
    private static ScuOptions Options(int associations = 1) => new()
    {
        CalledAeTitle = "CONDUIT",
        Associations = associations,
        RetryDelay = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task FilesOfSeveralSyntaxesArriveByteForByteOverParallelAssociations()
    {
        var files = SampleSelection.Storable(s => true, 24);
        Assert.True(files.Count >= 10, $"only {files.Count} storable samples");
        await using var scp = new ScpFixture();
        var report = await StoreScu.SendAsync("127.0.0.1", scp.Port, files, Options(associations: 3));

        Assert.All(report.Results, r => Assert.True(r.Succeeded, $"{r.Path}: {r.FailureReason}"));
        var stored = scp.StoredFiles().ToDictionary(f => Path.GetFileNameWithoutExtension(f));
        foreach (var file in files)
        {
            var received = stored[SampleSelection.SopInstanceUid(file)];
            Assert.Equal(SampleSelection.DatasetBytes(file), SampleSelection.DatasetBytes(received));
        }
    }

    [Fact]
    public async Task AFileWhoseSyntaxIsRefusedIsConvertedToAnUncompressedOne()
    {
        var deflated = SampleSelection.Storable(s => s.TransferSyntaxUid == DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid, 1);
        Assert.NotEmpty(deflated);
        await using var scp = new ScpFixture(o => o.TransferSyntaxPolicy = TransferSyntaxPolicy.UncompressedOnly);
        var report = await StoreScu.SendAsync("127.0.0.1", scp.Port, deflated, Options());
        Assert.True(report.Results[0].Succeeded, report.Results[0].FailureReason);

        var received = DicomFile.Open(Assert.Single(scp.StoredFiles()));
        Assert.False(received.TransferSyntax.IsDeflated);
        using var expected = new MemoryStream();
        using var actual = new MemoryStream();
        DicomWriter.WriteDataset(expected, DicomFile.Open(deflated[0]).Dataset, received.TransferSyntax);
        DicomWriter.WriteDataset(actual, received.Dataset, received.TransferSyntax);
        Assert.Equal(expected.ToArray(), actual.ToArray());
    }

    /// <summary>Regression (interop finding F1): dcmtk-based peers abort on an odd PDV fragment ("Odd Fragment Length").</summary>
    [Theory]
    [InlineData("quirks/dx_image.dcm")]
    [InlineData("ts-deflated/image_dfl.dcm")]
    public async Task ADataSetOfOddLengthGoesOnTheWirePaddedToEvenLength(string sample)
    {
        var path = Conduit.Dicom.Tests.Support.Samples.Get(sample).FullPath;
        Assert.Equal(1, SampleSelection.DatasetBytes(path).Length & 1);
        await using var scp = new ScpFixture();
        var report = await StoreScu.SendAsync("127.0.0.1", scp.Port, [path], Options());
        Assert.True(report.Results[0].Succeeded, report.Results[0].FailureReason);
        var received = SampleSelection.DatasetBytes(Assert.Single(scp.StoredFiles()));
        Assert.Equal(0, received.Length & 1);
        Assert.Equal(SampleSelection.DatasetBytes(path).Length + 1, received.Length);
    }

    [Fact]
    public async Task ACompressedFileTheSyntaxOfWhichIsRefusedFailsWithAReason()
    {
        var jpeg = SampleSelection.Storable(s => s.TransferSyntaxUid == DicomTransferSyntax.JPEGBaseline8Bit.Uid, 1);
        Assert.NotEmpty(jpeg);
        await using var scp = new ScpFixture(o => o.TransferSyntaxPolicy = TransferSyntaxPolicy.UncompressedOnly);
        var report = await StoreScu.SendAsync("127.0.0.1", scp.Port, jpeg, Options());
        Assert.False(report.Results[0].Succeeded);
        Assert.Contains("transcode", report.Results[0].FailureReason);
        Assert.False(report.PeerUnreachable);
    }

    [Fact]
    public async Task NonDicomFilesFailWithAReasonAndTheRestIsSent()
    {
        var dir = TestDicom.TempDirectory();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "not DICOM at all, just some words");
            var good = SampleSelection.Storable(s => true, 1)[0];
            File.Copy(good, Path.Combine(dir, "sub-image.dcm"));
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            File.Copy(good, Path.Combine(dir, "sub", "again.dcm"));
            await using var scp = new ScpFixture();
            var files = StoreScu.ExpandPaths([dir]);
            Assert.Equal(3, files.Count);
            var report = await StoreScu.SendAsync("127.0.0.1", scp.Port, files, Options());
            Assert.Equal(2, report.Sent);
            var failed = Assert.Single(report.Results, r => !r.Succeeded);
            Assert.EndsWith("notes.txt", failed.Path);
            Assert.Contains("DICOM", failed.FailureReason);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The scan reads a file's first 16 KiB; a file whose elements up to SOP Instance UID do not fit there is read again
    /// from the file itself, and a file that is gone is reported as such.
    /// </summary>
    [Fact]
    public async Task AFileWithAHugeValueBeforeItsUidsAndAMissingFileAreScannedRight()
    {
        var dir = TestDicom.TempDirectory();
        try
        {
            // Language Code Sequence (0008,0006) precedes SOP Class UID (0008,0016): an item with 40 KB of text in it
            var item = new DicomDataset();
            item.AddOrUpdate(new DicomTag(0x0040A160), DicomVR.UT, new string('x', 40_000));
            var ds = DicomFile.Open(new MemoryStream(Part10("1.2.3.4.100"))).Dataset;
            ds.Add(new DicomSequence(new DicomTag(0x00080006)) { Items = { item } });
            var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
            var huge = Path.Combine(dir, "huge-head.dcm");
            new DicomFile(DicomFile.CreateFileMeta(TestDicom.CtImageStorage, "1.2.3.4.100", syntax), ds, syntax).Save(huge);
            Assert.True(new FileInfo(huge).Length > 40_000);
            var small = Path.Combine(dir, "small.dcm");
            await File.WriteAllBytesAsync(small, Part10("1.2.3.4.101"));
            var missing = Path.Combine(dir, "gone.dcm");

            await using var scp = new ScpFixture();
            var report = await StoreScu.SendAsync("127.0.0.1", scp.Port, [huge, missing, small], Options());

            Assert.True(report.Results[0].Succeeded, report.Results[0].FailureReason);
            Assert.Equal("1.2.3.4.100", report.Results[0].SopInstanceUid);
            Assert.Equal("no such file", report.Results[1].FailureReason);
            Assert.True(report.Results[2].Succeeded, report.Results[2].FailureReason);
            var stored = scp.StoredFiles().ToDictionary(f => Path.GetFileNameWithoutExtension(f));
            Assert.Equal(SampleSelection.DatasetBytes(huge), SampleSelection.DatasetBytes(stored["1.2.3.4.100"]));
            Assert.Equal(SampleSelection.DatasetBytes(small), SampleSelection.DatasetBytes(stored["1.2.3.4.101"]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static byte[] Part10(string sopInstanceUid)
    {
        using var stream = new MemoryStream();
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        DicomWriter.WriteFileMeta(stream, DicomFile.CreateFileMeta(TestDicom.CtImageStorage, sopInstanceUid, syntax));
        stream.Write(TestDicom.Dataset(sopInstanceUid));
        return stream.ToArray();
    }

    [Fact]
    public async Task AnUnreachablePeerIsReportedAsSuchAfterTheRetries()
    {
        int port;
        using (var probe = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var report = await StoreScu.SendAsync("127.0.0.1", port, SampleSelection.Storable(s => true, 2), Options());
        Assert.True(report.PeerUnreachable);
        Assert.Equal(0, report.Sent);
        Assert.Contains("cannot reach", report.NetworkError);
    }

    [Fact]
    public async Task APermanentRejectionIsNotRetriedAndSaysWhy()
    {
        await using var scp = new ScpFixture();
        var options = Options();
        options.CalledAeTitle = "NOT-IT";
        var report = await StoreScu.SendAsync("127.0.0.1", scp.Port, SampleSelection.Storable(s => true, 1), options);
        Assert.True(report.PeerUnreachable);
        Assert.Contains("called AE title not recognized", report.NetworkError);
    }

    [Fact]
    public async Task EchoScuReachesTheScp()
    {
        await using var scp = new ScpFixture();
        var elapsed = await EchoScu.EchoAsync("127.0.0.1", scp.Port, Options());
        Assert.True(elapsed > TimeSpan.Zero);
    }

    /// <summary>
    /// PS3.8 §9.2 release collision: the acceptor answers our A-RELEASE-RQ with its own. As requestor we must answer
    /// A-RELEASE-RP (AR-9, Sta9 → Sta11) and then take its A-RELEASE-RP (AR-3) and close.
    /// </summary>
    [Fact]
    public async Task AReleaseCollisionIsResolvedAsTheRequestor()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var script = Task.Run(() =>
        {
            using var peer = new FakePeer(listener.Accept());
            var rq = Assert.IsType<AssociateRequestPdu>(peer.ReadPdu());
            peer.Send(new AssociateAcceptPdu
            {
                CalledAeTitle = rq.CalledAeTitle,
                CallingAeTitle = rq.CallingAeTitle,
                PresentationContexts = [new(rq.PresentationContexts[0].Id, PresentationContextResult.Acceptance, DicomTransferSyntax.ImplicitVRLittleEndian.Uid)],
                UserInformation = new UserInformation { MaxPduLength = 16384 },
            });
            var echo = peer.ReadCommand();
            peer.SendCommand(rq.PresentationContexts[0].Id, DicomCommand.CreateResponse(echo, DicomStatus.Success));
            Assert.IsType<ReleaseRequestPdu>(peer.ReadPdu());
            peer.Send(ReleaseRequestPdu.Instance);                 // the collision
            var answer = peer.ReadPdu();
            peer.Send(ReleaseResponsePdu.Instance);
            return answer;
        });
        await EchoScu.EchoAsync("127.0.0.1", port, Options());
        Assert.IsType<ReleaseResponsePdu>(await script.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AnAbortWhileAFileIsInFlightFailsThatFileAndTheOthersGoOn()
    {
        var files = SampleSelection.Storable(s => true, 3);
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var aborted = false;
        var script = Task.Run(() =>
        {
            var answered = 0;
            while (answered < files.Count - 1)
            {
                using var peer = new FakePeer(listener.Accept());
                var rq = Assert.IsType<AssociateRequestPdu>(peer.ReadPdu());
                peer.Send(new AssociateAcceptPdu
                {
                    PresentationContexts = rq.PresentationContexts.Select(c => new PresentationContextAccept(c.Id, PresentationContextResult.Acceptance, c.TransferSyntaxes[0])).ToList(),
                    UserInformation = new UserInformation { MaxPduLength = 16384 },
                });
                while (peer.Read() is DicomCommand store)
                {
                    if (!aborted)
                    {
                        aborted = true; // the first file of the first association is "refused" by aborting
                        peer.Send(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified));
                        break;
                    }
                    peer.SendCommand(1, DicomCommand.CreateResponse(store, DicomStatus.Success));
                    answered++;
                }
            }
        });
        var report = await StoreScu.SendAsync("127.0.0.1", port, files, Options());
        await script.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(files.Count - 1, report.Sent);
        Assert.Contains("aborted", Assert.Single(report.Results, r => !r.Succeeded).FailureReason);
    }
}
