using Conduit.Tests.Support;
using Xunit.Abstractions;

namespace Conduit.Tests.Network;

/// <summary>dcmtk's storescu, as a modality would use it, sends the corpus to <c>conduit receive</c>.</summary>
[Collection(NetworkCollection.Name)]
public sealed class StoreScuToConduitReceiveTests(DcmtkBaselineFixture dcmtk, ITestOutputHelper output)
{
    [Fact]
    public async Task Storescu_sends_every_batch_to_conduit_receive_and_each_data_set_is_stored_as_sent()
    {
        var baseline = dcmtk.Baseline;
        using var receiver = await ReceiverProcess.StartAsync();
        using var work = new TempDirectory("storescu-to-conduit");
        var problems = new List<string>();
        var changedBySender = new List<string>();
        var notMoved = new List<string>();
        var refusedWithoutKeys = new List<string>();
        var moved = 0;

        foreach (var batch in SampleBatches.Batches)
        {
            receiver.ClearReceived();
            var sent = await StoreScu.SendBatchAsync(batch, receiver.Host, receiver.Port, work, ["-aec", receiver.AeTitle]);
            var received = ReceivedFiles.Match(batch, receiver.ReceivedFiles());
            problems.AddRange(received.Unexpected);
            var failures = sent.Failures.ToDictionary(f => f.Instance, f => f.Reason);

            foreach (var instance in batch.Instances)
            {
                if (!received.Stored.TryGetValue(instance, out var stored))
                {
                    var reason = failures.GetValueOrDefault(instance) ?? "storescu reported no failure";
                    if (!instance.HasStudyAndSeries && reason.Contains("Received Store Response (Error", StringComparison.Ordinal))
                        refusedWithoutKeys.Add($"  {instance.Path}: no {instance.MissingKeys}: {reason}");
                    else if (baseline.Moved.ContainsKey(instance))
                        problems.Add($"{instance.Path} [{instance.TransferSyntaxUid}]: storescp stores it, conduit receive did not: {reason}");
                    else
                        notMoved.Add($"  {instance.Path} [{instance.TransferSyntaxUid}]: {reason}");
                    continue;
                }
                moved++;
                problems.AddRange(StoredFileChecks.Problems(instance, stored, receiver.OutDir, "STORESCU"));

                var differences = DatasetComparer.CompareFiles(instance.FullPath, stored);
                if (differences.Count == 0) continue;
                // storescu re-encodes some data sets on the way (see DcmtkBaseline): then Conduit must have stored
                // exactly what storescp, bit-preserving, stored from the same storescu.
                var sentAsDcmtkStoredIt = baseline.Moved.TryGetValue(instance, out var dcmtkCopy) ? DatasetComparer.CompareFiles(dcmtkCopy, stored) : null;
                if (sentAsDcmtkStoredIt is { Count: 0 })
                    changedBySender.Add($"  {instance.Path}: {string.Join("; ", differences)}");
                else
                    problems.Add($"{instance.Path} [{instance.TransferSyntaxUid}]: stored data set differs from the original: {string.Join("; ", differences)}"
                        + (sentAsDcmtkStoredIt is null ? "" : $" — and from storescp's copy: {string.Join("; ", sentAsDcmtkStoredIt)}"));
            }
        }

        output.WriteLine($"storescu -> conduit receive: {moved} of {SampleBatches.Sendable.Count} files stored; storescu -> storescp: {baseline.Moved.Count}");
        output.WriteLine($"not moved ({notMoved.Count}), dcmtk cannot send or store these either:\n{string.Join("\n", notMoved)}");
        output.WriteLine($"refused with an error status, as issue 3 requires, for lack of Study or Series Instance UID ({refusedWithoutKeys.Count}):\n{string.Join("\n", refusedWithoutKeys)}");
        output.WriteLine($"changed by storescu on the way, stored by Conduit as sent ({changedBySender.Count}):\n{string.Join("\n", changedBySender)}");
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n{string.Join("\n", problems)}\n\nreceiver log:\n{receiver.Stderr}");
        var storableByDcmtk = baseline.Moved.Keys.Count(i => i.HasStudyAndSeries);
        Assert.True(moved >= storableByDcmtk, $"conduit receive stored {moved}, storescp {storableByDcmtk} of those with Study and Series Instance UIDs");
        output.WriteLine($"conduit receive peak RSS: {receiver.PeakRssBytes / (1024.0 * 1024.0):0.0} MiB");
        Assert.Equal(0, await receiver.StopAsync());
    }
}
