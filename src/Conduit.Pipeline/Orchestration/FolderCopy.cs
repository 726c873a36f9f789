namespace Conduit.Pipeline.Orchestration;

/// <summary>Copies a step's output into the next step's input, keeping relative paths.</summary>
internal static class FolderCopy
{
    /// <summary>Copies every file under <paramref name="from"/> into <paramref name="to"/>, except the params file (each step gets its own).</summary>
    public static void Merge(string from, string to)
    {
        if (!Directory.Exists(from)) return;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative == Steps.StepParamsFile.FileName) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
