using System.Text.RegularExpressions;
using Conduit.Dicom;
using Conduit.Pipeline.Configuration.Values;
using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Flows.Model;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>Reads one entry of a Conduit flow's <c>steps:</c> list.</summary>
internal static partial class StepReader
{
    private static readonly string[] Common = ["name", "type", "needs", "when"];
    private static readonly Dictionary<string, string[]> ByType = new(StringComparer.Ordinal)
    {
        ["container"] = ["image", "command", "entrypoint", "env", "input_dir", "output_dir", "timeout", "pull", "mounts", "gpu", "network", "cpus", "memory", "user"],
        ["process"] = ["program", "args", "env", "timeout"],
        ["filter"] = ["keep"],
        ["modify"] = ["set", "remove"],
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    public static partial Regex NamePattern();

    public static FlowStepDefinition? Read(YamlNode node, string path, FlowReadContext context)
    {
        var type = (node as YamlMappingNode)?.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: "type" }).Value is YamlScalarNode t ? t.Value : null;
        var allowed = Common.Concat(type is not null && ByType.TryGetValue(type, out var specific) ? specific : ByType.Values.SelectMany(v => v).Distinct()).ToArray();
        var r = MapReader.Open(node, path, context, allowed, "a step");
        if (r is null) return null;

        var name = r.String("name", required: true);
        if (name is not null && !NamePattern().IsMatch(name))
        {
            r.Error("name", $"'{name}' is not a step name (letters, digits, '.', '_', '-'; at most 64; it names the step's folders)");
            name = null;
        }
        var typeText = r.String("type", required: true);
        if (typeText is not null && !ByType.ContainsKey(typeText))
        {
            r.Error("type", $"'{typeText}' is not a step type (container, process, filter or modify)");
            return null;
        }
        var needs = r.StringList("needs").Select(n => n.Text).ToList();
        var when = TriggerReader.ReadWhen(r.Value("when"), r.PathOf("when"), context);
        if (name is null || typeText is null) return null;

