using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Configuration.Yaml;

/// <summary>
/// Reads one YAML file into YamlDotNet's representation model, whose nodes carry their start marks, so every later
/// message can name a line and column. Syntax errors become <see cref="YamlError"/>s rather than exceptions.
/// </summary>
public static class YamlDocumentReader
{
    /// <summary>Parses <paramref name="text"/>; returns the root node (null for an empty document) or the syntax error.</summary>
    public static YamlNode? Parse(string text, string displayPath, out YamlError? error)
    {
        error = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // YamlDotNet wraps the interesting message (e.g. "Duplicate key a") in its own; the innermost one is the plain text.
            var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
            error = new YamlError(new SourceLocation(displayPath, (int)ex.Start.Line, (int)ex.Start.Column), "", $"not valid YAML: {Trim(message)}");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            error = new YamlError(new SourceLocation(displayPath, (int)second.Line, (int)second.Column), "", "a file holds one YAML document; remove the '---' separator");
            return null;
        }
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    /// <summary>Where a node starts, for messages.</summary>
    public static SourceLocation LocationOf(this YamlNode node, string displayPath) =>
        new(displayPath, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar: YAML's null (YAML 1.2 core schema).</summary>
    public static bool IsNull(this YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>A scalar carrying an explicit local tag such as <c>!SR</c>: nearly always a value meant as text that starts with '!'.</summary>
    public static bool HasLocalTag(this YamlNode node) =>
        !node.Tag.IsEmpty && !node.Tag.IsNonSpecific && !node.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal);

    private static string Trim(string message)
    {
        // "(Line: 3, Col: 5, Idx: 20) - (Line: ...): text" → "text"
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }
}
