using Conduit.Dicom;
using Conduit.Tests.Support;
using Xunit.Abstractions;

namespace Conduit.Tests.Network;

/// <summary><c>conduit send</c> delivers the corpus to the peers hospitals run: dcmtk's storescp and Orthanc.</summary>
[Collection(NetworkCollection.Name)]
public sealed class ConduitSendToPeersTests(DcmtkBaselineFixture dcmtk, ITestOutputHelper output)
{
    // Interop finding F1 (fixed): odd-length data sets used to go out as odd PDV fragments, which dcmtk-based peers
    // abort ("DIMSE: Odd Fragment Length"); conduit send now pads them to even length as storescu does.

    /// <summary>
    /// Data sets whose encoding has odd length on the wire (an odd-length Pixel Data value; a deflated stream of odd
    /// length). Tested on their own below (regression test for F1), and left out of the corpus runs.
    /// </summary>
    internal static readonly string[] OddLengthOnTheWire = ["quirks/dx_image.dcm", "ts-deflated/image_dfl.dcm"];

    private static IEnumerable<SampleBatch> BatchesWithoutOddLength() =>
        SampleBatches.Batches.Select(b => b with { Instances = b.Instances.Where(i => !OddLengthOnTheWire.Contains(i.Path)).ToList() });

    [Fact]
    public async Task Conduit_send_moves_data_sets_of_odd_length_to_storescp_and_orthanc()
    {
        var batch = Assert.Single(SampleBatches.Group(OddLengthOnTheWire.Select(p => SampleBatches.Read(Dicom.Tests.Support.Samples.Get(p)))));
        using var work = new TempDirectory("conduit-odd-length");
        using var scp = await DcmtkTools.StartStoreScpAsync(work.Sub("out"), ["+B"]);
        using var orthanc = await OrthancServer.StartAsync();

        var toStorescp = await ConduitSend.SendBatchAsync(batch, scp.Endpoint);
        var toOrthanc = await ConduitSend.SendBatchAsync(batch, orthanc.DicomEndpoint, ["--call", orthanc.AeTitle]);

        Assert.True(toStorescp.Run.ExitCode == 0, toStorescp.Run.Output);
        Assert.True(toOrthanc.Run.ExitCode == 0, toOrthanc.Run.Output);
        var received = ReceivedFiles.Match(batch, scp.ReceivedFiles());
        foreach (var instance in batch.Instances)
        {
            Assert.True(received.Stored.TryGetValue(instance, out var stored), $"{instance.Path} not at storescp\n{scp.Output}");
            var differences = DatasetComparer.CompareFiles(instance.FullPath, stored, new DatasetComparison { AllowEvenPadding = true });
            Assert.True(differences.Count == 0, $"{instance.Path}: {string.Join("; ", differences)}");
        }
        Assert.Equal(batch.Instances.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal), (await orthanc.ListSopInstanceUidsAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Conduit_send_delivers_every_batch_to_storescp_with_each_data_set_unchanged()
    {
        var baseline = dcmtk.Baseline; // the same batches, storescu to storescp
        using var work = new TempDirectory("conduit-to-storescp");
        var problems = new List<string>();
        var failed = new List<string>();
        var moved = 0;
        output.WriteLine($"left out of the corpus run, tested on their own (F1 regression): {string.Join(", ", OddLengthOnTheWire)}");

        foreach (var batch in BatchesWithoutOddLength())
        {
            // Bit-preserving, so the copy is what Conduit put on the wire, not storescp's re-encoding of it.
            using var scp = await DcmtkTools.StartStoreScpAsync(work.Sub($"batch{batch.Number}"), ["+B"]);
            var send = await ConduitSend.SendBatchAsync(batch, scp.Endpoint, ["--call", "STORESCP"]);
            var received = ReceivedFiles.Match(batch, scp.ReceivedFiles());
            problems.AddRange(SummaryProblems(send, received.Stored.Count));
            problems.AddRange(received.Unexpected);

            foreach (var instance in batch.Instances)
            {
                var reason = send.Summary.ReasonFor(instance);
                if (!received.Stored.TryGetValue(instance, out var stored))
                {
                    if (reason is null)
                        problems.Add($"{instance.Path}: not at storescp, and conduit send printed no 'failed:' line for it");
                    else if (baseline.Moved.ContainsKey(instance))
                        problems.Add($"{instance.Path} [{instance.TransferSyntaxUid}]: dcmtk moves it to storescp, conduit send failed: {reason}");
                    else
                        failed.Add($"  {instance.Path} [{instance.TransferSyntaxUid}]: {reason}");
                    continue;
                }
                moved++;
                if (reason is not null) problems.Add($"{instance.Path}: stored at storescp, yet reported 'failed: {reason}'");
                var differences = CompareSent(instance, stored);
                if (differences.Count > 0)
                    problems.Add($"{instance.Path} [{instance.TransferSyntaxUid}]: data set at storescp differs: {string.Join("; ", differences)}");
            }
        }

        var offered = BatchesWithoutOddLength().Sum(b => b.Instances.Count);
        output.WriteLine($"conduit send -> storescp: {moved} of {offered} offered; storescu -> storescp: {baseline.Moved.Count} of {SampleBatches.Sendable.Count}");
        output.WriteLine($"failed, named with a reason ({failed.Count}):\n{string.Join("\n", failed)}");
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n{string.Join("\n", problems)}");
        var dcmtkComparable = baseline.Moved.Keys.Count(i => !OddLengthOnTheWire.Contains(i.Path));
        Assert.True(moved >= dcmtkComparable, $"conduit send moved {moved} to storescp, storescu {dcmtkComparable}");
    }

    [Fact]
    public async Task Conduit_send_delivers_every_batch_to_orthanc_and_its_rest_api_lists_every_sop_instance_uid()
    {
        // Orthanc refuses some instances storescp takes (it requires PatientID, Study and Series UIDs), so the measure
        // here is storescu to the same Orthanc, batch by batch, in this test.
        using var orthanc = await OrthancServer.StartAsync();
        using var work = new TempDirectory("conduit-to-orthanc");
        var problems = new List<string>();
        var failed = new List<string>();
        int moved = 0, movedByDcmtk = 0, offered = 0;
        var unreadableByDcmtk = new List<string>();
        output.WriteLine($"left out of the corpus run, tested on their own (F1 regression): {string.Join(", ", OddLengthOnTheWire)}");

        foreach (var batch in BatchesWithoutOddLength())
        {
            await orthanc.ClearAsync();
            var dcmtkRun = await StoreScu.SendBatchAsync(batch, "127.0.0.1", orthanc.DicomPort, work, ["-aec", orthanc.AeTitle]);
            var listedAfterDcmtk = (await orthanc.ListSopInstanceUidsAsync()).ToHashSet(StringComparer.Ordinal);
            movedByDcmtk += listedAfterDcmtk.Count;
            await orthanc.ClearAsync();

            // Orthanc parses with dcmtk: a file dcmtk cannot read costs 30 s (Orthanc's DIMSE timeout) before Orthanc
            // aborts. Those are left out here, listed; conduit send's own handling of them is tested against storescp.
            var unreadable = dcmtkRun.Failures.Where(f => f.Reason.Contains("missing SOP class (or instance)", StringComparison.Ordinal)).Select(f => f.Instance).ToHashSet();
            unreadableByDcmtk.AddRange(unreadable.Select(i => i.Path));
            var send = await ConduitSend.SendBatchAsync(batch with { Instances = batch.Instances.Except(unreadable).ToList() }, orthanc.DicomEndpoint, ["--call", orthanc.AeTitle]);
            offered += send.Batch.Instances.Count;
            var listed = (await orthanc.ListSopInstanceUidsAsync()).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(SummaryProblems(send, listed.Count));

            foreach (var instance in send.Batch.Instances)
            {
                var reason = send.Summary.ReasonFor(instance);
                var stored = listed.Contains(instance.SopInstanceUid!);
                if (stored) moved++;
                if (stored && reason is not null)
                    problems.Add($"{instance.Path}: listed by Orthanc, yet reported 'failed: {reason}'");
                else if (!stored && reason is null)
                    problems.Add($"{instance.Path}: reported sent, but Orthanc does not list {instance.SopInstanceUid}");
                else if (!stored && listedAfterDcmtk.Contains(instance.SopInstanceUid!))
                    problems.Add($"{instance.Path} [{instance.TransferSyntaxUid}]: storescu moves it to Orthanc, conduit send failed: {reason}");
                else if (!stored)
                    failed.Add($"  {instance.Path} [{instance.TransferSyntaxUid}]: {reason}");
            }
        }

        output.WriteLine($"conduit send -> Orthanc: {moved} of {offered} offered; storescu -> Orthanc: {movedByDcmtk}");
        output.WriteLine($"left out, dcmtk cannot read them: {string.Join(", ", unreadableByDcmtk)}");
        output.WriteLine($"failed, named with a reason ({failed.Count}):\n{string.Join("\n", failed)}");
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n{string.Join("\n", problems)}\n\nOrthanc log:\n{orthanc.Output}");
        Assert.True(moved >= movedByDcmtk, $"conduit send moved {moved} to Orthanc, storescu {movedByDcmtk}");
    }

    [Fact]
    public async Task Conduit_send_converts_uncompressed_syntaxes_for_a_peer_that_accepts_only_implicit_vr_and_names_what_it_cannot_convert()
    {
        string[] uncompressed =
        [
            "ts-explicit-vr-be/CT1_UNC.explicit_big_endian.dcm",
            "ts-explicit-vr-be/SC_rgb_expb_16bit_2frame.dcm",
            "ts-explicit-vr-be/rtdose_expb.dcm",
            "ts-deflated/image_dfl.dcm",
            "ts-explicit-vr-le/CT_small.dcm",
        ];
        const string jpeg = "jpeg-baseline/JPEGBaseline_1s_1f_u_08_08.dcm"; // Conduit does not decode pixel data
        var batch = Assert.Single(SampleBatches.Group(uncompressed.Append(jpeg).Select(p => SampleBatches.Read(Dicom.Tests.Support.Samples.Get(p)))));
        using var work = new TempDirectory("conduit-to-implicit");
        using var scp = await DcmtkTools.StartStoreScpAsync(work.Sub("out"), ["+xi", "+B"]);

        var send = await ConduitSend.SendBatchAsync(batch, scp.Endpoint);

        var received = ReceivedFiles.Match(batch, scp.ReceivedFiles());
        Assert.True(send.Run.ExitCode == 3, send.Run.Output);
        Assert.Empty(SummaryProblems(send, received.Stored.Count));
        Assert.NotNull(send.Summary.ReasonFor(batch.Instances.Single(i => i.Path == jpeg)));
        foreach (var instance in batch.Instances.Where(i => i.Path != jpeg))
        {
            Assert.True(received.Stored.TryGetValue(instance, out var stored), $"{instance.Path} not converted and stored: {send.Summary.ReasonFor(instance)}\n{send.Run.Output}");
            Assert.Equal("1.2.840.10008.1.2", DicomFile.Open(stored, DicomReadOptions.HeaderOnly).TransferSyntax.Uid);
            var differences = DatasetComparer.CompareFiles(instance.FullPath, stored, new DatasetComparison { IgnoreGroupLengths = true, CompareVRs = false });
            Assert.True(differences.Count == 0, $"{instance.Path} converted to implicit VR: {string.Join("; ", differences)}");
        }
    }

    /// <summary>The summary adds up: T is the batch, S + F = T, S is what the peer holds, and the exit code says whether any failed.</summary>
    internal static IEnumerable<string> SummaryProblems(ConduitSendRun send, int storedByPeer)
    {
        var s = send.Summary;
        var batch = send.Batch;
        if (s.Total != batch.Instances.Count) yield return $"{batch}: summary says {s.Total} instances, the batch has {batch.Instances.Count}";
        if (s.Sent + s.Failed != s.Total) yield return $"{batch}: summary {s.Sent} sent + {s.Failed} failed != {s.Total}";
        if (s.Sent != storedByPeer) yield return $"{batch}: summary says {s.Sent} sent, the peer holds {storedByPeer}";
        if (s.Failed != s.FailureReasons.Count) yield return $"{batch}: summary says {s.Failed} failed, {s.FailureReasons.Count} 'failed:' lines";
        // 0 all sent, 3 some failed; 4 when the peer refused or could not be reached, so nothing went.
        int[] expectedExit = s.Failed == 0 ? [0] : s.Sent == 0 ? [3, 4] : [3];
        if (!expectedExit.Contains(send.Run.ExitCode)) yield return $"{batch}: exit code {send.Run.ExitCode} with {s.Sent} sent and {s.Failed} failed\n{send.Run.Output}";
    }

    /// <summary>
    /// Compares what a peer stored with the original. Sent in its own syntax, the data set must be identical; converted
    /// to another uncompressed syntax, group lengths may be recomputed and implicit VR forgets private VRs. An
    /// odd-length value (invalid, PS3.5 §7.1.1) arrives with one pad byte: conduit send pads it as storescu does (F1).
    /// </summary>
    internal static IReadOnlyList<string> CompareSent(SampleInstance original, string stored)
    {
        var storedSyntax = DicomFile.Open(stored, DicomReadOptions.HeaderOnly).TransferSyntax.Uid;
        var converted = storedSyntax != original.TransferSyntaxUid;
        return DatasetComparer.CompareFiles(original.FullPath, stored, new DatasetComparison { IgnoreGroupLengths = converted, AllowEvenPadding = true });
    }
}
