using System.Globalization;
using System.Text.Json.Nodes;
using Conduit.Pipeline.Configuration.Values;
using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Staging;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>
/// Reads a DicomFlow flow file unchanged and translates it to Conduit's model (docs/flows.md, "DicomFlow
/// compatibility"): triggers keep DicomFlow's rule (every trigger map matched somewhere in the batch, '~' excludes),
/// <c>models</c> become container steps run in sequence, destinations become C-STORE destinations.
/// </summary>
internal static class DicomFlowReader
{
    /// <summary>Top-level keys of a DicomFlow flow (and RadDeploy's later names for the free-form map).</summary>
    public static readonly string[] Keys =
        ["name", "version", "priority", "triggers", "models", "destinations", "return_to_sender_on_ports", "return_to_sender_on_port", "optional_kwargs", "extra"];

    /// <summary>Keys only DicomFlow files have: their presence selects this reader.</summary>
    public static readonly string[] MarkerKeys = ["models", "optional_kwargs", "extra", "return_to_sender_on_ports", "return_to_sender_on_port"];

    private static readonly string[] ModelKeys =
        ["docker_kwargs", "gpu", "input_dir", "output_dir", "static_mounts", "static_mount", "pull_before_exec", "timeout", "input_mounts", "output_mounts"];

    // DicomFlow's own allow-list for docker_kwargs; the ones Conduit maps are read, the rest are accepted and reported as ignored.
    private static readonly string[] DockerKwargs =
    [
        "image", "command", "environment", "ports", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares",
        "cpuset_cpus", "device_cgroup_rules", "device_read_bps", "device_read_iops", "device_write_bps", "device_write_iops",
        "entrypoint", "ipc_mode", "labels", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "nano_cpus",
        "network_disabled", "shm_size", "user",
    ];

    private static readonly HashSet<string> MappedKwargs =
        ["image", "command", "environment", "entrypoint", "user", "mem_limit", "nano_cpus", "cpu_quota", "cpu_period", "network_disabled"];

    /// <summary>DicomFlow's default container timeout (model.py: 1800 s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1800);

    public static FlowDefinition? Read(YamlMappingNode root, string defaultName, FlowReadContext context)
    {
        var r = MapReader.Open(root, "", context, Keys, "a DicomFlow flow")!;
        var name = r.String("name") is { Length: > 0 } n ? n : defaultName;

        var steps = new List<FlowStepDefinition>();
        var locations = new List<SourceLocation>();
        if (r.Value("models") is YamlSequenceNode models)
        {
            for (var i = 0; i < models.Children.Count; i++)
            {
                if (Model(models.Children[i], $"models[{i}]", $"model-{i + 1}", context) is { } step)
                {
                    steps.Add(step);
                    locations.Add(models.Children[i].LocationOf(context.DisplayPath));
                }
            }
        }
        else if (r.Has("models")) r.Error("models", "expected a list of models");
        var (resolved, order) = StepGraph.Resolve(steps, locations, context.Errors);

        var parameters = new JsonObject();
        foreach (var key in new[] { "optional_kwargs", "extra" })
        {
            if (r.Value(key) is not { } node) continue;
            if (YamlJson.ToJson(node) is JsonObject o)
                foreach (var (k, v) in o.ToList()) { o.Remove(k); parameters[k] = v; }
            else r.Error(key, "expected a map");
        }

        var destinations = new List<DestinationDefinition>();
        if (r.Value("destinations") is YamlSequenceNode list)
        {
            for (var i = 0; i < list.Children.Count; i++)
                if (Destination(list.Children[i], $"destinations[{i}]", i + 1, context) is { } d) destinations.Add(d);
        }
        else if (r.Has("destinations")) r.Error("destinations", "expected a list of destinations (host, port, ae_title)");
        foreach (var key in new[] { "return_to_sender_on_ports", "return_to_sender_on_port" })
        {
            foreach (var (node, text) in r.StringList(key))
            {
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
                    destinations.Add(new DicomDestinationDefinition { Name = $"return-to-sender-{port}", Port = port, ReturnToSender = true, Location = node.LocationOf(context.DisplayPath) });
                else context.Error(node, r.PathOf(key), $"{MapReader.Quote(text)} is not a port (1-65535)");
            }
        }

        return new FlowDefinition
        {
            Name = name,
            Version = r.String("version") ?? "",
            Priority = r.Int("priority", FlowDefinition.MinPriority, FlowDefinition.MaxPriority, "a priority from 0 to 5 (5 highest)") ?? 0,
            // DicomFlow looks at everything one push delivered, typically a study, and its triggers may span series (CT + MR).
            Scope = BatchScope.Study,
            Triggers = TriggerReader.ReadSet(r.Value("triggers"), r.PathOf("triggers"), context, TriggerMode.EveryMapInBatch, wholeValue: false),
            Input = InputLayout.Flat,
            Params = parameters,
            Steps = resolved,
            StepsInOrder = order,
            ResultStep = resolved.Count > 0 ? resolved[^1].Name : null,
            Destinations = destinations,
            Format = FlowFormat.DicomFlow,
        };
    }

