using Conduit.Dicom;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary><c>conduit receive --uncompressed-only</c> (issue 3: like oxidicom's UNCOMPRESSED_ONLY) seen from <c>conduit send</c>.</summary>
[Collection(NetworkCollection.Name)]
public sealed class TransferSyntaxPolicyTests
{
    [Fact]
    public async Task An_uncompressed_only_receiver_stores_uncompressed_files_in_their_syntax_and_conduit_send_names_the_compressed_one_it_cannot_deliver()
    {
        string[] paths = ["ts-explicit-vr-le/CT_small.dcm", "ts-explicit-vr-be/rtdose_expb.dcm", "ts-implicit-vr-le/MR_small_implicit.dcm", "jpeg-baseline/JPEGBaseline_1s_1f_u_08_08.dcm"];
        var batch = Assert.Single(SampleBatches.Group(paths.Select(p => SampleBatches.Read(Dicom.Tests.Support.Samples.Get(p)))));
        using var receiver = await ReceiverProcess.StartAsync("--uncompressed-only");

        var send = await ConduitSend.SendBatchAsync(batch, receiver.Endpoint, ["--call", receiver.AeTitle]);

        Assert.True(send.Run.ExitCode == 3, send.Run.Output);
        var received = ReceivedFiles.Match(batch, receiver.ReceivedFiles());
        Assert.Empty(ConduitSendToPeersTests.SummaryProblems(send, received.Stored.Count));
        var jpeg = batch.Instances.Single(i => i.TransferSyntaxUid == DicomTransferSyntax.JPEGBaseline8Bit.Uid);
        Assert.False(received.Stored.ContainsKey(jpeg));
        Assert.NotNull(send.Summary.ReasonFor(jpeg));
        foreach (var instance in batch.Instances.Where(i => i != jpeg))
        {
            Assert.True(received.Stored.TryGetValue(instance, out var stored), $"{instance.Path}: {send.Summary.ReasonFor(instance)}\n{receiver.Stderr}");
            Assert.Equal(instance.TransferSyntaxUid, DicomFile.Open(stored, DicomReadOptions.HeaderOnly).TransferSyntax.Uid);
            Assert.Empty(DatasetComparer.CompareFiles(instance.FullPath, stored));
        }
    }
}
