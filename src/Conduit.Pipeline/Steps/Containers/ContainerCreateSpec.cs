using System.Text.Json.Nodes;

namespace Conduit.Pipeline.Steps.Containers;

/// <summary>
/// The parts of the Engine API's <c>POST /containers/create</c> body Conduit uses (Docker Engine API v1.41,
/// "ContainerCreate"). <see cref="Binds"/> are <c>host:container[:ro]</c>; <see cref="NetworkMode"/> "none" cuts
/// the container off every network but loopback.
/// </summary>
public sealed record ContainerCreateSpec(string Image)
{
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyList<string> Environment { get; init; } = [];
    public IReadOnlyList<string> Binds { get; init; } = [];
    public string NetworkMode { get; init; } = "none";
    public long? MemoryBytes { get; init; }
    public long? NanoCpus { get; init; }

    /// <summary>GPUs through DeviceRequests: null none, -1 all.</summary>
    public int? GpuCount { get; init; }

    public string? User { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public JsonObject ToJson()
    {
        var host = new JsonObject
        {
            ["Binds"] = Array(Binds),
            ["NetworkMode"] = NetworkMode,
            // Conduit removes the container itself after reading its logs and exit code.
            ["AutoRemove"] = false,
        };
        if (MemoryBytes is { } memory)
        {
            host["Memory"] = memory;
        }
        if (NanoCpus is { } nanoCpus)
        {
            host["NanoCpus"] = nanoCpus;
        }
        if (GpuCount is { } gpus)
        {
            host["DeviceRequests"] = new JsonArray(new JsonObject
            {
                ["Driver"] = "",
                ["Count"] = gpus,
                ["Capabilities"] = new JsonArray(new JsonArray("gpu")),
            });
        }
        var labels = new JsonObject();
        foreach (var (key, value) in Labels)
        {
            labels[key] = value;
        }
        var body = new JsonObject
        {
            ["Image"] = Image,
            ["Env"] = Array(Environment),
            ["Labels"] = labels,
            ["AttachStdin"] = false,
            ["AttachStdout"] = false,
            ["AttachStderr"] = false,
            ["Tty"] = false,
            ["NetworkDisabled"] = NetworkMode == "none",
            ["HostConfig"] = host,
        };
        if (Command.Count > 0)
        {
            body["Cmd"] = Array(Command);
        }
        if (User is not null)
        {
            body["User"] = User;
        }
        return body;
    }

    private static JsonArray Array(IReadOnlyList<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
