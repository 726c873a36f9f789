namespace Conduit.Pipeline.Store;

/// <summary>
/// Where things live under the data directory. Relative paths are what the database stores, so the data directory
/// can move (or be a shared mount at another path on another node). Every UID or id is validated before it becomes
/// part of a path: a hostile UID such as <c>../../etc</c> never reaches the file system.
/// </summary>
public interface IInstanceFileLayout
{
    /// <summary>The data directory, absolute.</summary>
    string Root { get; }

    /// <summary><c>instances/&lt;study&gt;/&lt;series&gt;/&lt;sop&gt;.dcm</c>, relative to <see cref="Root"/>.</summary>
    string InstanceRelativePath(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid);

    /// <summary>The absolute path of a relative path the store recorded (refusing one that escapes the root).</summary>
    string Resolve(string relativePath);

    /// <summary><c>jobs/&lt;id&gt;</c>: the job's work directory, absolute.</summary>
    string JobDirectory(string jobId);

    /// <summary><c>jobs/&lt;id&gt;/steps/&lt;step&gt;/input</c> and <c>…/output</c>, absolute, created when missing.</summary>
    StepDirectories CreateStepDirectories(string jobId, string stepName);
}

/// <summary>The host folders a step reads from and writes to.</summary>
public sealed record StepDirectories(string Input, string Output);
