using System.Globalization;
using System.Text.RegularExpressions;
using Conduit.Tests.Cli;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>
/// What <c>conduit send</c> reported: the last STDOUT line
/// <c>sent S of T instances (F failed), BYTES bytes, X instances/s, Y MB/s</c> and one STDERR line
/// <c>failed: PATH: REASON</c> per instance it could not deliver.
/// </summary>
internal sealed partial record SendSummary(int Sent, int Total, int Failed, long Bytes, double InstancesPerSecond, double MegabytesPerSecond, IReadOnlyDictionary<string, string> FailureReasons)
{
    [GeneratedRegex(@"^sent (\d+) of (\d+) instances \((\d+) failed\), (\d+) bytes, (\d+(?:\.\d+)?) instances/s, (\d+(?:\.\d+)?) MB/s\s*$")]
    private static partial Regex SummaryLine();

    /// <summary>Parses a run's output; throws with the whole output when the summary line is missing.</summary>
    public static SendSummary Parse(ConduitRun run)
    {
        var last = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        // A progress bar redraws its line with carriage returns: the summary is what follows the last one.
        last = last[(last.LastIndexOf('\r') + 1)..].Trim();
        var match = SummaryLine().Match(last);
        if (!match.Success)
            throw new Xunit.Sdk.XunitException($"conduit send's last STDOUT line is not the summary 'sent S of T instances (F failed), ...': '{last}'\n{run.Output}");

        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in run.Stderr.Split('\n', StringSplitOptions.TrimEntries))
        {
            const string prefix = "failed: ";
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            // "failed: PATH: REASON" — corpus paths hold no ": ", so the first one ends the path.
            var rest = line[prefix.Length..];
            var end = rest.IndexOf(": ", StringComparison.Ordinal);
            if (end < 0) failures[rest] = "";
            else failures[rest[..end]] = rest[(end + 2)..];
        }

        return new SendSummary(
            int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].ValueSpan, CultureInfo.InvariantCulture),
            long.Parse(match.Groups[4].ValueSpan, CultureInfo.InvariantCulture),
            double.Parse(match.Groups[5].ValueSpan, CultureInfo.InvariantCulture),
            double.Parse(match.Groups[6].ValueSpan, CultureInfo.InvariantCulture),
            failures);
    }

    /// <summary>The reason <c>conduit send</c> gave for <paramref name="instance"/>, or null when it did not name it.</summary>
    public string? ReasonFor(SampleInstance instance) => FailureReasons.TryGetValue(instance.FullPath, out var reason) ? reason : null;
}
