using System.Globalization;
using System.Text;

namespace Conduit.Tests.Support;

/// <summary>What storescu said about one file it did not store, and why.</summary>
internal sealed record StoreScuFailure(SampleInstance Instance, string Reason)
{
    public override string ToString() => $"{Instance.Path} [{Instance.TransferSyntaxUid}]: {Reason}";
}

/// <summary>The storescu runs for one batch, and the files storescu itself reported as not stored.</summary>
internal sealed record StoreScuResult(IReadOnlyList<ProcessRun> Runs, IReadOnlyList<StoreScuFailure> Failures)
{
    public string Output => string.Join("\n\n", Runs.Select(r => r.Output));
}

/// <summary>
/// Sends a <see cref="SampleBatch"/> with dcmtk's <c>storescu -nh -R +sd +r</c> so that each file's own transfer syntax
/// is proposed. storescu proposes one compressed syntax per run (chosen by -xy, -xs, ...; without one, only the
/// uncompressed syntaxes), so the batch goes as one run per transfer syntax, each over a folder of symbolic links to
/// the files. Syntaxes storescu has no option for (JPEG lossless process 14 .57, HTJ2K, Deflated Image Frame
/// Compression, ...) are proposed through a generated <c>-xf</c> association profile, which storescu does not allow
/// together with <c>-R</c>; the profile lists exactly the required contexts, the same thing.
/// </summary>
internal static class StoreScu
{
    /// <summary>storescu's option that proposes this syntax (plus the uncompressed ones as fallback), if it has one.</summary>
    private static readonly Dictionary<string, string> ProposalOptions = new(StringComparer.Ordinal)
    {
        ["1.2.840.10008.1.2"] = "-xi",        // Implicit VR LE only
        ["1.2.840.10008.1.2.1"] = "-xe",      // Explicit VR LE first
        ["1.2.840.10008.1.2.2"] = "-xb",      // Explicit VR BE first
        ["1.2.840.10008.1.2.1.99"] = "-xd",   // Deflated Explicit VR LE
        ["1.2.840.10008.1.2.4.50"] = "-xy",   // JPEG Baseline
        ["1.2.840.10008.1.2.4.51"] = "-xx",   // JPEG Extended 12-bit
        ["1.2.840.10008.1.2.4.70"] = "-xs",   // JPEG Lossless SV1
        ["1.2.840.10008.1.2.4.80"] = "-xt",   // JPEG-LS lossless
        ["1.2.840.10008.1.2.4.81"] = "-xu",   // JPEG-LS near-lossless
        ["1.2.840.10008.1.2.4.90"] = "-xv",   // JPEG 2000 lossless
        ["1.2.840.10008.1.2.4.91"] = "-xw",   // JPEG 2000
        ["1.2.840.10008.1.2.5"] = "-xr",      // RLE Lossless
    };

    private const string ProfileName = "Required";

    /// <summary>
    /// Sends every file of <paramref name="batch"/> to HOST:PORT. <paramref name="work"/> receives the link folders and
    /// profiles; <paramref name="extraArgs"/> go before the peer (e.g. <c>-aet</c>, <c>-aec</c>).
    /// </summary>
    public static async Task<StoreScuResult> SendBatchAsync(SampleBatch batch, string host, int port, TempDirectory work, IEnumerable<string>? extraArgs = null, CancellationToken cancellationToken = default)
    {
        var runs = new List<ProcessRun>();
        var failures = new List<StoreScuFailure>();
        foreach (var group in Runs(batch))
        {
            var folder = work.Sub($"storescu-batch{batch.Number}-{group.Key}-{Guid.NewGuid():N}");
            var byLink = new Dictionary<string, SampleInstance>(StringComparer.Ordinal);
            var index = 0;
            foreach (var instance in group)
            {
                // The index keeps names unique (several corpus files share a name); storescu reports the link path.
                var link = Path.Combine(folder, $"{index++.ToString("D3", CultureInfo.InvariantCulture)}_{Path.GetFileName(instance.Path)}");
                File.CreateSymbolicLink(link, instance.FullPath);
                byLink[link] = instance;
            }

            var args = new List<string> { "-v", "-nh", "+sd", "+r" };
            if (ProposalOptions.TryGetValue(group.Key, out var option))
            {
                args.Add("-R");
                args.Add(option);
            }
            else
            {
                var profile = Path.Combine(work.Path, $"profile-batch{batch.Number}-{group.Key}-{Guid.NewGuid():N}.cfg");
                await File.WriteAllTextAsync(profile, Profile(group.Key, group.Select(i => i.SopClassUid!).Distinct(StringComparer.Ordinal)), cancellationToken).ConfigureAwait(false);
                args.AddRange(["-xf", profile, ProfileName]);
            }
            if (extraArgs is not null) args.AddRange(extraArgs);
            args.AddRange([host, port.ToString(CultureInfo.InvariantCulture), folder]);

            var run = await DcmtkTools.RunAsync("storescu", args, cancellationToken: cancellationToken).ConfigureAwait(false);
            runs.Add(run);
            failures.AddRange(Failures(run, byLink));
        }
        return new StoreScuResult(runs, failures);
    }

