using System.Globalization;
using System.Text;
using Conduit.Tests.Support;

namespace Conduit.Tests.Serve.Support;

/// <summary>
/// A Conduit installation made by a test: a temporary working folder with <c>conduit.yaml</c> (receiver and HTTP on
/// free loopback ports, a short quiet time), a <c>flows/</c> folder and the data folder, and the <c>conduit serve</c>
/// running in it. It can be killed and started again on the same folder and ports, as after a crash. Dispose stops the
/// process and deletes the folder.
/// </summary>
internal sealed class ServeSite : IDisposable
{
    /// <summary>
    /// conduit.yaml for tests of destinations that are down or refuse: short waits between delivery attempts, and a
    /// circuit that does not stay open for a minute.
    /// </summary>
    public const string QuickRetries = "destinations:\n  backoff: 500ms\n  max_backoff: 2s\n  circuit_breaker_cooldown: 1s\n";

    private readonly TempDirectory _directory = new("conduit-serve");
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly List<ServeProcess> _runs = [];

    /// <param name="dockerSocket">The container engine's socket (podman's), given to Conduit as DOCKER_HOST.</param>
    /// <param name="configuration">YAML added to conduit.yaml after the receiver, HTTP and grouping sections.</param>
    /// <param name="environment">More environment variables for conduit serve (e.g. a destination's password_env).</param>
    public ServeSite(string dockerSocket, string configuration = "", string quietTime = "2s", IReadOnlyDictionary<string, string>? environment = null)
    {
        ReceiverPort = FreePort.Next();
        HttpPort = FreePort.Next();
        while (HttpPort == ReceiverPort) HttpPort = FreePort.Next();
        System.IO.Directory.CreateDirectory(FlowsDirectory);
        File.WriteAllText(Path.Combine(Directory, "conduit.yaml"), $"""
            receiver:
              port: {ReceiverPort.ToString(CultureInfo.InvariantCulture)}
              bind: 127.0.0.1
            http:
              urls: [http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}]
            grouping:
              quiet_time: {quietTime}
            {configuration}
            """);
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["DOCKER_HOST"] = "unix://" + dockerSocket };
        Api = new ServeApi(new Uri($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}/"), () => Output);
    }

    public string Directory => _directory.Path;

    public string FlowsDirectory => Path.Combine(Directory, "flows");

    /// <summary>The default data directory (<c>./conduit-data</c>).</summary>
    public string DataDirectory => Path.Combine(Directory, "conduit-data");

    public int ReceiverPort { get; }

    public int HttpPort { get; }

    public ServeApi Api { get; }

    /// <summary>The running (or last) <c>conduit serve</c>.</summary>
    public ServeProcess Current => _runs.Count > 0 ? _runs[^1] : throw new InvalidOperationException("conduit serve was not started");

    /// <summary>Every run's command line and log, for assertion messages.</summary>
    public string Output
    {
        get
        {
            var text = new StringBuilder();
            for (var i = 0; i < _runs.Count; i++) text.Append(CultureInfo.InvariantCulture, $"=== conduit serve run {i + 1} ===\n{_runs[i].Output}\n");
            return text.ToString();
        }
    }

    /// <summary>A folder for the test's own files (series to send, destination folders, gates).</summary>
    public string Sub(string name) => _directory.Sub(name);

    public void WriteFlow(string fileName, string yaml) => File.WriteAllText(Path.Combine(FlowsDirectory, fileName), yaml);

    public async Task<ServeProcess> StartAsync()
    {
        var run = await ServeProcess.StartAsync(Directory, _environment).ConfigureAwait(false);
        _runs.Add(run);
        return run;
    }

    /// <summary>A flow destination entry (Conduit's schema) for a folder.</summary>
    public static string FolderDestination(string path, string name = "archive") => $"""
          - name: {name}
            type: folder
            path: {path}
        """;

    /// <summary>
    /// A flow for CT instances whose one step (a local program, no container) copies its input to its output, and whose
    /// destination is the folder <paramref name="delivered"/>.
    /// </summary>
    public static string CopyFlow(string delivered) => $$"""
        name: copy
        triggers:
          - Modality: CT
        steps:
          - name: copy
            type: process
            program: /bin/sh
            args: ["-c", "cp -r \"$CONDUIT_INPUT_DIR\"/. \"$CONDUIT_OUTPUT_DIR\"/"]
            timeout: 30s
        destinations:
          - name: archive
            type: folder
            path: {{delivered}}
        """;

    /// <summary>The SOP Instance UIDs a folder destination wrote (its files are named after them), in ordinal order.</summary>
    public static IReadOnlyList<string> DeliveredSopInstanceUids(string folder) =>
        [.. System.IO.Directory.EnumerateFiles(folder, "*.dcm", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension)
            .OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>Writes a series as <paramref name="spec"/> says into <see cref="Sub"/>(<paramref name="folder"/>) and sends it (<see cref="SendAsync"/>).</summary>
    public async Task<SyntheticSeries> SendSeriesAsync(SeriesSpec spec, string folder = "series")
    {
        var series = SyntheticSeries.Write(Sub(folder), spec);
        await SendAsync(series).ConfigureAwait(false);
        return series;
    }

    /// <summary>Sends the series with dcmtk's storescu to the receiver and requires every instance to be acknowledged.</summary>
    public async Task SendAsync(SyntheticSeries series)
    {
        var run = await StoreScuAsync(series.Directory).ConfigureAwait(false);
        Assert.True(run.ExitCode == 0, $"storescu failed:\n{run.Output}\n{Output}");
    }

    /// <summary>One storescu run of every file in <paramref name="folder"/> (recursively) to the receiver.</summary>
    public Task<ProcessRun> StoreScuAsync(string folder) =>
        DcmtkTools.RunAsync("storescu", ["-aec", "CONDUIT", "+sd", "+r", "127.0.0.1", ReceiverPort.ToString(CultureInfo.InvariantCulture), folder],
            TimeSpan.FromSeconds(60));

    public void Dispose()
    {
        Api.Dispose();
        foreach (var run in _runs) run.Dispose();
        _directory.Dispose();
    }
}
