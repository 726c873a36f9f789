using Conduit.Dicom;
using Conduit.Pipeline.Files;

namespace Conduit.Pipeline.Staging;

/// <summary>
/// Copies a batch's instance files into a job's input folder in the flow's layout. Copies, not links: a process step
/// may write into its input, and the instance store must not change under it. Each file is named
/// <c>&lt;SOPInstanceUID&gt;.dcm</c>; tag values that name subfolders are sanitised (<see cref="SafePath.Segment"/>).
/// </summary>
public static class InputStager
{
    private static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);
    private static readonly DicomReadOptions HeaderOnly = DicomReadOptions.HeaderOnly;

    /// <summary>Stages <paramref name="files"/> into <paramref name="inputDir"/>; returns the staged paths, in the order given.</summary>
    public static async Task<IReadOnlyList<string>> StageAsync(IReadOnlyList<string> files, string inputDir, InputLayout layout,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(inputDir);
        var staged = new List<string>(files.Count);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dataset = DicomFile.Open(file, HeaderOnly).Dataset;
            var folder = inputDir;
            foreach (var tag in layout.SubfolderTags)
                folder = Path.Combine(folder, SafePath.Segment(dataset.GetStringOrDefault(tag)));
            var sop = dataset.GetStringOrDefault(SopInstanceUid);
            var name = sop is not null && SafePath.IsValidUid(sop) ? sop : Path.GetFileNameWithoutExtension(file);
            Directory.CreateDirectory(folder);
            var target = Path.Combine(folder, SafePath.Segment(name) + ".dcm");
            await CopyAsync(file, target, cancellationToken).ConfigureAwait(false);
            staged.Add(target);
        }
        return staged;
    }

    private static async Task CopyAsync(string source, string target, CancellationToken cancellationToken)
    {
        await using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using var to = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        await from.CopyToAsync(to, 1 << 16, cancellationToken).ConfigureAwait(false);
    }
}
