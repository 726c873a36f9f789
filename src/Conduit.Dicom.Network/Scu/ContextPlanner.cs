using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Scu;

/// <summary>
/// Presentation contexts for a set of files (PS3.8 §9.3.2.2): per SOP class, one context per transfer syntax the files
/// are in (so each can go as it is), plus one offering Explicit and Implicit VR LE, the fallback a file is converted to
/// when its own syntax is refused. At most 128 contexts fit an association (ids are the odd numbers 1-255): files are
/// split into batches by SOP class so that each batch's contexts fit.
/// </summary>
internal static class ContextPlanner
{
    public const int MaxContexts = 128;

    private static readonly string[] Fallback = [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid];

    public sealed record Batch(IReadOnlyList<ScuFile> Files, IReadOnlyList<PresentationContextRequest> Contexts);

    // Plain loops rather than LINQ: `conduit send` plans before its first association, and each LINQ operator over
    // these tuples is a generic instantiation that ReadyToRun leaves to the JIT at start-up.
    public static List<Batch> Plan(IReadOnlyList<ScuFile> files)
    {
        var batches = new List<Batch>();
        var batchFiles = new List<ScuFile>();
        var batchContexts = new List<(string Abstract, string[] Syntaxes)>();
        foreach (var group in GroupByClass(files))
        {
            var needed = new List<(string, string[])>();
            foreach (var ts in group.Syntaxes)
            {
                if (needed.Count == MaxContexts - 1) break;
                needed.Add((group.Class, [ts]));
            }
            needed.Add((group.Class, Fallback));
            if (batchContexts.Count + needed.Count > MaxContexts && batchContexts.Count > 0)
            {
                batches.Add(Build(batchFiles, batchContexts));
                batchFiles = [];
                batchContexts = [];
            }
            batchContexts.AddRange(needed);
            batchFiles.AddRange(group.Files);
        }
        if (batchFiles.Count > 0) batches.Add(Build(batchFiles, batchContexts));
        return batches;
    }

    private sealed record ClassGroup(string Class, List<ScuFile> Files, List<string> Syntaxes);

    /// <summary>The files by SOP class, classes in order of first appearance, each with its distinct syntaxes in that order.</summary>
    private static List<ClassGroup> GroupByClass(IReadOnlyList<ScuFile> files)
    {
        var groups = new List<ClassGroup>();
        var byClass = new Dictionary<string, ClassGroup>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!byClass.TryGetValue(file.SopClassUid, out var group))
            {
                byClass.Add(file.SopClassUid, group = new ClassGroup(file.SopClassUid, [], []));
                groups.Add(group);
            }
            group.Files.Add(file);
            if (!group.Syntaxes.Contains(file.Syntax.Uid, StringComparer.Ordinal)) group.Syntaxes.Add(file.Syntax.Uid);
        }
        return groups;
    }

    private static Batch Build(List<ScuFile> files, List<(string Abstract, string[] Syntaxes)> contexts)
    {
        var requests = new List<PresentationContextRequest>(contexts.Count);
        for (var i = 0; i < contexts.Count; i++)
            requests.Add(new PresentationContextRequest((byte)(2 * i + 1), contexts[i].Abstract, contexts[i].Syntaxes));
        var ordered = new List<ScuFile>(files);
        ordered.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new Batch(ordered, requests);
    }
}
