using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Ingest.Folders;

/// <summary>
/// Watches one input folder: each ready subfolder (see <see cref="ReadyFolders"/>) whose files have not changed for the
/// settle time becomes a folder batch, imported file by file through the <see cref="FileImporter"/> as one delivery.
/// A <see cref="FileSystemWatcher"/> wakes the loop early; the periodic rescan is what guarantees a folder is seen, since
/// watchers drop events (buffer overflow, network shares, inotify limits).
/// </summary>
public sealed partial class FolderWatcher(WatchedFolderOptions options, FolderBatchImporter importer, TimeProvider time, ILogger<FolderWatcher> logger)
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public string Root { get; } = Path.GetFullPath(options.Path);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Root);
        using var watcher = TryWatch();
        LogWatching(logger, Root, watcher is not null);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A folder that cannot be read, or a store that failed a write: the loop lives on and tries again.
                LogScanFailed(logger, Root, ex.Message);
            }
            try
            {
                await _wake.WaitAsync(options.ScanInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass: takes every subfolder that is ready and settled.</summary>
    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        foreach (var folder in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(folder);
            if (!ReadyFolders.IsCandidate(name) || !Directory.Exists(folder)) continue;
            var quietFor = time.GetUtcNow().UtcDateTime - ReadyFolders.LastChangeUtc(folder);
            if (quietFor < options.SettleTime) continue;
            await importer.ImportAsync(Root, folder, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private FileSystemWatcher? TryWatch()
    {
        try
        {
            var watcher = new FileSystemWatcher(Root) { IncludeSubdirectories = true };
            watcher.Created += (_, _) => Wake();
            watcher.Renamed += (_, _) => Wake();
            watcher.Changed += (_, _) => Wake();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // e.g. the inotify instance limit: the rescan alone still finds every folder, only later.
            LogNoWatcher(logger, Root, ex.Message);
            return null;
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); }
            catch (SemaphoreFullException) { /* already awake */ }
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Watching {Folder} for ready subfolders (file-system events: {Events})")]
    private static partial void LogWatching(ILogger logger, string folder, bool events);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "No file-system events for {Folder} ({Why}); relying on the periodic rescan")]
    private static partial void LogNoWatcher(ILogger logger, string folder, string why);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Scanning {Folder} failed: {Why}; trying again at the next scan")]
    private static partial void LogScanFailed(ILogger logger, string folder, string why);
}
