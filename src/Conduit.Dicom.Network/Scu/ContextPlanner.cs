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

    public static List<Batch> Plan(IReadOnlyList<ScuFile> files)
    {
        var byClass = files.GroupBy(f => f.SopClassUid, StringComparer.Ordinal)
            .Select(g => (Class: g.Key, Files: g.ToList(), Syntaxes: g.Select(f => f.Syntax.Uid).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();
        var batches = new List<Batch>();
        var batchFiles = new List<ScuFile>();
        var batchContexts = new List<(string Abstract, string[] Syntaxes)>();
        foreach (var group in byClass)
        {
            var needed = new List<(string, string[])>();
            foreach (var ts in group.Syntaxes) needed.Add((group.Class, [ts]));
            needed.Add((group.Class, Fallback));
            if (needed.Count > MaxContexts) needed = needed.Take(MaxContexts - 1).Append((group.Class, Fallback)).ToList();
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

    private static Batch Build(List<ScuFile> files, List<(string Abstract, string[] Syntaxes)> contexts)
    {
        var requests = new List<PresentationContextRequest>(contexts.Count);
        for (var i = 0; i < contexts.Count; i++)
            requests.Add(new PresentationContextRequest((byte)(2 * i + 1), contexts[i].Abstract, contexts[i].Syntaxes));
        return new Batch(files.OrderBy(f => f.Index).ToList(), requests);
    }
}
