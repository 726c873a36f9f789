using System.Globalization;
using System.Text.Json.Nodes;
using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>
/// Converts a YAML value (a flow's <c>params</c>) to JSON, typing plain scalars as YAML 1.2's core schema does:
/// true/false, integers, floats and null; quoted scalars stay strings.
/// </summary>
internal static class YamlJson
{
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(e => KeyValuePair.Create(((e.Key as YamlScalarNode)?.Value) ?? "", ToJson(e.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode s => Scalar(s),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var text = s.Value ?? "";
        if (s.Style != ScalarStyle.Plain) return JsonValue.Create(text);
        if (s.IsNull()) return null;
        switch (text)
        {
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsAsciiDigit)) return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
