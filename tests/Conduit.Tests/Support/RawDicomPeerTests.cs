using Conduit.Dicom;

namespace Conduit.Tests.Support;

/// <summary>
/// The raw peer's hand-built PDUs checked against dcmtk's storescp: if storescp negotiates, echoes, stores and
/// releases with them, a robustness test that sees Conduit refuse them points at Conduit, not at the peer.
/// </summary>
public sealed class RawDicomPeerTests
{
    [Fact]
    public async Task Storescp_accepts_the_raw_peers_association_echo_store_and_release()
    {
        using var work = new TempDirectory("raw-peer");
        using var scp = await DcmtkTools.StartStoreScpAsync(work.Sub("out"), ["--single-process", "-aet", "RAWTEST"]);
        var (dataset, instance) = GeneratedInstances.DatasetBytes();

        using var peer = await RawDicomPeer.ConnectAsync(scp.Port);
        var answer = await peer.AssociateAsync("RAWTEST");

        Assert.Equal(RawPduType.AssociateAc, answer?.Type);
        Assert.Equal(new Dictionary<byte, byte> { [1] = 0, [3] = 0 }, answer!.ContextResults());
        Assert.Equal((ushort)0x0000, await peer.EchoAsync(RawDicomPeer.Verification.Id, messageId: 7));
        // small fragments: the data set crosses several P-DATA-TF PDUs
        Assert.Equal((ushort)0x0000, await peer.StoreAsync(RawDicomPeer.CtStorage.Id, RawPdu.CtImageStorage, instance.SopInstanceUid, dataset, messageId: 8, fragment: 4000));
        Assert.True(await peer.ReleaseAsync());

        var stored = DicomFile.Open(Assert.Single(scp.ReceivedFiles()));
        Assert.Equal(instance.SopInstanceUid, stored.Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(instance.StudyUid, stored.Dataset.GetString(DicomTags.StudyInstanceUID));
    }

    [Fact]
    public async Task The_raw_peer_reads_the_association_reject_of_a_refusing_storescp()
    {
        // The A-ASSOCIATE-RJ reading, checked on a reject dcmtk builds (storescp --refuse): result 1 (permanent)
        // from the service user (PS3.8 §9.3.4, Table 9-21).
        using var work = new TempDirectory("raw-peer");
        using var scp = await DcmtkTools.StartStoreScpAsync(work.Sub("out"), ["--single-process", "-aet", "RAWTEST", "--refuse"]);

        using var peer = await RawDicomPeer.ConnectAsync(scp.Port);
        var answer = await peer.AssociateAsync("RAWTEST");

        Assert.Equal(RawPduType.AssociateRj, answer?.Type);
        Assert.Equal((byte)1, answer!.Rejection.Result);
        Assert.Equal((byte)1, answer.Rejection.Source);
    }
}
