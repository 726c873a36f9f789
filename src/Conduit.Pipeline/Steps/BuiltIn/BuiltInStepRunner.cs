using System.Text;
using Conduit.Dicom;
using Conduit.Pipeline.Flows.Matching;

namespace Conduit.Pipeline.Steps.BuiltIn;

/// <summary>
/// Runs the steps Conduit does itself, in-process, with the same contract as a container: read every file under the
/// input folder, write results under the output folder (keeping relative paths), log what was done. Files that are
/// not DICOM are passed through unchanged; a DICOM file that cannot be read fails the step (nothing is lost silently).
/// </summary>
public sealed class BuiltInStepRunner(TimeProvider? time = null) : IStepRunner
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public bool CanRun(StepSpec spec) => spec is FilterStepSpec or ModifyStepSpec;

    public Task<StepResult> RunAsync(StepSpec spec, StepContext context, CancellationToken cancellationToken) =>
        Task.Run(() => Run(spec, context, cancellationToken), cancellationToken);

    private StepResult Run(StepSpec spec, StepContext context, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var log = new StringBuilder();
        int kept = 0, dropped = 0, passed = 0;
        try
        {
            foreach (var file in Directory.EnumerateFiles(context.InputDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var relative = Path.GetRelativePath(context.InputDirectory, file);
                if (relative == StepParamsFile.FileName) continue;
                var target = Path.Combine(context.OutputDirectory, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (!LooksLikeDicom(file))
                {
                    File.Copy(file, target, overwrite: true);
                    passed++;
                    continue;
                }
                switch (spec)
                {
                    case FilterStepSpec filter:
                        var header = DicomFile.Open(file, DicomReadOptions.HeaderOnly).Dataset;
                        var verdict = filter.Keep.Evaluate(new DatasetTagValues(header));
                        if (verdict.Matched)
                        {
                            File.Copy(file, target, overwrite: true);
                            kept++;
                        }
                        else
                        {
                            dropped++;
                            log.Append("dropped ").AppendLine(relative);
                        }
                        break;
                    case ModifyStepSpec modify:
                        var dicom = DicomFile.Open(file);
                        foreach (var tag in modify.Remove) dicom.Dataset.Remove(tag);
                        foreach (var (tag, vr, value) in modify.Set) dicom.Dataset.AddOrUpdate(tag, vr, value.Split('\\'));
                        dicom.Save(target);
                        kept++;
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is DicomReadException or IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            log.AppendLine(ex.Message);
            return new StepResult(StepOutcome.Failed, null, started, _time.GetUtcNow(), log.ToString(), $"{spec.Name}: {ex.Message}", null);
        }
        log.AppendLine(spec is FilterStepSpec
            ? $"kept {kept}, dropped {dropped}, passed {passed} non-DICOM file(s) through"
            : $"modified {kept}, passed {passed} non-DICOM file(s) through");
        // Built-in steps write no conduit-params.json of their own: the params pass through unchanged.
        return new StepResult(StepOutcome.Succeeded, 0, started, _time.GetUtcNow(), log.ToString(), null, context.Params);
    }

    /// <summary>The Part 10 'DICM' magic, or a bare data set starting with a group 0002 or 0008 element.</summary>
    internal static bool LooksLikeDicom(string path)
    {
        Span<byte> head = stackalloc byte[132];
        using var stream = File.OpenRead(path);
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 132 && head[128..132].SequenceEqual("DICM"u8)) return true;
        return read >= 8 && head[1] == 0x00 && head[0] is 0x02 or 0x08;
    }
}
