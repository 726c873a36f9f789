using Conduit.Tests.Cli;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>One <c>conduit send</c> of a batch: the run and its parsed summary.</summary>
internal sealed record ConduitSendRun(SampleBatch Batch, ConduitRun Run, SendSummary Summary)
{
    /// <summary>The instances <c>conduit send</c> did not name in a <c>failed:</c> line.</summary>
    public IEnumerable<SampleInstance> ReportedSent => Batch.Instances.Where(i => Summary.ReasonFor(i) is null);
}

internal static class ConduitSend
{
    /// <summary>
    /// <c>conduit send ENDPOINT FILE... EXTRA</c> for every file of <paramref name="batch"/> (absolute paths, so the
    /// <c>failed:</c> lines name them as the batch does).
    /// </summary>
    public static async Task<ConduitSendRun> SendBatchAsync(SampleBatch batch, string endpoint, IEnumerable<string>? extraArgs = null, CancellationToken cancellationToken = default)
    {
        List<string> args = ["send", endpoint, .. batch.Instances.Select(i => i.FullPath), .. extraArgs ?? []];
        var run = await ConduitProcess.RunAsync(args, ConduitProcess.DefaultTimeout, cancellationToken);
        return new ConduitSendRun(batch, run, SendSummary.Parse(run));
    }
}
