using System.Globalization;
using System.Text.RegularExpressions;
using Conduit.Tests.Cli;

namespace Conduit.Tests.Support;

/// <summary>
/// A running <c>conduit receive --bind 127.0.0.1 --port 0</c>, ready once it printed
/// <c>listening on ADDR:PORT as AET</c>. It writes into its own temporary folder (<see cref="OutDir"/>), deleted on
/// Dispose together with the process (SIGTERM, then SIGKILL).
/// </summary>
internal sealed partial class ReceiverProcess : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly RunningProcess _process;
    private readonly TempDirectory _outDir;

    private ReceiverProcess(RunningProcess process, TempDirectory outDir, string host, int port, string aeTitle)
    {
        _process = process;
        _outDir = outDir;
        Host = host;
        Port = port;
        AeTitle = aeTitle;
    }

    /// <summary>The address printed in the listening line (127.0.0.1).</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>The receiver's own AE title, from the listening line: peers must call it (called AE check).</summary>
    public string AeTitle { get; }

    /// <summary>"127.0.0.1:PORT", the peer argument of <c>conduit send</c> and <c>conduit echo</c>.</summary>
    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The <c>--out</c> folder: <c>StudyUID/SeriesUID/SOPInstanceUID.dcm</c> below it.</summary>
    public string OutDir => _outDir.Path;

    public int Pid => _process.Pid;

    public bool HasExited => _process.HasExited;

    /// <summary>The log (STDERR) printed so far.</summary>
    public string Stderr => _process.Stderr;

    public string Stdout => _process.Stdout;

    /// <summary>Command line and both streams, for assertion messages.</summary>
    public string Output => _process.Output;

    /// <summary>Peak resident set size (VmHWM) in bytes, sampled on each read and at stop.</summary>
    public long PeakRssBytes => _process.PeakRssBytes;

    [GeneratedRegex(@"listening on (\S+):(\d+) as (\S+)")]
    private static partial Regex ListeningLine();

    /// <summary>
    /// Starts <c>conduit receive --bind 127.0.0.1 --port 0 --out TMP</c> plus <paramref name="extraArgs"/>
    /// (e.g. <c>--aet</c>, <c>--allow</c>, <c>--no-fsync</c>) and waits for its listening line.
    /// </summary>
    public static async Task<ReceiverProcess> StartAsync(IEnumerable<string>? extraArgs = null, CancellationToken cancellationToken = default)
    {
        var outDir = new TempDirectory("conduit-rx");
        RunningProcess? process = null;
        try
        {
            var args = new List<string> { ConduitProcess.AssemblyPath, "receive", "--bind", "127.0.0.1", "--port", "0", "--out", outDir.Path };
            if (extraArgs is not null) args.AddRange(extraArgs);
            process = RunningProcess.Start("dotnet", args);
            var match = await process.WaitForStdoutLineAsync(ListeningLine(), StartTimeout, cancellationToken).ConfigureAwait(false);
            var port = int.Parse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            return new ReceiverProcess(process, outDir, match.Groups[1].Value, port, match.Groups[3].Value);
        }
        catch
        {
            process?.Dispose();
            outDir.Dispose();
            throw;
        }
    }

    public static Task<ReceiverProcess> StartAsync(params string[] extraArgs) => StartAsync((IEnumerable<string>)extraArgs);

    /// <summary>
    /// Every <c>.dcm</c> file stored so far, with absolute paths; folders whose name starts with a dot (the receiver's
    /// own working folders, such as <c>.incoming</c> for partial instances) are not stored instances.
    /// </summary>
    public IReadOnlyList<string> ReceivedFiles() =>
        Directory.Exists(OutDir)
            ? Directory.EnumerateFiles(OutDir, "*.dcm", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(OutDir, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>
    /// Deletes everything stored so far (between batches whose SOP Instance UIDs repeat), leaving the receiver's own
    /// dot-folders alone.
    /// </summary>
    public void ClearReceived()
    {
        foreach (var directory in Directory.EnumerateDirectories(OutDir).Where(d => !Path.GetFileName(d).StartsWith('.')))
            Directory.Delete(directory, recursive: true);
        foreach (var file in Directory.EnumerateFiles(OutDir).Where(f => !Path.GetFileName(f).StartsWith('.')))
            File.Delete(file);
    }

    /// <summary>Sends SIGTERM (or <paramref name="signal"/>) and returns the exit code; the contract says 0.</summary>
    public Task<int> StopAsync(int signal = Signals.SigTerm, CancellationToken cancellationToken = default) =>
        _process.StopAsync(signal, TimeSpan.FromSeconds(15), cancellationToken);

    public void Dispose()
    {
        _process.Dispose();
        _outDir.Dispose();
    }
}