    private static ContainerStepDefinition? Model(YamlNode node, string path, string name, FlowReadContext context)
    {
        var m = MapReader.Open(node, path, context, ModelKeys, "a model");
        if (m is null) return null;
        foreach (var key in new[] { "input_mounts", "output_mounts" })
            if (m.Has(key)) m.Error(key, "RadDeploy's input_mounts/output_mounts graph is not read; models run in sequence (write a Conduit flow with 'needs' for a graph)");
        if (!m.Has("docker_kwargs"))
        {
            context.Error(node, path, "'docker_kwargs' is required (with at least an image)");
            return null;
        }
        var k = MapReader.Open(m.Value("docker_kwargs")!, m.PathOf("docker_kwargs"), context, DockerKwargs, "docker_kwargs");
        if (k is null) return null;
        foreach (var (keyNode, _) in k.Node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (DockerKwargs.Contains(key) && !MappedKwargs.Contains(key)) k.Warn(key, "is accepted for DicomFlow compatibility but ignored by Conduit");
        }
        var image = k.String("image", required: true);

        IReadOnlyDictionary<string, string> environment = new Dictionary<string, string>();
        if (k.Value("environment") is YamlSequenceNode)
            environment = k.StringList("environment").Select(e => e.Text.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
        else environment = k.StringMap("environment");

        long? memory = null;
        if (k.String("mem_limit") is { } memText)
        {
            if (ByteSizes.TryParse(memText, out var bytes)) memory = bytes;
            else k.Error("mem_limit", $"'{memText}' is not a size ({ByteSizes.Examples})");
        }
        double? cpus = null;
        if (k.Double("nano_cpus", 1, 1e15, "a number of nano-CPUs (1e9 = one CPU)") is { } nano) cpus = nano / 1e9;
        if (k.Double("cpu_quota", 1, 1e12, "a CPU quota in microseconds") is { } quota)
            cpus = quota / (k.Double("cpu_period", 1000, 1e7, "a CPU period in microseconds") ?? 100_000);

        var pullBeforeExec = m.Bool("pull_before_exec") ?? true; // model.py's default
        if (image is null) return null;
        return new ContainerStepDefinition
        {
            Name = name,
            Image = image,
            Command = StepReader.Argv(k, "command"),
            Entrypoint = StepReader.Argv(k, "entrypoint"),
            Environment = environment,
            User = k.String("user"),
            MemoryBytes = memory,
            Cpus = cpus,
            // DicomFlow's containers run with Docker's default network unless network_disabled is set.
            Network = !(k.Bool("network_disabled") ?? false),
            InputDir = StepReader.ContainerPath(m, "input_dir") ?? ContainerStepDefinition.DefaultInputDir,
            OutputDir = StepReader.ContainerPath(m, "output_dir") ?? ContainerStepDefinition.DefaultOutputDir,
            Gpu = StepReader.Gpu(m, "gpu"),
            Mounts = [.. StepReader.Mounts(m, "static_mounts"), .. StepReader.Mounts(m, "static_mount")],
            Pull = pullBeforeExec ? PullPolicy.Try : PullPolicy.Missing,
            Timeout = m.Duration("timeout") ?? DefaultTimeout,
            Location = node.LocationOf(context.DisplayPath),
        };
    }

    private static DicomDestinationDefinition? Destination(YamlNode node, string path, int index, FlowReadContext context)
    {
        var d = MapReader.Open(node, path, context, ["host", "port", "ae_title"], "a destination (host, port, ae_title)");
        if (d is null) return null;
        var host = d.String("host", required: true);
        var port = d.Int("port", 1, 65535, "a port (1-65535)");
        if (!d.Has("port")) context.Error(node, path, "'port' is required");
        var ae = d.String("ae_title", required: true);
        if (ae is not null && AeTitles.Problem(ae) is { } problem) { d.Error("ae_title", problem); ae = null; }
        if (host is null || port is null || ae is null) return null;
        return new DicomDestinationDefinition { Name = $"dicom-{index}", Host = host, Port = port.Value, CalledAeTitle = ae.Trim(), Location = node.LocationOf(context.DisplayPath) };
    }
}
