namespace Conduit.Pipeline.Configuration;

/// <summary><c>folders:</c> input folders whose ready subfolders are imported as batches.</summary>
public sealed class FoldersOptions
{
    public List<WatchedFolderOptions> Watch { get; set; } = [];
}

/// <summary>What becomes of a subfolder once every one of its files was imported.</summary>
public enum FolderSuccessAction
{
    Delete,
    Keep,
    Move,
}

/// <summary>One watched input folder (an entry of <c>folders.watch</c>).</summary>
public sealed class WatchedFolderOptions
{
    public static readonly TimeSpan DefaultScanInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultSettleTime = TimeSpan.FromSeconds(2);

    public string Path { get; set; } = "";

    public FolderSuccessAction OnSuccess { get; set; } = FolderSuccessAction.Delete;

    /// <summary>Where a done subfolder goes with <see cref="FolderSuccessAction.Move"/>.</summary>
    public string? MoveTo { get; set; }

    /// <summary>Rescan period: file-system events are only a hint, since watchers miss events (overflow, network shares).</summary>
    public TimeSpan ScanInterval { get; set; } = DefaultScanInterval;

    /// <summary>A subfolder is taken only when none of its files changed for this long (a sender may rename before its copies are flushed).</summary>
    public TimeSpan SettleTime { get; set; } = DefaultSettleTime;
}
