using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conduit.Pipeline.Steps.Containers;

/// <summary>
/// A minimal Docker Engine REST API client over a unix socket: what running a step needs (image inspect and pull,
/// container create/start/wait/kill/logs/remove) and nothing more. Works with Docker and with podman's
/// <c>podman system service</c>. The API version is the lower of the engine's (<c>GET /version</c>) and
/// <see cref="DockerEngineOptions.MaxApiVersion"/>, negotiated on first use.
/// </summary>
public sealed class DockerEngineClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly DockerEngineOptions _options;
    private readonly SemaphoreSlim _negotiate = new(1, 1);
    private string? _apiVersion;

    public DockerEngineClient(DockerEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(options.SocketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // The host name is not used (the socket is); waits are long polls bounded by the caller's token.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker.engine/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The negotiated API version (after the first request).</summary>
    public string? ApiVersion => _apiVersion;

    /// <summary><c>GET /_ping</c>: true when the engine answers "OK".</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "_ping", null, cancellationToken, versioned: false).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            && (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim() == "OK";
    }

    /// <summary><c>GET /images/{name}/json</c>: whether the engine has the image locally.</summary>
    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"images/{ImageReference.Validate(image)}/json", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await EnsureSuccessAsync(response, $"inspect image {image}", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// <c>POST /images/create?fromImage=…&amp;tag=…</c>: pulls an image. The engine streams JSON progress lines and
    /// reports a failure (no network, unknown image, denied) as a line with an "error" member under status 200: that
    /// line becomes a <see cref="DockerEngineException"/> naming the image.
    /// </summary>
    public async Task PullImageAsync(string image, CancellationToken cancellationToken)
    {
        var (repository, tag) = ImageReference.Split(image);
        var query = "images/create?fromImage=" + Uri.EscapeDataString(repository) + (tag is null ? "" : "&tag=" + Uri.EscapeDataString(tag));
        using var response = await SendAsync(HttpMethod.Post, query, null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"pull image {image}", cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0 && TryParse(line) is JsonObject progress && progress["error"]?.GetValue<string>() is { } error)
            {
                throw new DockerEngineException($"Pulling image {image} failed: {error}");
            }
        }
    }

    /// <summary><c>POST /containers/create</c>: returns the new container's id.</summary>
    public async Task<string> CreateContainerAsync(ContainerCreateSpec spec, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var path = "containers/create" + (name is null ? "" : "?name=" + Uri.EscapeDataString(name));
        using var content = new StringContent(spec.ToJson().ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await SendAsync(HttpMethod.Post, path, content, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"create a container from {spec.Image}", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        return body?["Id"]?.GetValue<string>() ?? throw new DockerEngineException("The engine created a container but returned no id.");
    }

    /// <summary><c>POST /containers/{id}/start</c>.</summary>
    public async Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"containers/{Escape(id)}/start", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"start container {Short(id)}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /containers/{id}/wait</c>: waits until the container stops and returns its exit code.</summary>
    public async Task<int> WaitContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"containers/{Escape(id)}/wait", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"wait for container {Short(id)}", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        if (body?["Error"] is JsonObject { } error && error["Message"]?.GetValue<string>() is { Length: > 0 } message)
        {
            throw new DockerEngineException($"Waiting for container {Short(id)} failed: {message}");
        }
        return body?["StatusCode"]?.GetValue<int>() ?? throw new DockerEngineException("The engine's wait answer has no StatusCode.");
    }

    /// <summary><c>POST /containers/{id}/kill</c> with SIGKILL; a container that already stopped is not an error.</summary>
    public async Task KillContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"containers/{Escape(id)}/kill?signal=SIGKILL", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return; // not running any more, or already gone
        }
        await EnsureSuccessAsync(response, $"kill container {Short(id)}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /containers/{id}/logs</c> (stdout and stderr, demultiplexed) into <paramref name="log"/>.</summary>
    public async Task ReadLogsAsync(string id, BoundedLog log, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"containers/{Escape(id)}/logs?stdout=1&stderr=1", null, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"read the logs of container {Short(id)}", cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await DockerLogDemultiplexer.CopyAsync(stream, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /containers/json?all=1&amp;filters={"label":[…]}</c>: ids of containers (running or not) carrying every label.</summary>
    public async Task<IReadOnlyList<string>> ListContainersAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var filter = new JsonObject
        {
            ["label"] = new JsonArray(labels.Select(l => (JsonNode?)JsonValue.Create(l.Value is null ? l.Key : $"{l.Key}={l.Value}")).ToArray()),
        };
        using var response = await SendAsync(HttpMethod.Get, "containers/json?all=1&filters=" + Uri.EscapeDataString(filter.ToJsonString()),
            null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "list containers", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken).ConfigureAwait(false) ?? [];
        return body.Select(c => c?["Id"]?.GetValue<string>()).OfType<string>().ToList();
    }

    /// <summary><c>DELETE /containers/{id}?force=1&amp;v=1</c>; a container already gone is not an error.</summary>
    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"containers/{Escape(id)}?force=1&v=1", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        await EnsureSuccessAsync(response, $"remove container {Short(id)}", cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content,
        CancellationToken cancellationToken, bool versioned = true)
    {
        var prefix = versioned ? "v" + await NegotiateAsync(cancellationToken).ConfigureAwait(false) + "/" : "";
        using var request = new HttpRequestMessage(method, prefix + path) { Content = content };
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DockerEngineException(
                $"The container engine at {_options.SocketPath} cannot be reached ({e.Message}). Is Docker running, or `podman system service`?",
                null, e);
        }
    }

    private async Task<string> NegotiateAsync(CancellationToken cancellationToken)
    {
        if (_apiVersion is { } known)
        {
            return known;
        }
        await _negotiate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_apiVersion is null)
            {
                using var response = await SendAsync(HttpMethod.Get, "version", null, cancellationToken, versioned: false).ConfigureAwait(false);
                await EnsureSuccessAsync(response, "read the engine version", cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
                var engine = body?["ApiVersion"]?.GetValue<string>()
                    ?? throw new DockerEngineException("The engine's /version answer has no ApiVersion.");
                _apiVersion = Lower(engine, _options.MaxApiVersion);
            }
            return _apiVersion;
        }
        finally
        {
            _negotiate.Release();
        }
    }

    private static string Lower(string a, string b) =>
        Version.TryParse(a, out var va) && Version.TryParse(b, out var vb) && va < vb ? a : b;

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        // Engine errors are {"message": "..."} (Docker) or {"cause": "...", "message": "..."} (podman).
        var message = TryParse(text) is JsonObject error && error["message"]?.GetValue<string>() is { } m ? m : text.Trim();
        throw new DockerEngineException(
            string.Create(CultureInfo.InvariantCulture, $"Could not {what}: {(int)response.StatusCode} {message}"), response.StatusCode);
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    public void Dispose()
    {
        _http.Dispose();
        _negotiate.Dispose();
    }
}
