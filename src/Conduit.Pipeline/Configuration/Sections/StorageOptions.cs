namespace Conduit.Pipeline.Configuration;

/// <summary><c>storage:</c> where instances, job work folders and the default SQLite database live.</summary>
public sealed class StorageOptions
{
    public const string DefaultDataDirectory = "./conduit-data";
    public const int DefaultDiskUsageWatermarkPercent = 90;

    /// <summary>The data directory (relative paths are relative to the working directory).</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>Above this use of the data directory's disk (percent), new associations are refused until retention frees space.</summary>
    public int DiskUsageWatermarkPercent { get; set; } = DefaultDiskUsageWatermarkPercent;
}
