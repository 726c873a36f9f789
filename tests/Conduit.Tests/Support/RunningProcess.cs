using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Conduit.Tests.Support;

/// <summary>
/// A long-running child process (a receiver, a peer server) whose output is captured line by line while it runs.
/// Dispose stops it: SIGTERM, a grace period, then SIGKILL of the whole tree — also when the test failed.
/// </summary>
internal sealed class RunningProcess : IDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiters = [];
    private long _peakRssBytes;
    private bool _disposed;

    private RunningProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    /// <summary>The command line, for error messages.</summary>
    public string Description { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Both streams, for failure messages.</summary>
    public string Output => $"{Description}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    public static RunningProcess Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        // Through env(1) with SIGINT and SIGTERM reset to their defaults: a suite started from a background shell
        // inherits SIGINT as ignored, and the program under test would then never see the Ctrl-C a test sends it.
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add(fileName);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;

        var description = $"{string.Join(' ', start.ArgumentList.Skip(1))}";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var running = new RunningProcess(process, description);
        process.OutputDataReceived += (_, e) => running.OnLine(e.Data, running._stdout, running._stdoutClosed, matchWaiters: true);
        process.ErrorDataReceived += (_, e) => running.OnLine(e.Data, running._stderr, running._stderrClosed, matchWaiters: false);
        if (!process.Start()) throw new InvalidOperationException($"{description} did not start");
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Waits for a STDOUT line matching <paramref name="pattern"/> (lines already printed count).</summary>
    public async Task<Match> WaitForStdoutLineAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<Match> found;
        lock (_stdout)
        {
            foreach (var line in _stdout.ToString().Split('\n'))
            {
                var match = pattern.Match(line);
                if (match.Success) return match;
            }
            found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((pattern, found));
        }

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        var exited = _process.WaitForExitAsync(timeoutCts.Token);
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(Timeout.Infinite, timeoutCts.Token)).ConfigureAwait(false);
        if (first == found.Task) return await found.Task.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (_process.HasExited)
        {
            await _stdoutClosed.Task.WaitAsync(StopGrace, CancellationToken.None).ConfigureAwait(false);
            if (found.Task.IsCompleted) return await found.Task.ConfigureAwait(false);
            throw new InvalidOperationException($"exited with code {_process.ExitCode} before printing /{pattern}/: {Output}");
        }
        throw new TimeoutException($"no line matching /{pattern}/ within {timeout.TotalSeconds:0} s: {Output}");
    }

    /// <summary>Waits until the process exits by itself; kills it and throws after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new TimeoutException($"did not exit within {timeout.TotalSeconds:0} s: {Output}");
        }
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(StopGrace, CancellationToken.None).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> (SIGTERM by default) and waits for the exit code.</summary>
    public async Task<int> StopAsync(int signal = Signals.SigTerm, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!_process.HasExited)
        {
            SamplePeakRss();
            Signals.Send(_process.Id, signal);
        }
        return await WaitForExitAsync(timeout ?? StopGrace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Peak resident set size in bytes (VmHWM of /proc/PID/status), the kernel's high-water mark. Remembered at the
    /// last sample taken while the process ran (each call and each stop samples it), so it stays readable after exit.
    /// </summary>
    public long PeakRssBytes
    {
        get
        {
            SamplePeakRss();
            return Interlocked.Read(ref _peakRssBytes);
        }
    }

    private void SamplePeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                // "VmHWM:	   12345 kB"
                var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                var bytes = kb * 1024;
                long seen;
                while ((seen = Interlocked.Read(ref _peakRssBytes)) < bytes && Interlocked.CompareExchange(ref _peakRssBytes, bytes, seen) != seen) { }
                return;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The process is gone (or is a zombie without memory lines): keep the last sample.
        }
    }

    private void OnLine(string? line, StringBuilder buffer, TaskCompletionSource closed, bool matchWaiters)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (buffer)
        {
            buffer.Append(line).Append('\n');
            if (!matchWaiters) return;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var match = _waiters[i].Pattern.Match(line);
                if (!match.Success) continue;
                _waiters[i].Found.TrySetResult(match);
                _waiters.RemoveAt(i);
            }
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                SamplePeakRss();
                Signals.Send(_process.Id, Signals.SigTerm);
                if (!_process.WaitForExit(StopGrace)) Kill();
                _process.WaitForExit(StopGrace);
            }
        }
        finally
        {
            Kill();
            _process.Dispose();
        }
    }
}
