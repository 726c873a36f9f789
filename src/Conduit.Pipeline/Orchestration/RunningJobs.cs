using System.Collections.Concurrent;

namespace Conduit.Pipeline.Orchestration;

/// <summary>
/// The jobs this process's workers are running now, each with the token that stops it: how an operator's cancel
/// (<see cref="JobCanceller"/>) reaches the step in progress (the runners kill their process or container on it).
/// </summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    public bool IsRunning(string jobId) => _running.ContainsKey(jobId);

    /// <summary>Asks the worker running the job to stop it; false when no worker here runs it.</summary>
    public bool Cancel(string jobId)
    {
        if (!_running.TryGetValue(jobId, out var stop)) return false;
        try
        {
            stop.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false; // the run ended between the lookup and the cancel
        }
    }

    /// <summary>Registers a run; dispose the result when the run ends.</summary>
    internal Run Start(string jobId)
    {
        var stop = new CancellationTokenSource();
        _running[jobId] = stop;
        return new Run(this, jobId, stop);
    }

    internal sealed class Run(RunningJobs owner, string jobId, CancellationTokenSource stop) : IDisposable
    {
        public CancellationToken Token => stop.Token;

        public void Dispose()
        {
            ((ICollection<KeyValuePair<string, CancellationTokenSource>>)owner._running).Remove(new(jobId, stop));
            stop.Dispose();
        }
    }
}
