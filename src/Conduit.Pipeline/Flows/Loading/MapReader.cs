using System.Globalization;
using Conduit.Pipeline.Configuration.Values;
using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>
/// Reads one YAML map strictly: keys outside <paramref name="allowed"/> are errors (with a suggestion), and each typed
/// accessor reports a wrong value at the key's line with what is allowed. Accessors return null (or a default) after
/// reporting, so reading goes on and every problem of the file is found in one pass.
/// </summary>
internal sealed class MapReader
{
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    private MapReader(YamlMappingNode node, string path, FlowReadContext context)
    {
        Node = node;
        Path = path;
        Context = context;
    }

    public YamlMappingNode Node { get; }
    public string Path { get; }
    public FlowReadContext Context { get; }

    /// <summary>A reader over <paramref name="node"/>, or null (after an error) when it is not a map.</summary>
    public static MapReader? Open(YamlNode node, string path, FlowReadContext context, IReadOnlyCollection<string> allowed, string what)
    {
        if (node is not YamlMappingNode map)
        {
            context.Error(node, path, $"expected {what} (a map with {string.Join(", ", allowed)})");
            return null;
        }
        var reader = new MapReader(map, path, context);
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name))
            {
                context.Error(k, path, $"unknown key '{name}'{Suggestions.DidYouMean(name, allowed)}; allowed: {string.Join(", ", allowed)}");
                continue;
            }
            reader._entries[name] = (k, v);
        }
        return reader;
    }

    public bool Has(string key) => _entries.TryGetValue(key, out var e) && !(e.Value is YamlScalarNode s && s.IsNull());

    public string PathOf(string key) => FlowReadContext.Join(Path, key);

    /// <summary>The key node (for locations) and value node, or null when absent.</summary>
    public (YamlNode Key, YamlNode Value)? Entry(string key) => _entries.TryGetValue(key, out var e) ? e : null;

    public YamlNode? Value(string key) => Has(key) ? _entries[key].Value : null;

    public void Error(string key, string message) => Context.Error(_entries.TryGetValue(key, out var e) ? e.Key : Node, PathOf(key), message);

    public void Warn(string key, string message) => Context.Warn(_entries.TryGetValue(key, out var e) ? e.Key : Node, PathOf(key), message);

    /// <summary>A scalar as text; null when absent (an error when <paramref name="required"/>) or not a scalar.</summary>
    public string? String(string key, bool required = false)
    {
        if (!Has(key))
        {
            if (required) Context.Error(Node, Path, $"'{key}' is required");
            return null;
        }
        var (k, v) = _entries[key];
        if (v is not YamlScalarNode s)
        {
            Context.Error(k, PathOf(key), $"expected a single value, found a {(v is YamlSequenceNode ? "list" : "map")}");
            return null;
        }
        if (s.HasLocalTag())
        {
            Context.Error(k, PathOf(key), $"'{s.Tag.Value}' was read as a YAML tag; quote the value (\"{s.Tag.Value}{(string.IsNullOrEmpty(s.Value) ? "" : " " + s.Value)}\")");
            return null;
        }
        return s.Value ?? "";
    }

    public int? Int(string key, int min, int max, string what)
    {
        var text = String(key);
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        Error(key, $"{Quote(text)} is not {what}");
        return null;
    }

    public double? Double(string key, double min, double max, string what)
    {
        var text = String(key);
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        Error(key, $"{Quote(text)} is not {what}");
        return null;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null) return null;
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on": return true;
            case "false" or "no" or "off": return false;
        }
        Error(key, $"{Quote(text)} is not true or false");
        return null;
    }

    public TimeSpan? Duration(string key)
    {
        var text = String(key);
        if (text is null) return null;
        if (Durations.TryParse(text, out var v) && v > TimeSpan.Zero) return v;
        Error(key, $"{Quote(text)} is not a duration ({Durations.Examples})");
        return null;
    }

    /// <summary>A list of scalars (a single scalar reads as a one-item list); empty when absent.</summary>
    public IReadOnlyList<(YamlNode Node, string Text)> StringList(string key)
    {
        var value = Value(key);
        if (value is null) return [];
        var items = new List<(YamlNode, string)>();
        IEnumerable<YamlNode> nodes = value is YamlSequenceNode seq ? seq.Children : [value];
        var i = 0;
        foreach (var node in nodes)
        {
            var itemPath = $"{PathOf(key)}[{i++}]";
            if (node is YamlScalarNode s && !s.HasLocalTag()) items.Add((node, s.Value ?? ""));
            else Context.Error(node, itemPath, node is YamlScalarNode t ? $"'{t.Tag.Value}' was read as a YAML tag; quote the value" : "expected a single value");
        }
        return items;
    }

    /// <summary>A map of scalars (e.g. env, headers); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var value = Value(key);
        if (value is null) return result;
        if (value is not YamlMappingNode map)
        {
            Error(key, "expected a map of names to values");
            return result;
        }
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlScalarNode s && !s.HasLocalTag()) result[name] = s.IsNull() ? "" : s.Value ?? "";
            else Context.Error(k, $"{PathOf(key)}.{name}", "expected a single value");
        }
        return result;
    }

    public static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c is '-' or '.') ? text : $"'{text}'";
}
