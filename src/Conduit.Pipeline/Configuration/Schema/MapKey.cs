using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Configuration.Schema;

/// <summary>
/// A key holding a map (name → value), e.g. per-modality quiet times. Layers merge entry by entry, so a conf.d file
/// can add one modality without repeating the others; each entry keeps its own source.
/// </summary>
internal sealed class MapKey<T>(
    string path,
    string description,
    string allowed,
    Func<ConduitOptions, Dictionary<string, T>> get,
    Func<string, string?> entryKeyProblem,
    ValueParser<T> parse,
    Func<T, string> format,
    Func<T, bool>? isValid = null) : ConfigKey(path, description, allowed)
{
    internal override void Apply(ConduitOptions options, YamlNode keyNode, YamlNode value, LayerContext context)
    {
        if (value is YamlScalarNode s && s.IsNull()) return;
        if (value is not YamlMappingNode map)
        {
            context.Error(keyNode, Path, $"expected a map of {Allowed}");
            return;
        }
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!TryScalar(v, $"{Path}.{name}", context, out var scalar)) continue;
            Set(options, name, scalar.Value ?? "", k, context);
        }
    }

    internal override void Apply(ConduitOptions options, string? entry, string text, LayerContext context)
    {
        if (entry is null)
        {
            context.Error(null, Path, $"{Path} is a map: set one entry with {EnvironmentVariable}__NAME");
            return;
        }
        Set(options, entry, text, null, context);
    }

    private void Set(ConduitOptions options, string name, string text, YamlNode? keyNode, LayerContext context)
    {
        var entryPath = $"{Path}.{name}";
        if (entryKeyProblem(name) is { } problem)
        {
            context.Error(keyNode, entryPath, problem);
            return;
        }
        if (!parse(text.Trim(), out var value) || (isValid is not null && !isValid(value)))
        {
            context.Error(keyNode, entryPath, $"{Quote(text)} is not {Allowed}");
            return;
        }
        get(options)[name] = value;
        context.Set(entryPath, keyNode);
    }

    public override IEnumerable<ConfigProblem> Check(ConduitOptions options)
    {
        foreach (var (name, value) in get(options))
        {
            if (entryKeyProblem(name) is { } problem) yield return new ConfigProblem($"{Path}.{name}", problem);
            else if (isValid is not null && !isValid(value)) yield return new ConfigProblem($"{Path}.{name}", $"{Quote(format(value))} is not {Allowed}");
        }
    }

    public override IEnumerable<(string Path, string Value)> Show(ConduitOptions options)
    {
        var map = get(options);
        if (map.Count == 0)
        {
            yield return (Path, "{}");
            yield break;
        }
        foreach (var (name, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal)) yield return ($"{Path}.{name}", format(value));
    }
}
