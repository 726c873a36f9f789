using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>
/// dcmtk to dcmtk over the corpus batches: <c>storescu -nh -R +sd +r</c> (see <see cref="StoreScu"/>) into a fresh
/// <c>storescp +xa +B</c> per batch. Bit-preserving storage keeps exactly what storescu put on the wire, so a copy here
/// tells what dcmtk's sender changed (it drops Data Set Trailing Padding, pads odd-length values, ...). The stored
/// copies live until Dispose.
/// </summary>
internal sealed class DcmtkBaseline : IDisposable
{
    private readonly TempDirectory _work;

    private DcmtkBaseline(TempDirectory work, IReadOnlyDictionary<SampleInstance, string> moved, IReadOnlyList<StoreScuFailure> failures, IReadOnlyList<string> problems)
    {
        _work = work;
        Moved = moved;
        Failures = failures;
        Problems = problems;
    }

    /// <summary>Every instance storescp stored, with the path of its bit-preserved copy.</summary>
    public IReadOnlyDictionary<SampleInstance, string> Moved { get; }

    /// <summary>The files dcmtk could not move, with storescu's reason.</summary>
    public IReadOnlyList<StoreScuFailure> Failures { get; }

    /// <summary>Anything inconsistent (a file neither stored nor reported failed, an unexpected stored file).</summary>
    public IReadOnlyList<string> Problems { get; }

    public static async Task<DcmtkBaseline> RunAsync(IReadOnlyList<SampleBatch> batches, CancellationToken cancellationToken = default)
    {
        var work = new TempDirectory("dcmtk-baseline");
        try
        {
            var moved = new Dictionary<SampleInstance, string>();
            var failures = new List<StoreScuFailure>();
            var problems = new List<string>();
            foreach (var batch in batches)
            {
                using var scp = await DcmtkTools.StartStoreScpAsync(work.Sub($"storescp-batch{batch.Number}"), ["+B"], cancellationToken);
                var result = await StoreScu.SendBatchAsync(batch, "127.0.0.1", scp.Port, work, cancellationToken: cancellationToken);
                var received = ReceivedFiles.Match(batch, scp.ReceivedFiles());
                foreach (var (instance, path) in received.Stored) moved[instance] = path;
                problems.AddRange(received.Unexpected);
                var failed = result.Failures.ToDictionary(f => f.Instance);
                foreach (var instance in batch.Instances)
                {
                    var stored = received.Stored.ContainsKey(instance);
                    if (!stored && failed.TryGetValue(instance, out var failure)) failures.Add(failure);
                    else if (!stored) problems.Add($"{instance.Path}: not stored by storescp, and storescu reported no failure");
                }
            }
            return new DcmtkBaseline(work, moved, failures, problems);
        }
        catch
        {
            work.Dispose();
            throw;
        }
    }

    /// <summary>One line per file dcmtk could not move, for the test output.</summary>
    public string DescribeFailures() => string.Join("\n", Failures.OrderBy(f => f.Instance.Path, StringComparer.Ordinal).Select(f => $"  {f}"));

    public void Dispose() => _work.Dispose();
}
