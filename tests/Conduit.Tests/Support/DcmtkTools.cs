namespace Conduit.Tests.Support;

/// <summary>
/// dcmtk's command-line tools (Debian package <c>dcmtk</c>, installed by test.sh) as peers: storescu, echoscu and
/// dcmdump run to completion; storescp runs as a disposable server.
/// </summary>
internal static class DcmtkTools
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Debian builds dcmtk with Nagle left on unless TCP_NODELAY=1 is set, which costs ~45 ms per instance
    /// (dcmtk's dcmnet reads this variable when it opens a socket).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string> { ["TCP_NODELAY"] = "1" };

    /// <summary>Runs a dcmtk tool (storescu, echoscu, dcmdump, ...) with <paramref name="args"/> to completion.</summary>
    public static Task<ProcessRun> RunAsync(string tool, IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(tool, args, timeout ?? DefaultTimeout, Environment, workingDirectory, cancellationToken);

    public static Task<ProcessRun> RunAsync(string tool, params string[] args) => RunAsync(tool, (IEnumerable<string>)args);

    /// <summary>
    /// Starts <c>storescp +xa -od OUT [extra args] PORT</c> on a free port (bind 0, read, release) and waits until it
    /// listens. dcmtk 3.6.7's storescp cannot be told to bind loopback only: it listens on every interface.
    /// </summary>
    public static Task<StoreScpProcess> StartStoreScpAsync(string outDir, IEnumerable<string>? extraArgs = null, CancellationToken cancellationToken = default) =>
        StoreScpProcess.StartAsync(outDir, extraArgs, cancellationToken);
}
