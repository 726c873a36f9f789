using Conduit.Tests.Support;
using Xunit.Abstractions;

namespace Conduit.Tests.Network;

/// <summary>One <c>conduit receive</c> for the class, fed by <c>conduit send</c>.</summary>
public sealed class ConduitReceiverFixture : IAsyncLifetime
{
    private ReceiverProcess? _receiver;

    internal ReceiverProcess Receiver => _receiver ?? throw new InvalidOperationException("the receiver has not started");

    public async Task InitializeAsync() => _receiver = await ReceiverProcess.StartAsync();

    public Task DisposeAsync()
    {
        _receiver?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary><c>conduit send</c> into <c>conduit receive</c>: every file of the corpus, over one and four associations.</summary>
[Collection(NetworkCollection.Name)]
public sealed class ConduitToConduitTests(ConduitReceiverFixture fixture, ITestOutputHelper output) : IClassFixture<ConduitReceiverFixture>
{
    private const string CallingAe = "CONDUIT_TEST";

    [Fact]
    public async Task Conduit_send_to_conduit_receive_moves_every_file_and_at_least_as_many_as_dcmtk_moves_to_dcmtk()
    {
        // Measured here, in the same test, so both counts come from the same machine state (issue 3, must show 1).
        using var dcmtk = await DcmtkBaseline.RunAsync(SampleBatches.Batches);
        Assert.True(dcmtk.Problems.Count == 0, string.Join("\n", dcmtk.Problems));

        var moved = await SendEveryBatchAsync([]);

        // storescp also stores data sets without Study or Series Instance UID (flat, by SOP Instance UID); issue 3 has
        // Conduit refuse those with an error status, and SendEveryBatchAsync checked that only those (and non-storage
        // SOP classes) were refused. The count that can be compared is over the files Conduit may store.
        var dcmtkComparable = dcmtk.Moved.Keys.Count(i => i.HasStudyAndSeries);
        output.WriteLine($"dcmtk storescu -> storescp: {dcmtk.Moved.Count} of {SampleBatches.Sendable.Count} moved, {dcmtkComparable} of them with Study and Series Instance UID");
        output.WriteLine($"conduit send -> conduit receive: {moved} of {SampleBatches.Sendable.Count} moved");
        output.WriteLine($"files dcmtk could not move ({dcmtk.Failures.Count}):\n{dcmtk.DescribeFailures()}");
        output.WriteLine($"files no C-STORE can carry (no SOP Class or Instance UID), sent by neither: {string.Join(", ", SampleBatches.WithoutStoreIdentifiers.Select(i => i.Path))}");
        Assert.True(moved >= dcmtkComparable, $"Conduit moved {moved}, dcmtk {dcmtkComparable} (with Study and Series Instance UID)");
    }

    [Fact]
    public async Task Conduit_send_over_four_associations_to_conduit_receive_moves_every_file()
    {
        var moved = await SendEveryBatchAsync(["--associations", "4"]);

        output.WriteLine($"conduit send --associations 4 -> conduit receive: {moved} of {SampleBatches.Sendable.Count} moved");
    }

    /// <summary>
    /// Sends each batch, checks every file arrived where the contract says with its data set intact, and returns how
    /// many arrived. Only two kinds of file may fail, each named with its reason: a SOP class that is not a storage SOP
    /// class of PS3.6 (the receiver rejects unknown abstract syntaxes), and a data set without Study or Series Instance
    /// UID (refused with an error status: issue 3 asks for that, since the store files by them).
    /// </summary>
    private async Task<int> SendEveryBatchAsync(IEnumerable<string> extraArgs)
    {
        var receiver = fixture.Receiver;
        var problems = new List<string>();
        var refused = new List<string>();
        var moved = 0;
        foreach (var batch in SampleBatches.Batches)
        {
            receiver.ClearReceived();
            var send = await ConduitSend.SendBatchAsync(batch, receiver.Endpoint, ["--aet", CallingAe, "--call", receiver.AeTitle, .. extraArgs]);
            var received = ReceivedFiles.Match(batch, receiver.ReceivedFiles());
            problems.AddRange(ConduitSendToPeersTests.SummaryProblems(send, received.Stored.Count));
            problems.AddRange(received.Unexpected);

            foreach (var instance in batch.Instances)
            {
                var reason = send.Summary.ReasonFor(instance);
                if (!received.Stored.TryGetValue(instance, out var stored))
                {
                    if (!instance.IsStorageSopClass && reason is not null)
                        refused.Add($"  {instance.Path} (SOP class {instance.SopClassUid}): {reason}");
                    else if (!instance.HasStudyAndSeries && reason is not null)
                        refused.Add($"  {instance.Path} (no {instance.MissingKeys}): {reason}");
                    else
                        problems.Add($"{instance.Path} [{instance.TransferSyntaxUid}]: not moved: {reason ?? "no 'failed:' line"}");
                    continue;
                }
                moved++;
                if (reason is not null) problems.Add($"{instance.Path}: stored, yet reported 'failed: {reason}'");
                problems.AddRange(StoredFileChecks.Problems(instance, stored, receiver.OutDir, CallingAe));
                // Both ends keep a syntax they can store as is: nothing is transcoded on the way.
                var storedSyntax = Dicom.DicomFile.Open(stored, Dicom.DicomReadOptions.HeaderOnly).TransferSyntax.Uid;
                if (storedSyntax != instance.TransferSyntaxUid)
                    problems.Add($"{instance.Path}: stored in {storedSyntax}, sent from {instance.TransferSyntaxUid}");
                var differences = ConduitSendToPeersTests.CompareSent(instance, stored);
                if (differences.Count > 0)
                    problems.Add($"{instance.Path} [{instance.TransferSyntaxUid}]: stored data set differs: {string.Join("; ", differences)}");
            }
        }
        output.WriteLine($"refused by the receiver, as designed ({refused.Count}):\n{string.Join("\n", refused)}");
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n{string.Join("\n", problems)}\n\nreceiver log:\n{receiver.Stderr}");
        return moved;
    }
}
