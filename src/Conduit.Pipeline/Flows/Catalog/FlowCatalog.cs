using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Loading;
using Conduit.Pipeline.Flows.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Pipeline.Flows.Catalog;

/// <summary>
/// The flows of a folder (one per *.yaml file), kept current: a FileSystemWatcher schedules a reload, debounced so an
/// editor's burst of writes is read once. A file that turns invalid is reported in <see cref="FlowCatalogSnapshot.Errors"/>
/// with its file:line:col errors, and the last good version of its flow stays active; a deleted file's flow goes.
/// Readers take <see cref="Current"/>, an immutable snapshot, without locking.
/// </summary>
public sealed class FlowCatalog : IDisposable
{
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(300);

    private readonly ILogger _logger;
    private readonly TimeSpan _debounce;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly Timer _timer;
    private FileSystemWatcher? _watcher;
    private volatile FlowCatalogSnapshot _current = FlowCatalogSnapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FlowCatalog(string directory, ILogger<FlowCatalog>? logger = null, TimeSpan? debounce = null)
    {
        Directory = Path.GetFullPath(directory);
        _logger = logger ?? NullLogger<FlowCatalog>.Instance;
        _debounce = debounce ?? DefaultDebounce;
        _timer = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public string Directory { get; }

    /// <summary>The active flows and the files with errors, as of the last (re)load.</summary>
    public FlowCatalogSnapshot Current => _current;

    /// <summary>Raised after every reload with the new snapshot.</summary>
    public event Action<FlowCatalogSnapshot>? Changed;

    /// <summary>Loads every file now and starts watching the folder for changes.</summary>
    public void Start()
    {
        Reload();
        if (!System.IO.Directory.Exists(Directory)) return;
        var watcher = new FileSystemWatcher(Directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        watcher.Created += OnFileEvent;
        watcher.Changed += OnFileEvent;
        watcher.Deleted += OnFileEvent;
        watcher.Renamed += OnFileEvent;
        watcher.Error += (_, e) =>
        {
            // The watcher's buffer overflowed or it lost the folder: a full rescan is always correct.
            FlowCatalogLog.WatcherFailed(_logger, Directory, e.GetException());
            ScheduleReload();
        };
        watcher.EnableRaisingEvents = true;
        _watcher = watcher;
    }

    /// <summary>Completes when a reload newer than <paramref name="version"/> has been published.</summary>
    public async Task<FlowCatalogSnapshot> WaitForVersionAfterAsync(long version, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_current.Version > version) return _current;
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        if (IsFlowFile(e.FullPath) || e is RenamedEventArgs r && IsFlowFile(r.OldFullPath)) ScheduleReload();
    }

    /// <summary>Restarts the debounce timer: the reload runs once the folder has been quiet for the debounce time.</summary>
    private void ScheduleReload() => _timer.Change(_debounce, Timeout.InfiniteTimeSpan);

    private static bool IsFlowFile(string path) =>
        (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        && !Path.GetFileName(path).StartsWith('.');

    /// <summary>Re-reads every changed file and publishes a new snapshot.</summary>
    public void Reload()
    {
        lock (_gate)
        {
            var present = System.IO.Directory.Exists(Directory)
                ? System.IO.Directory.EnumerateFiles(Directory).Where(IsFlowFile).Order(StringComparer.Ordinal).ToList()
                : [];
            if (present.Count == 0 && !System.IO.Directory.Exists(Directory)) FlowCatalogLog.DirectoryMissing(_logger, Directory);

            foreach (var gone in _files.Keys.Except(present).ToList())
            {
                _files.Remove(gone);
                FlowCatalogLog.FlowRemoved(_logger, gone);
            }
            foreach (var path in present)
            {
                var stamp = Stamp(path);
                if (_files.TryGetValue(path, out var state) && stamp is not null && state.Stamp == stamp) continue;
                var result = FlowLoader.LoadFile(path);
                var lastGood = result.IsValid ? result.Flow : state?.LastGood;
                _files[path] = new FileState(stamp, lastGood, result.IsValid ? [] : result.Errors);
                if (result.IsValid) FlowCatalogLog.FlowLoaded(_logger, result.Flow!.Name, path);
                else FlowCatalogLog.FlowInvalid(_logger, path, lastGood is null ? "" : $" (its last good version of '{lastGood.Name}' stays active)", string.Join("; ", result.Errors));
            }

            var flows = new List<FlowDefinition>();
            var errors = new List<FlowFileStatus>();
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (path, state) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var fileErrors = state.Errors.ToList();
                var active = state.LastGood;
                if (active is not null && owners.TryGetValue(active.Name, out var owner))
                {
                    fileErrors.Add(new YamlError(new SourceLocation(SourceLocation.DisplayPath(path), 0, 0), "name", $"flow name '{active.Name}' is already used by {SourceLocation.DisplayPath(owner)}; this file is ignored"));
                    active = null;
                }
                if (active is not null)
                {
                    owners[active.Name] = path;
                    flows.Add(active);
                }
                if (fileErrors.Count > 0) errors.Add(new FlowFileStatus(path, fileErrors, active is not null));
            }

            _current = new FlowCatalogSnapshot(flows, errors, _current.Version + 1);
            FlowCatalogLog.Loaded(_logger, Directory, flows.Count, errors.Count);
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.SetResult();
        }
        Changed?.Invoke(_current);
    }

    /// <summary>What identifies a file's version: its content (flow files are small; a timestamp can miss a quick second edit).</summary>
    private static string? Stamp(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _timer.Dispose();
    }

    private sealed record FileState(string? Stamp, FlowDefinition? LastGood, IReadOnlyList<YamlError> Errors);
}
