using System.Globalization;

namespace Conduit.Tests.Support;

/// <summary>A running dcmtk <c>storescp</c> (started by <see cref="DcmtkTools.StartStoreScpAsync"/>); Dispose kills it.</summary>
internal sealed class StoreScpProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly RunningProcess _process;

    private StoreScpProcess(RunningProcess process, int port, string outDir)
    {
        _process = process;
        Port = port;
        OutDir = outDir;
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:PORT", the peer argument of <c>conduit send</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The <c>-od</c> folder (storescp names files MODALITY.SOPInstanceUID, flat).</summary>
    public string OutDir { get; }

    public int Pid => _process.Pid;

    public long PeakRssBytes => _process.PeakRssBytes;

    /// <summary>Command line and both streams, for assertion messages.</summary>
    public string Output => _process.Output;

    /// <param name="port">The port to listen on; null for a free one. A test gives one when a client was told it before the peer came up.</param>
    public static async Task<StoreScpProcess> StartAsync(string outDir, IEnumerable<string>? extraArgs = null, CancellationToken cancellationToken = default,
        int? port = null)
    {
        Directory.CreateDirectory(outDir);
        port ??= FreePort.Next();
        var args = new List<string> { "+xa", "-od", outDir };
        if (extraArgs is not null) args.AddRange(extraArgs);
        args.Add(port.Value.ToString(CultureInfo.InvariantCulture));
        var process = RunningProcess.Start("storescp", args, DcmtkTools.Environment);
        try
        {
            await FreePort.WaitUntilListeningAsync(port.Value, process, StartTimeout, cancellationToken).ConfigureAwait(false);
            return new StoreScpProcess(process, port.Value, outDir);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Every file storescp wrote so far.</summary>
    public IReadOnlyList<string> ReceivedFiles() =>
        Directory.EnumerateFiles(OutDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    public void Dispose() => _process.Dispose();
}
