namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// Group commit of directory fsyncs. A rename is durable only once its directory is fsynced (POSIX: the name lives in
/// the directory, not in the file), and one fsync of a directory covers every rename done in it before the fsync
/// started. So concurrent associations share rounds: a caller that finds no round running runs one itself (no thread
/// hop), covering every directory asked for until then; callers that arrive while it runs wait for the next round,
/// which then covers all of them with one fsync per distinct directory.
/// </summary>
internal sealed class DirectorySync
{
    private readonly object _gate = new();
    private readonly Action<string> _sync;
    private HashSet<string> _pending = new(StringComparer.Ordinal);
    private TaskCompletionSource? _nextRound;
    private bool _running;

    public DirectorySync(Action<string>? sync = null) => _sync = sync ?? DurableFiles.SyncDirectory;

    /// <summary>Rounds run so far (each fsyncs every distinct directory asked for since the previous round began).</summary>
    public long Rounds { get; private set; }

    /// <summary>Directory fsyncs done so far.</summary>
    public long Syncs { get; private set; }

    /// <summary>Completes once every directory given has been fsynced after this call began.</summary>
    public ValueTask SyncAsync(params ReadOnlySpan<string> directories)
    {
        TaskCompletionSource round;
        lock (_gate)
        {
            foreach (var directory in directories) _pending.Add(directory);
            round = _nextRound ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running) return new ValueTask(round.Task);
            _running = true;
        }
        // The leader: runs the round that covers its own directories on its own thread.
        RunRound();
        return new ValueTask(round.Task);
    }

    private void RunRound()
    {
        HashSet<string> directories;
        TaskCompletionSource round;
        lock (_gate)
        {
            directories = _pending;
            round = _nextRound!;
            _pending = new HashSet<string>(StringComparer.Ordinal);
            _nextRound = null;
        }
        Exception? failure = null;
        foreach (var directory in directories)
        {
            try
            {
                _sync(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failure ??= ex;
            }
        }
        bool more;
        lock (_gate)
        {
            Rounds++;
            Syncs += directories.Count;
            more = _nextRound is not null;
            if (!more) _running = false;
        }
        if (failure is null) round.SetResult();
        else round.SetException(failure);
        // Callers came while this round ran: their round starts now, on a pool thread, so the leader answers its peer.
        if (more) ThreadPool.UnsafeQueueUserWorkItem(static self => self.RunRound(), this, preferLocal: false);
    }
}
