using System.Text.RegularExpressions;
using Conduit.Tests.Cli;
using Conduit.Tests.Support;

namespace Conduit.Tests.Serve.Support;

/// <summary>
/// One run of <c>dotnet conduit.dll serve</c> in a <see cref="ServeSite"/>'s folder (it finds <c>./conduit.yaml</c>
/// there), ready once it printed its <c>http on URL</c> line. Dispose stops it (SIGTERM, then SIGKILL of the tree).
/// </summary>
internal sealed partial class ServeProcess : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private const int SigKill = 9;

    private readonly RunningProcess _process;

    private ServeProcess(RunningProcess process) => _process = process;

    public int Pid => _process.Pid;

    public bool HasExited => _process.HasExited;

    /// <summary>Command line, the ready lines and the log, for assertion messages.</summary>
    public string Output => _process.Output;

    [GeneratedRegex(@"^http on (\S+)$")]
    private static partial Regex HttpLine();

    [GeneratedRegex(@"^listening on \S+:\d+ as \S+$")]
    private static partial Regex ListeningLine();

    public static async Task<ServeProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken = default)
    {
        var process = RunningProcess.Start("dotnet", [ConduitProcess.AssemblyPath, "serve"], environment, workingDirectory);
        try
        {
            await process.WaitForStdoutLineAsync(ListeningLine(), StartTimeout, cancellationToken).ConfigureAwait(false);
            await process.WaitForStdoutLineAsync(HttpLine(), StartTimeout, cancellationToken).ConfigureAwait(false);
            return new ServeProcess(process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary><c>kill -9</c>: no shutdown code runs, as in a crash or a power cut of the process. Waits for the exit.</summary>
    public async Task KillHardAsync()
    {
        Signals.Send(_process.Pid, SigKill);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>SIGTERM, and the exit code of the graceful stop.</summary>
    public Task<int> StopAsync() => _process.StopAsync(Signals.SigTerm, TimeSpan.FromSeconds(30));

    public void Dispose() => _process.Dispose();
}
