using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Configuration.Schema;

/// <summary>
/// A key holding a list of text values. In YAML a list (or a single value, read as a one-item list); in an
/// environment variable, comma-separated. A later layer replaces the whole list.
/// </summary>
internal sealed class ListKey(
    string path,
    string description,
    string allowed,
    Func<ConduitOptions, List<string>> get,
    Action<ConduitOptions, List<string>> set,
    Func<string, string?> itemProblem) : ConfigKey(path, description, allowed)
{
    internal override void Apply(ConduitOptions options, YamlNode keyNode, YamlNode value, LayerContext context)
    {
        var items = new List<string>();
        var ok = true;
        IEnumerable<YamlNode> nodes = value switch
        {
            YamlSequenceNode seq => seq.Children,
            YamlScalarNode s when s.IsNull() => [],
            _ => [value],
        };
        var index = 0;
        foreach (var node in nodes)
        {
            var itemPath = $"{Path}[{index++}]";
            if (!TryScalar(node, itemPath, context, out var scalar)) { ok = false; continue; }
            var text = scalar.Value ?? "";
            if (itemProblem(text) is { } problem) { context.Error(node, itemPath, problem); ok = false; continue; }
            items.Add(text.Trim());
        }
        if (!ok) return;
        set(options, items);
        context.Set(Path, keyNode);
    }

    internal override void Apply(ConduitOptions options, string? entry, string text, LayerContext context)
    {
        if (entry is not null)
        {
            context.Error(null, Path, $"{Path} is a list, set it as comma-separated values");
            return;
        }
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var item in items)
        {
            if (itemProblem(item) is { } problem)
            {
                context.Error(null, Path, problem);
                return;
            }
        }
        set(options, items);
        context.Set(Path, null);
    }

    public override IEnumerable<ConfigProblem> Check(ConduitOptions options)
    {
        var items = get(options);
        for (var i = 0; i < items.Count; i++)
            if (itemProblem(items[i]) is { } problem) yield return new ConfigProblem($"{Path}[{i}]", problem);
    }

    public override IEnumerable<(string Path, string Value)> Show(ConduitOptions options)
    {
        yield return (Path, "[" + string.Join(", ", get(options)) + "]");
    }
}
