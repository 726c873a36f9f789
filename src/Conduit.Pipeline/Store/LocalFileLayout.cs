namespace Conduit.Pipeline.Store;

/// <summary>The local-disk <see cref="IInstanceFileLayout"/> (also right for a shared mount seen at the same path).</summary>
public sealed class LocalFileLayout : IInstanceFileLayout
{
    public const string InstancesFolder = "instances";
    public const string JobsFolder = "jobs";

    public LocalFileLayout(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string InstanceRelativePath(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid) =>
        string.Join('/', InstancesFolder,
            PathSegments.Uid(studyInstanceUid, "Study Instance UID"),
            PathSegments.Uid(seriesInstanceUid, "Series Instance UID"),
            PathSegments.Uid(sopInstanceUid, "SOP Instance UID") + ".dcm");

    public string Resolve(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        var rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        return full.StartsWith(rootWithSeparator, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{relativePath}' lies outside the data directory.", nameof(relativePath));
    }

    public string JobDirectory(string jobId) =>
        Path.Combine(Root, JobsFolder, PathSegments.Name(jobId, "job id"));

    public StepDirectories CreateStepDirectories(string jobId, string stepName)
    {
        var step = Path.Combine(JobDirectory(jobId), "steps", PathSegments.Name(stepName, "step name"));
        var directories = new StepDirectories(Path.Combine(step, "input"), Path.Combine(step, "output"));
        Directory.CreateDirectory(directories.Input);
        Directory.CreateDirectory(directories.Output);
        return directories;
    }
}