    /// <summary>
    /// One run per transfer syntax, split so that no run needs more than 128 presentation contexts (PS3.8 §9.3.2.2:
    /// odd context ids 1..255); storescu proposes two or three per SOP class.
    /// </summary>
    private static IEnumerable<IGrouping<string, SampleInstance>> Runs(SampleBatch batch)
    {
        const int maxSopClassesPerRun = 40;
        foreach (var group in batch.Instances.GroupBy(i => i.TransferSyntaxUid, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var sopClasses = group.Select(i => i.SopClassUid!).Distinct(StringComparer.Ordinal).ToList();
            foreach (var chunk in sopClasses.Chunk(maxSopClassesPerRun))
            {
                var inChunk = chunk.ToHashSet(StringComparer.Ordinal);
                yield return group.Where(i => inChunk.Contains(i.SopClassUid!)).GroupBy(_ => group.Key, StringComparer.Ordinal).Single();
            }
        }
    }

    /// <summary>
    /// Reads storescu's verbose log: each file it sends opens with "I: Sending file: PATH" and, when stored, has
    /// "I: Received Store Response (Success|Warning...)"; a file it skips gets "missing SOP class ... in file: PATH".
    /// </summary>
    private static IEnumerable<StoreScuFailure> Failures(ProcessRun run, IReadOnlyDictionary<string, SampleInstance> byLink)
    {
        var lines = (run.Stderr + "\n" + run.Stdout).Split('\n');
        var blocks = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        string? current = null;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            const string sending = "I: Sending file: ";
            if (line.StartsWith(sending, StringComparison.Ordinal))
            {
                current = line[sending.Length..].Trim();
                blocks[current] = new StringBuilder();
                continue;
            }
            if (line.StartsWith("I: Releasing Association", StringComparison.Ordinal) || line.StartsWith("I: Aborting Association", StringComparison.Ordinal))
                current = null;
            if (current is not null) blocks[current].AppendLine(line);
        }

        foreach (var (link, instance) in byLink)
        {
            if (blocks.TryGetValue(link, out var block))
            {
                var text = block.ToString();
                if (text.Contains("I: Received Store Response (Success", StringComparison.Ordinal) ||
                    text.Contains("I: Received Store Response (Warning", StringComparison.Ordinal))
                    continue;
                yield return new StoreScuFailure(instance, Summarise(text).Replace(link, instance.Path, StringComparison.Ordinal));
                continue;
            }
            // Never sent: storescu skipped the file while checking its input, or the association failed.
            var mentions = lines.Where(l => l.Contains(link, StringComparison.Ordinal) || l.Contains(Path.GetFileName(link), StringComparison.Ordinal)).ToList();
            var reason = mentions.Count > 0
                ? string.Join(" | ", mentions.Select(l => l.Trim()))
                : $"not sent (storescu exit code {run.ExitCode}: {LastError(lines)})";
            yield return new StoreScuFailure(instance, reason.Replace(link, instance.Path, StringComparison.Ordinal));
        }
    }

    /// <summary>The warning and error lines of a failed file's block: the conversion failure or the status says why.</summary>
    private static string Summarise(string block)
    {
        var relevant = block.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Contains("W:", StringComparison.Ordinal) || l.Contains("E:", StringComparison.Ordinal) || l.Contains("Store Response", StringComparison.Ordinal))
            .ToList();
        return relevant.Count > 0 ? string.Join(" | ", relevant) : block.Trim();
    }

    private static string LastError(IEnumerable<string> lines) =>
        lines.LastOrDefault(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("F:", StringComparison.Ordinal))?.Trim() ?? "no error printed";

    /// <summary>
    /// A dcmtk association profile (the storescu.cfg format) proposing, for each SOP class, the syntax on its own and
    /// the uncompressed syntaxes in a second context, as storescu does for the syntaxes it has options for.
    /// </summary>
    private static string Profile(string transferSyntaxUid, IEnumerable<string> sopClassUids)
    {
        var text = new StringBuilder();
        text.AppendLine("[[TransferSyntaxes]]");
        text.AppendLine("[Own]").AppendLine($"TransferSyntax1 = {transferSyntaxUid}");
        text.AppendLine("[Uncompressed]")
            .AppendLine("TransferSyntax1 = 1.2.840.10008.1.2.1")
            .AppendLine("TransferSyntax2 = 1.2.840.10008.1.2.2")
            .AppendLine("TransferSyntax3 = 1.2.840.10008.1.2");
        text.AppendLine("[[PresentationContexts]]").AppendLine("[Contexts]");
        var n = 0;
        foreach (var sopClass in sopClassUids)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"PresentationContext{++n} = {sopClass}\\Own");
            text.AppendLine(CultureInfo.InvariantCulture, $"PresentationContext{++n} = {sopClass}\\Uncompressed");
        }
        text.AppendLine("[[Profiles]]").AppendLine($"[{ProfileName}]").AppendLine("PresentationContexts = Contexts");
        return text.ToString();
    }
}
