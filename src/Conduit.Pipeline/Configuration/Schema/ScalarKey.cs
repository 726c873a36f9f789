using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Configuration.Schema;

/// <summary>Parses the text of one value; false when it is not a value of the key's type.</summary>
public delegate bool ValueParser<T>(string text, out T value);

/// <summary>A key holding one value (a number, a switch, a duration, a name).</summary>
internal sealed class ScalarKey<T>(
    string path,
    string description,
    string allowed,
    Func<ConduitOptions, T> get,
    Action<ConduitOptions, T> set,
    ValueParser<T> parse,
    Func<T, string> format,
    Func<T, bool>? isValid = null,
    bool nullable = false) : ConfigKey(path, description, allowed)
{
    internal override void Apply(ConduitOptions options, YamlNode keyNode, YamlNode value, LayerContext context)
    {
        if (!TryScalar(value, Path, context, out var scalar)) return;
        if (scalar.IsNull())
        {
            if (!nullable)
            {
                context.Error(keyNode, Path, $"a value is required: {Allowed}");
                return;
            }
            set(options, default!);
            context.Set(Path, keyNode);
            return;
        }
        ApplyText(options, scalar.Value!, keyNode, context);
    }

    internal override void Apply(ConduitOptions options, string? entry, string text, LayerContext context)
    {
        if (entry is not null)
        {
            context.Error(null, Path, $"{Path} is a single value, not a map");
            return;
        }
        if (nullable && text.Length == 0)
        {
            set(options, default!);
            context.Set(Path, null);
            return;
        }
        ApplyText(options, text, null, context);
    }

    private void ApplyText(ConduitOptions options, string text, YamlNode? keyNode, LayerContext context)
    {
        if (!parse(text.Trim(), out var value) || (isValid is not null && !isValid(value)))
        {
            context.Error(keyNode, Path, $"{Quote(text)} is not {Allowed}");
            return;
        }
        set(options, value);
        context.Set(Path, keyNode);
    }

    public override IEnumerable<ConfigProblem> Check(ConduitOptions options)
    {
        var value = get(options);
        if (value is null)
        {
            if (!nullable) yield return new ConfigProblem(Path, $"a value is required: {Allowed}");
            yield break;
        }
        if (isValid is not null && !isValid(value)) yield return new ConfigProblem(Path, $"{Quote(format(value))} is not {Allowed}");
    }

    public override IEnumerable<(string Path, string Value)> Show(ConduitOptions options)
    {
        var value = get(options);
        yield return (Path, value is null ? "(not set)" : format(value));
    }
}