        FlowStepDefinition? step = typeText switch
        {
            "container" => Container(r, name),
            "process" => Process(r, name),
            "filter" => new FilterStepDefinition { Name = name, Keep = TriggerReader.ReadSet(r.Value("keep"), r.PathOf("keep"), context, TriggerMode.AnyMap) },
            _ => Modify(r, name),
        };
        return step is null ? null : step with { Needs = needs, When = when, Location = r.Node.LocationOf(context.DisplayPath) };
    }

    private static ContainerStepDefinition? Container(MapReader r, string name)
    {
        var image = r.String("image", required: true);
        var pullText = r.String("pull");
        PullPolicy? pull = pullText switch
        {
            null => PullPolicy.Missing,
            "missing" => PullPolicy.Missing,
            "always" => PullPolicy.Always,
            "never" => PullPolicy.Never,
            "try" => PullPolicy.Try,
            _ => null,
        };
        if (pull is null) r.Error("pull", $"'{pullText}' is not a pull policy (missing, always, never or try)");
        var memoryText = r.String("memory");
        long? memory = null;
        if (memoryText is not null)
        {
            if (ByteSizes.TryParse(memoryText, out var bytes)) memory = bytes;
            else r.Error("memory", $"'{memoryText}' is not a size ({ByteSizes.Examples})");
        }
        if (image is null) return null;
        return new ContainerStepDefinition
        {
            Name = name,
            Image = image,
            Command = Argv(r, "command"),
            Entrypoint = Argv(r, "entrypoint"),
            Environment = r.StringMap("env"),
            InputDir = ContainerPath(r, "input_dir") ?? ContainerStepDefinition.DefaultInputDir,
            OutputDir = ContainerPath(r, "output_dir") ?? ContainerStepDefinition.DefaultOutputDir,
            Timeout = r.Duration("timeout"),
            Pull = pull ?? PullPolicy.Missing,
            Mounts = Mounts(r, "mounts"),
            Gpu = Gpu(r, "gpu"),
            Network = r.Bool("network") ?? false,
            Cpus = r.Double("cpus", 0.01, 1024, "a number of CPUs (e.g. 0.5, 2)"),
            MemoryBytes = memory,
            User = r.String("user"),
        };
    }

    private static ProcessStepDefinition? Process(MapReader r, string name)
    {
        var program = r.String("program", required: true);
        var args = r.Value("args") is YamlScalarNode ? Argv(r, "args") : r.StringList("args").Select(a => a.Text).ToList();
        if (program is null) return null;
        return new ProcessStepDefinition { Name = name, Program = program, Arguments = args ?? [], Environment = r.StringMap("env"), Timeout = r.Duration("timeout") };
    }

    private static ModifyStepDefinition Modify(MapReader r, string name)
    {
        var set = new List<TagAssignment>();
        if (r.Value("set") is YamlMappingNode map)
        {
            foreach (var (k, v) in map.Children)
            {
                var tagText = (k as YamlScalarNode)?.Value ?? "";
                var path = $"{r.PathOf("set")}.{tagText}";
                if (!DicomTag.TryParse(tagText, out var tag)) { r.Context.Error(k, path, TriggerReader.UnknownTag(tagText)); continue; }
                var entry = tag.IsPrivate ? null : DicomDictionary.Find(tag);
                if (entry is null || !entry.VR.IsString) { r.Context.Error(k, path, $"{tagText} cannot be set: only public tags with a text VR can (not sequences, binary or private tags)"); continue; }
                if (v is not YamlScalarNode value) { r.Context.Error(v, path, "expected a value (several values separated by a backslash)"); continue; }
                set.Add(new TagAssignment(tag, entry.VR, value.IsNull() ? "" : value.Value ?? ""));
            }
        }
        else if (r.Has("set")) r.Error("set", "expected a map of tag: value");

        var remove = new List<DicomTag>();
        foreach (var (node, text) in r.StringList("remove"))
        {
            if (DicomTag.TryParse(text, out var tag)) remove.Add(tag);
            else r.Context.Error(node, r.PathOf("remove"), TriggerReader.UnknownTag(text));
        }
        if (set.Count == 0 && remove.Count == 0 && !r.Has("set") && !r.Has("remove")) r.Context.Error(r.Node, r.Path, "a modify step needs 'set' or 'remove'");
        return new ModifyStepDefinition { Name = name, Set = set, Remove = remove };
    }

    /// <summary>A command as a list, or as one string split like a shell would.</summary>
    public static IReadOnlyList<string>? Argv(MapReader r, string key)
    {
        var value = r.Value(key);
        if (value is null) return null;
        if (value is YamlSequenceNode) return r.StringList(key).Select(i => i.Text).ToList();
        var text = r.String(key);
        if (text is null) return null;
        var words = ShellWords.Split(text, out var error);
        if (words is null) r.Error(key, $"cannot split '{text}' into words: {error}");
        return words;
    }

    public static string? ContainerPath(MapReader r, string key)
    {
        var text = r.String(key);
        if (text is null) return null;
        if (!text.StartsWith('/') || text.Contains("..", StringComparison.Ordinal))
        {
            r.Error(key, $"'{text}' is not an absolute path inside the container (e.g. /input)");
            return null;
        }
        return text.Length > 1 ? text.TrimEnd('/') : text;
    }

    public static IReadOnlyList<StaticMount> Mounts(MapReader r, string key)
    {
        var mounts = new List<StaticMount>();
        var value = r.Value(key);
        if (value is null) return mounts;
        foreach (var item in value is YamlSequenceNode seq ? seq.Children : [value])
        {
            string? source = null, target = null;
            if (item is YamlScalarNode s)
            {
                var parts = (s.Value ?? "").Split(':');
                if (parts.Length is 2 or 3) (source, target) = (parts[0], parts[1]);
                if (parts.Length == 3 && parts[2] != "ro") { r.Context.Error(item, r.PathOf(key), $"'{s.Value}': mounts are read-only; drop ':{parts[2]}'"); continue; }
            }
            else if (MapReader.Open(item, r.PathOf(key), r.Context, ["source", "target"], "a mount") is { } m)
            {
                source = m.String("source", required: true);
                target = m.String("target", required: true);
            }
            if (string.IsNullOrWhiteSpace(source) || string.IsNullOrWhiteSpace(target) || !target.StartsWith('/'))
            {
                r.Context.Error(item, r.PathOf(key), "expected 'source:/target' (or {source: ..., target: /...}) with an absolute target inside the container");
                continue;
            }
            mounts.Add(new StaticMount(source, target));
        }
        return mounts;
    }

    public static GpuRequest? Gpu(MapReader r, string key)
    {
        var value = r.Value(key);
        if (value is null) return null;
        if (value is YamlSequenceNode) return new GpuRequest(0, r.StringList(key).Select(i => i.Text).ToList());
        var text = r.String(key);
        switch (text?.ToLowerInvariant())
        {
            case null: return null;
            case "false" or "no" or "0": return null;
            case "true" or "yes": return new GpuRequest(1, []);
            case "all": return new GpuRequest(GpuRequest.All, []);
        }
        if (int.TryParse(text, out var n) && n is > 0 and <= 64) return new GpuRequest(n, []);
        r.Error(key, $"'{text}' is not a GPU request (true, false, a count, all, or a list of device ids)");
        return null;
    }
}
