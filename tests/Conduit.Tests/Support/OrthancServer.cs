using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conduit.Tests.Support;

/// <summary>A DICOM peer Orthanc should know (<c>DicomModalities</c>): AE title, host, port.</summary>
internal sealed record OrthancModality(string AeTitle, string Host, int Port);

/// <summary>How to start an <see cref="OrthancServer"/>.</summary>
internal sealed record OrthancOptions
{
    public string AeTitle { get; init; } = "ORTHANC";

    /// <summary>Peers by symbolic name, e.g. <c>["conduit"] = new("CONDUIT", "127.0.0.1", port)</c>, for
    /// <c>/modalities/{name}/store</c> and <c>/modalities/{name}/echo</c>.</summary>
    public IReadOnlyDictionary<string, OrthancModality> Modalities { get; init; } = new Dictionary<string, OrthancModality>();

    /// <summary>Any other configuration keys, written last so they win (e.g. <c>"Plugins"</c> for DICOMweb).</summary>
    public IReadOnlyDictionary<string, JsonNode?> Settings { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>HTTP users (name → password): when any, Orthanc's HTTP authentication is on (<c>RegisteredUsers</c>)
    /// and <see cref="OrthancServer.Http"/> signs in as the first.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>The HTTP port, for a test that points Conduit at it before Orthanc is up; null picks a free one.</summary>
    public int? HttpPort { get; init; }

    /// <summary>With the DICOMweb plugin (Debian package <c>orthanc-dicomweb</c>) at <c>/dicom-web/</c>.</summary>
    public bool DicomWeb { get; init; }

    /// <summary>Logs the SOP Instance UID of every instance Orthanc receives, duplicates included (a Lua
    /// <c>ReceivedInstanceFilter</c>), for <see cref="OrthancServer.ReceivedCounts"/>.</summary>
    public bool LogReceivedInstances { get; init; }
}

/// <summary>
/// Debian's Orthanc (<c>/usr/sbin/Orthanc</c>, package <c>orthanc</c>) run in the foreground with a private
/// configuration in a temporary folder: storage and index there, free HTTP and DICOM ports, no authentication (unless
/// <see cref="OrthancOptions.Users"/> are given),
/// HTTP refused from anything but loopback (RemoteAccessAllowed false), no plugins unless asked. Orthanc 1.10 has no
/// setting to bind its DICOM port to loopback only. Ready once <c>GET /system</c> answers; Dispose kills it and deletes
/// the folder.
/// </summary>
internal sealed class OrthancServer : IDisposable
{
    public const string Executable = "/usr/sbin/Orthanc";
    public const string DicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";
    private const string ReceivedMark = "conduit-test received ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly RunningProcess _process;
    private readonly TempDirectory _directory;

