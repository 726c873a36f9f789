using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Configuration.Schema;

/// <summary>
/// One documented configuration key (<c>section.name</c>): how to read it from YAML or an environment variable, how to
/// check it, and how to show it. The schema in <see cref="ConfigSchema"/> is the single list of every key.
/// </summary>
public abstract class ConfigKey
{
    protected ConfigKey(string path, string description, string allowed)
    {
        Path = path;
        Description = description;
        Allowed = allowed;
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        Section = path[..dot];
        Name = path[(dot + 1)..];
    }

    /// <summary>e.g. <c>receiver.port</c>.</summary>
    public string Path { get; }
    public string Section { get; }
    public string Name { get; }
    public string Description { get; }

    /// <summary>What values are allowed, as a phrase: "a port (1-65535)".</summary>
    public string Allowed { get; }

    /// <summary>Values worth hiding in <c>config show</c> (passwords inside connection strings).</summary>
    public bool IsSecret { get; init; }

    /// <summary>The environment variable that sets this key, e.g. <c>CONDUIT__RECEIVER__PORT</c>.</summary>
    public string EnvironmentVariable => $"CONDUIT__{Section.ToUpperInvariant()}__{Name.ToUpperInvariant()}";

    /// <summary>Applies a YAML value; <paramref name="keyNode"/> is where the key was written (cited in messages and sources).</summary>
    internal abstract void Apply(ConduitOptions options, YamlNode keyNode, YamlNode value, LayerContext context);

    /// <summary>Applies an environment variable's text; <paramref name="entry"/> is the map entry for map keys (…__KEY__ENTRY).</summary>
    internal abstract void Apply(ConduitOptions options, string? entry, string text, LayerContext context);

    /// <summary>Problems with the current value (the stateless validator's per-key part).</summary>
    public abstract IEnumerable<ConfigProblem> Check(ConduitOptions options);

    /// <summary>(path, value) lines for <c>config show</c>: one, or one per map entry.</summary>
    public abstract IEnumerable<(string Path, string Value)> Show(ConduitOptions options);

    /// <summary>The built-in default as shown in docs and <c>config show</c>.</summary>
    public string DefaultText => string.Join(", ", Show(new ConduitOptions()).Select(v => v.Value));

    /// <summary>Quotes a value in a message unless it is a plain number: <c>70000</c>, <c>'10 minutes'</c>.</summary>
    protected static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c is '-' or '.') ? text : $"'{text}'";

    /// <summary>The scalar text of a node, or an error when it is a list or map or carries a YAML tag.</summary>
    private protected static bool TryScalar(YamlNode node, string path, LayerContext context, out YamlScalarNode scalar)
    {
        scalar = null!;
        switch (node)
        {
            case YamlScalarNode s when s.HasLocalTag():
                context.Error(node, path, $"'{s.Tag.Value}' was read as a YAML tag; quote the value (\"{s.Tag.Value}{(string.IsNullOrEmpty(s.Value) ? "" : " " + s.Value)}\")");
                return false;
            case YamlScalarNode s:
                scalar = s;
                return true;
            case YamlSequenceNode:
                context.Error(node, path, "expected a single value, found a list");
                return false;
            default:
                context.Error(node, path, "expected a single value, found a map");
                return false;
        }
    }
}
