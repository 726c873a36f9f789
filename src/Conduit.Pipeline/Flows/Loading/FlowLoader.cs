using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Model;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>
/// Loads one flow file: Conduit's schema, or a DicomFlow file (recognised by its <c>models</c> key and the like),
/// with every problem reported as <c>file:line:col: path: message</c>. Unknown keys, bad values, bad regexes, unknown
/// <c>needs</c> and cycles are errors; nothing of an invalid file is used.
/// </summary>
public static class FlowLoader
{
    public static FlowLoadResult LoadFile(string path)
    {
        var full = Path.GetFullPath(path);
        var display = SourceLocation.DisplayPath(full);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FlowLoadResult(full, null, [new YamlError(new SourceLocation(display, 0, 0), "", $"cannot read: {ex.Message}")], []);
        }
        return Parse(text, full, display);
    }

    /// <param name="text">The file's content.</param>
    /// <param name="fullPath">The file's path (its name without extension is the default flow name).</param>
    /// <param name="displayPath">The path to show in messages; null derives it from <paramref name="fullPath"/>.</param>
    public static FlowLoadResult Parse(string text, string fullPath, string? displayPath = null)
    {
        var display = displayPath ?? SourceLocation.DisplayPath(fullPath);
        var root = YamlDocumentReader.Parse(text, display, out var syntaxError);
        if (syntaxError is not null) return new FlowLoadResult(fullPath, null, [syntaxError], []);
        if (root is not YamlMappingNode map)
        {
            var at = root is null ? new SourceLocation(display, 1, 1) : root.LocationOf(display);
            return new FlowLoadResult(fullPath, null, [new YamlError(at, "", "expected a flow: a map with name, triggers, steps, destinations, ...")], []);
        }

        var context = new FlowReadContext(display);
        var defaultName = Path.GetFileNameWithoutExtension(fullPath);
        var keys = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToHashSet(StringComparer.Ordinal);
        // A DicomFlow file is read by its own reader; a 'steps' key in it is then reported as unknown there.
        var flow = DicomFlowReader.MarkerKeys.Any(keys.Contains)
            ? DicomFlowReader.Read(map, defaultName, context)
            : ConduitFlowReader.Read(map, defaultName, context);

        var errors = context.Errors.OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList();
        if (errors.Count > 0) return new FlowLoadResult(fullPath, null, errors, context.Warnings);
        return new FlowLoadResult(fullPath, flow! with { SourcePath = fullPath, Warnings = context.Warnings }, [], context.Warnings);
    }
}