    private OrthancServer(RunningProcess process, TempDirectory directory, int httpPort, int dicomPort, OrthancOptions options)
    {
        _process = process;
        _directory = directory;
        HttpPort = httpPort;
        DicomPort = dicomPort;
        AeTitle = options.AeTitle;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(60) };
        if (options.Users.Count > 0)
        {
            var (user, password) = options.Users.First();
            Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    /// <summary>The DICOMweb plugin's root (with <see cref="OrthancOptions.DicomWeb"/>): <c>http://127.0.0.1:PORT/dicom-web</c>.</summary>
    public string DicomWebUrl => $"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}/dicom-web";

    /// <summary>How many times each SOP Instance UID reached Orthanc, duplicates included (with
    /// <see cref="OrthancOptions.LogReceivedInstances"/>), read from Orthanc's log.</summary>
    public IReadOnlyDictionary<string, int> ReceivedCounts() => Output.Split('\n')
        .Select(line => line.IndexOf(ReceivedMark, StringComparison.Ordinal) is var at and >= 0 ? line[(at + ReceivedMark.Length)..].Trim() : null)
        .OfType<string>()
        .GroupBy(uid => uid, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public int HttpPort { get; }

    public int DicomPort { get; }

    public string AeTitle { get; }

    /// <summary>"127.0.0.1:PORT" of the DICOM port, the peer argument of <c>conduit send</c> / <c>conduit echo</c>.</summary>
    public string DicomEndpoint => $"127.0.0.1:{DicomPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A client for the REST API (base address http://127.0.0.1:HttpPort/).</summary>
    public HttpClient Http { get; }

    /// <summary>The folder that holds the configuration, the storage area and the index.</summary>
    public string Directory => _directory.Path;

    public int Pid => _process.Pid;

    public long PeakRssBytes => _process.PeakRssBytes;

    /// <summary>Command line and Orthanc's log, for assertion messages.</summary>
    public string Output => _process.Output;

    public static async Task<OrthancServer> StartAsync(OrthancOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OrthancOptions();
        var directory = new TempDirectory("conduit-orthanc");
        RunningProcess? process = null;
        OrthancServer? server = null;
        try
        {
            var httpPort = options.HttpPort ?? FreePort.Next();
            var dicomPort = FreePort.Next();
            while (dicomPort == httpPort) dicomPort = FreePort.Next();
            var configPath = Path.Combine(directory.Path, "orthanc.json");
            await File.WriteAllTextAsync(configPath, Configuration(options, directory, httpPort, dicomPort).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);

            process = RunningProcess.Start(Executable, [configPath], workingDirectory: directory.Path);
            server = new OrthancServer(process, directory, httpPort, dicomPort, options);
            await server.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            if (server is not null) server.Dispose();
            else
            {
                process?.Dispose();
                directory.Dispose();
            }
            throw;
        }
    }

    private static JsonObject Configuration(OrthancOptions options, TempDirectory directory, int httpPort, int dicomPort)
    {
        var modalities = new JsonObject();
        foreach (var (name, m) in options.Modalities)
            modalities[name] = new JsonArray(m.AeTitle, m.Host, m.Port);

        var config = new JsonObject
        {
            ["Name"] = "conduit-tests",
            ["StorageDirectory"] = directory.Sub("storage"),
            ["IndexDirectory"] = directory.Sub("index"),
            ["StorageCompression"] = false,
            ["Plugins"] = new JsonArray(),
            ["HttpServerEnabled"] = true,
            ["HttpPort"] = httpPort,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomServerEnabled"] = true,
            ["DicomAet"] = options.AeTitle,
            ["DicomPort"] = dicomPort,
            ["DicomCheckCalledAet"] = false,
            ["DicomAlwaysAllowStore"] = true,
            ["DicomAlwaysAllowEcho"] = true,
            ["DicomModalities"] = modalities,
            ["SaveJobs"] = false,
            // The test machine's disks are shared by several agents; durability is not what these tests measure.
            ["SyncStorageArea"] = false,
        };
        if (options.Users.Count > 0)
        {
            config["AuthenticationEnabled"] = true;
            config["RegisteredUsers"] = new JsonObject(options.Users.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)u.Value)));
        }
        if (options.DicomWeb)
        {
            config["Plugins"] = new JsonArray(DicomWebPlugin);
            config["DicomWeb"] = new JsonObject { ["Enable"] = true, ["Root"] = "/dicom-web/" };
        }
        if (options.LogReceivedInstances)
        {
            // Called for every instance received, whatever the way in and even when already stored: what a
            // duplicate delivery would show. print() lands in Orthanc's log as "Lua says: ...".
            var script = Path.Combine(directory.Path, "received.lua");
            File.WriteAllText(script, $"function ReceivedInstanceFilter(dicom, origin, info)\n  print('{ReceivedMark}' .. dicom.SOPInstanceUID)\n  return true\nend\n");
            config["LuaScripts"] = new JsonArray(script);
        }
        foreach (var (key, value) in options.Settings)
            config[key] = value?.DeepClone();
        return config;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Orthanc exited with code {_process.ExitCode} while starting: {Output}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Orthanc did not answer GET /system within {StartTimeout.TotalSeconds:0} s: {Output}");
            try
            {
                using var response = await Http.GetAsync("system", cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && FreePort.IsListening(DicomPort)) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The SOP Instance UID of every instance Orthanc stored (<c>GET /instances?expand</c>).</summary>
    public async Task<IReadOnlyList<string>> ListSopInstanceUidsAsync(CancellationToken cancellationToken = default)
    {
        var instances = await Http.GetFromJsonAsync<JsonArray>("instances?expand", cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("GET /instances?expand returned null");
        return instances
            .Select(i => i?["MainDicomTags"]?["SOPInstanceUID"]?.GetValue<string>()
                ?? throw new InvalidDataException($"instance without MainDicomTags.SOPInstanceUID: {i?.ToJsonString()}"))
            .ToList();
    }

    /// <summary>Deletes everything stored (every patient), so the next batch starts from an empty server.</summary>
    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        var patients = await Http.GetFromJsonAsync<List<string>>("patients", cancellationToken).ConfigureAwait(false) ?? [];
        foreach (var id in patients)
        {
            using var response = await Http.DeleteAsync($"patients/{Uri.EscapeDataString(id)}", cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Orthanc's identifiers of every stored instance (<c>GET /instances</c>).</summary>
    public async Task<IReadOnlyList<string>> ListInstanceIdsAsync(CancellationToken cancellationToken = default) =>
        await Http.GetFromJsonAsync<List<string>>("instances", cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("GET /instances returned null");

    /// <summary>Uploads a DICOM file through REST (<c>POST /instances</c>) and returns Orthanc's instance id.</summary>
    public async Task<string> UploadAsync(string path, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        using var response = await Http.PostAsync("instances", content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"POST /instances {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)?["ID"]?.GetValue<string>() ?? throw new InvalidDataException($"POST /instances answered {body}");
    }

    /// <summary>Asks Orthanc to C-STORE instances (by Orthanc id) to a configured modality, synchronously.</summary>
    public async Task<JsonNode?> StoreToModalityAsync(string modality, IEnumerable<string> orthancIds, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject { ["Resources"] = new JsonArray(orthancIds.Select(id => (JsonNode?)id).ToArray()), ["Synchronous"] = true };
        using var response = await Http.PostAsJsonAsync($"modalities/{Uri.EscapeDataString(modality)}/store", request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"POST /modalities/{modality}/store: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body);
    }

    /// <summary>Asks Orthanc to C-ECHO a configured modality; true on success.</summary>
    public async Task<bool> EchoModalityAsync(string modality, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent("{}");
        using var response = await Http.PostAsync($"modalities/{Uri.EscapeDataString(modality)}/echo", content, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
        _directory.Dispose();
    }
}
