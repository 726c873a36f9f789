namespace Conduit.Pipeline.Steps;

/// <summary>The output folder a step starts with.</summary>
internal static class StepOutput
{
    /// <summary>
    /// Empties the output folder (creating it when missing): a step re-run after a crash must not find, and pass on,
    /// the partial results of the attempt that died.
    /// </summary>
    public static void Clear(string outputDirectory)
    {
        var directory = new DirectoryInfo(outputDirectory);
        if (!directory.Exists)
        {
            directory.Create();
            return;
        }
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo { LinkTarget: null } sub)
            {
                sub.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }
}
