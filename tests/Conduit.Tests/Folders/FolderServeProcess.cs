using System.Text.Json;
using System.Text.RegularExpressions;
using Conduit.Tests.Cli;
using Conduit.Tests.Support;

namespace Conduit.Tests.Folders;

/// <summary>
/// A real <c>conduit serve</c> with one watched folder (<see cref="Incoming"/>), a CT flow without steps or
/// destinations, fast scan and settle times, and its HTTP API on a port of its own. Killed and its folders deleted on Dispose.
/// </summary>
internal sealed partial class FolderServeProcess : IDisposable
{
    private readonly TempDirectory _root;
    private readonly string _config;
    private RunningProcess _process;

    private FolderServeProcess(TempDirectory root, string config, RunningProcess process, Uri api)
    {
        _root = root;
        _config = config;
        _process = process;
        Http = new HttpClient { BaseAddress = api };
    }

    public string Incoming => Path.Combine(_root.Path, "incoming");

    public HttpClient Http { get; private set; }

    public string Output => _process.Output;

    [GeneratedRegex(@"http on (\S+)")]
    private static partial Regex HttpLine();

    /// <summary>The folder for the test's own files (e.g. a <c>move_to</c> target), deleted with the rest.</summary>
    public string Root => _root.Path;

    /// <param name="watchOptions">More keys of the watched folder's entry, each as "key: value" (e.g. "on_success: keep");
    /// <c>{root}</c> stands for <see cref="Root"/>.</param>
    public static async Task<FolderServeProcess> StartAsync(params string[] watchOptions)
    {
        var root = new TempDirectory("conduit-folders");
        RunningProcess? process = null;
        try
        {
            var flows = Directory.CreateDirectory(root.Sub("flows")).FullName;
            await File.WriteAllTextAsync(Path.Combine(flows, "ct.yaml"), "name: ct\nversion: '1'\ntriggers:\n  - Modality: CT\n");
            var config = Path.Combine(root.Path, "conduit.yaml");
            await File.WriteAllTextAsync(config, $"""
                receiver:
                  bind: 127.0.0.1
                  port: {FreePort.Next()}
                http:
                  urls: [http://127.0.0.1:0]
                storage:
                  data_directory: {root.Sub("data")}
                flows:
                  directory: {flows}
                folders:
                  watch:
                    - path: {Path.Combine(root.Path, "incoming")}
                      scan_interval: 200ms
                      settle_time: 300ms
                """ + string.Concat(watchOptions.Select(o => $"\n      {o.Replace("{root}", root.Path, StringComparison.Ordinal)}")));
            process = RunningProcess.Start("dotnet", [ConduitProcess.AssemblyPath, "serve", "--config", config]);
            var match = await process.WaitForStdoutLineAsync(HttpLine(), ReceiverProcess.StartTimeout);
            return new FolderServeProcess(root, config, process, new Uri(match.Groups[1].Value));
        }
        catch
        {
            process?.Dispose();
            root.Dispose();
            throw;
        }
    }

    /// <summary>Stops this serve and starts it again on the same configuration, data and folders (a new HTTP port).</summary>
    public async Task RestartAsync()
    {
        _process.Dispose();
        Http.Dispose();
        _process = RunningProcess.Start("dotnet", [ConduitProcess.AssemblyPath, "serve", "--config", _config]);
        var match = await _process.WaitForStdoutLineAsync(HttpLine(), ReceiverProcess.StartTimeout);
        Http = new HttpClient { BaseAddress = new Uri(match.Groups[1].Value) };
    }

    /// <summary>The folder batches the API lists now.</summary>
    public async Task<List<JsonElement>> BatchesAsync() =>
        JsonDocument.Parse(await Http.GetStringAsync("/api/v1/folder-batches")).RootElement.EnumerateArray().ToList();

    /// <summary>Polls (every 100 ms, at most <paramref name="timeout"/>) until <paramref name="done"/> holds; false when it never did.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await done()) return true;
            await Task.Delay(100);
        }
        return await done();
    }

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
        _root.Dispose();
    }
}
