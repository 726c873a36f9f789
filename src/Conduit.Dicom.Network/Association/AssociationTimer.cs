namespace Conduit.Dicom.Network.Association;

/// <summary>
/// The two clocks of an association: the ARTIM timer (PS3.8 §9.1.5: how long to wait for the A-ASSOCIATE-RQ after the
/// connection opens, and for the peer to close after A-ASSOCIATE-RJ, A-RELEASE-RP or A-ABORT) and the idle timeout
/// (no whole PDU for that long). One coarse timer checks both, so the hot read loop pays nothing per PDU: progress is
/// read from the parser's count of whole PDUs, which a peer dribbling bytes does not advance.
/// </summary>
internal sealed class AssociationTimer : IDisposable
{
    private readonly Func<long> _progress;
    private readonly CancellationTokenSource _expired;
    private readonly Timer _timer;
    private long _lastProgress = -1;
    private long _deadline;        // Environment.TickCount64 at which the current clock expires; long.MaxValue = off
    private long _idleMs;          // > 0 while the idle clock runs
    private volatile TimerKind _kind;
    private volatile bool _paused;

    public AssociationTimer(Func<long> progress, CancellationToken outer)
    {
        _progress = progress;
        _expired = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _deadline = long.MaxValue;
        _timer = new Timer(static s => ((AssociationTimer)s!).Check(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public enum TimerKind { None, Artim, Idle }

    /// <summary>Cancelled when a clock expires (or the outer token is cancelled).</summary>
    public CancellationToken Token => _expired.Token;

    /// <summary>Which clock expired, once <see cref="Token"/> is cancelled; None when it was the outer token.</summary>
    public TimerKind Expired { get; private set; }

    public void StartArtim(TimeSpan timeout)
    {
        _kind = TimerKind.Artim;
        _idleMs = 0;
        Volatile.Write(ref _deadline, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        Arm(timeout);
    }

    public void StartIdle(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            Stop();
            return;
        }
        _kind = TimerKind.Idle;
        _idleMs = (long)timeout.TotalMilliseconds;
        _lastProgress = _progress();
        Volatile.Write(ref _deadline, Environment.TickCount64 + _idleMs);
        Arm(timeout);
    }

    /// <summary>
    /// Holds the idle clock while we work on a complete message (storing, fsync, the handler, the response): the
    /// peer is waiting for us then, and a slow disk must not make us abort it.
    /// </summary>
    public void Pause() => _paused = true;

    /// <summary>Restarts the idle clock from now, once our answer is sent.</summary>
    public void Resume()
    {
        if (_kind == TimerKind.Idle)
        {
            _lastProgress = _progress();
            Volatile.Write(ref _deadline, Environment.TickCount64 + _idleMs);
        }
        _paused = false;
    }

    public void Stop()
    {
        _kind = TimerKind.None;
        Volatile.Write(ref _deadline, long.MaxValue);
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
    }

    private void Arm(TimeSpan timeout)
    {
        // Checked four times per period, at most once per second: expiry is late by at most a quarter period.
        var period = (long)Math.Clamp(timeout.TotalMilliseconds / 4, 20, 1000);
        _timer.Change(period, period);
    }

    private void Check()
    {
        var kind = _kind;
        if (kind == TimerKind.None || (_paused && kind == TimerKind.Idle)) return;
        var now = Environment.TickCount64;
        if (kind == TimerKind.Idle)
        {
            var progress = _progress();
            if (progress != _lastProgress)
            {
                _lastProgress = progress;
                Volatile.Write(ref _deadline, now + _idleMs);
                return;
            }
        }
        if (now < Volatile.Read(ref _deadline)) return;
        Expired = kind;
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        try { _expired.Cancel(); } catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _expired.Dispose();
    }
}
