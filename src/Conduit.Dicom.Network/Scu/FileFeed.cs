namespace Conduit.Dicom.Network.Scu;

/// <summary>
/// The files an association's workers take from while they are still being read: the scan adds, workers take, a
/// file whose association failed goes back. <see cref="TakeAsync"/> returns null once the scan is complete and nothing
/// is left.
/// </summary>
internal sealed class FileFeed : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<ScuFile> _queue = new();
    private readonly SemaphoreSlim _added = new(0);
    private volatile bool _complete;

    public FileFeed(IEnumerable<ScuFile>? files = null, bool complete = false)
    {
        if (files is not null) foreach (var file in files) Add(file);
        if (complete) Complete();
    }

    /// <summary>No file left and none to come.</summary>
    public bool IsDrained => _complete && _queue.IsEmpty;

    public void Add(ScuFile file)
    {
        _queue.Enqueue(file);
        _added.Release();
    }

    /// <summary>The scan is over: workers waiting for a file are woken and see there is none.</summary>
    public void Complete()
    {
        _complete = true;
        _added.Release(1024);
    }

    public bool TryTake(out ScuFile file) => _queue.TryDequeue(out file!);

    public async ValueTask<ScuFile?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_queue.TryDequeue(out var file)) return file;
            if (_complete) return _queue.TryDequeue(out file) ? file : null;
            await _added.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _added.Dispose();
}
