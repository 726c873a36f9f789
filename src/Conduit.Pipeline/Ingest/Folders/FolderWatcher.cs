using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Ingest.Folders;

/// <summary>
/// Watches one input folder: each ready subfolder (see <see cref="ReadyFolders"/>) whose files have not changed for the
/// settle time becomes a folder batch, imported file by file through the <see cref="FileImporter"/> as one delivery.
/// A <see cref="FileSystemWatcher"/> wakes the loop early; the periodic rescan is what guarantees a folder is seen, since
/// watchers drop events (buffer overflow, network shares, inotify limits).
/// A folder that a batch imported but could not delete, rename or move (its fate "left in place") is skipped while
/// nothing in it changed since that batch, even after a restart (the batches are in the store): taking it again would
/// import its files a second time and make their jobs again.
/// </summary>
public sealed partial class FolderWatcher(WatchedFolderOptions options, FolderBatchImporter importer, TimeProvider time, ILogger<FolderWatcher> logger)
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>The folders left in place, by name (loaded from the store at the first scan), and those already reported skipped.</summary>
    private Dictionary<string, FolderBatchTaken>? _leftInPlace;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

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
        _leftInPlace ??= new(await importer.LeftInPlaceAsync(Root, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(folder);
            if (!ReadyFolders.IsCandidate(name) || !Directory.Exists(folder)) continue;
            var lastChange = ReadyFolders.LastChangeUtc(folder);
            if (IsLeftInPlace(folder, name, lastChange)) continue;
            var quietFor = time.GetUtcNow().UtcDateTime - lastChange;
            if (quietFor < options.SettleTime) continue;
            var taken = await importer.ImportAsync(Root, folder, options, cancellationToken).ConfigureAwait(false);
            if (taken.LeftInPlace)
            {
                _leftInPlace[name] = taken;
                _reported.Add(name);
                LogLeftInPlace(logger, folder, taken.Id, taken.FolderFate);
            }
        }
    }

    /// <summary>
    /// Whether the folder is one a batch left in place, unchanged since (it is then skipped, and said so once). A folder
    /// of that name changed since is a new delivery: someone put files in it, or it is another folder of the same name.
    /// </summary>
    private bool IsLeftInPlace(string folder, string name, DateTime lastChangeUtc)
    {
        if (!_leftInPlace!.TryGetValue(name, out var taken)) return false;
        if (lastChangeUtc > taken.FinishedAt.UtcDateTime)
        {
            _leftInPlace.Remove(name);
            _reported.Remove(name);
            return false;
        }
        if (_reported.Add(name)) LogLeftInPlace(logger, folder, taken.Id, taken.FolderFate);
        return true;
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

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Folder {Folder} (folder batch {Id}) is not taken again while nothing in it " +
        "changes, so its files are not imported twice: remove it by hand, or rename it to import it again. What became of it: {Fate}")]
    private static partial void LogLeftInPlace(ILogger logger, string folder, string id, string fate);
}
