using System.Text.RegularExpressions;
using Conduit.Dicom;
using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Matching;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>
/// Reads trigger lists (also filter <c>keep</c> lists, required series, and <c>when</c> maps): tags by keyword,
/// <c>(gggg,eeee)</c> or <c>gggg,eeee</c>; values a regex, a list of regexes (all must hold), or <c>{not: regex}</c>;
/// a leading <c>!</c> (or DicomFlow's <c>~</c>) negates. Every regex is compiled here, so a bad one fails the load.
/// <c>wholeValue</c> selects Conduit's rule (a regex matches a whole value) or DicomFlow's (found anywhere).
/// </summary>
internal static class TriggerReader
{
    private static readonly Lazy<string[]> Keywords = new(() => DicomDictionary.Entries.Where(e => e.PrivateCreator is null).Select(e => e.Keyword).Where(k => k.Length > 0).Distinct().ToArray());

    /// <summary>A list of maps; a single map is accepted as a one-map list.</summary>
    public static TriggerSet ReadSet(YamlNode? node, string path, FlowReadContext context, TriggerMode mode, bool wholeValue = true)
    {
        if (node is null || node is YamlScalarNode s && s.IsNull()) return new TriggerSet([], mode);
        IEnumerable<YamlNode> items = node switch
        {
            YamlSequenceNode seq => seq.Children,
            YamlMappingNode => [node],
            _ => [],
        };
        if (node is YamlScalarNode)
        {
            context.Error(node, path, "expected a list of maps of tag: regex (e.g. - Modality: CT)");
            return new TriggerSet([], mode);
        }
        var maps = new List<TriggerMap>();
        var index = 0;
        foreach (var item in items)
        {
            var mapPath = $"{path}[{index++}]";
            if (ReadMap(item, mapPath, context, index, wholeValue) is { } map) maps.Add(map);
        }
        return new TriggerSet(maps, mode);
    }

    public static TriggerMap? ReadMap(YamlNode node, string path, FlowReadContext context, int index, bool wholeValue = true)
    {
        if (node is not YamlMappingNode map)
        {
            context.Error(node, path, "expected a map of tag: regex (e.g. Modality: CT)");
            return null;
        }
        var conditions = new List<TagCondition>();
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            var entryPath = $"{path}.{name}";
            if (!DicomTag.TryParse(name, out var tag))
            {
                context.Error(k, path, UnknownTag(name));
                continue;
            }
            var patterns = ReadPatterns(v, entryPath, context, wholeValue);
            if (patterns is not null) conditions.Add(new TagCondition(tag, name, patterns));
        }
        return new TriggerMap(index, conditions);
    }

    /// <summary>The message for a tag that is neither a keyword nor (gggg,eeee), with the likely cause.</summary>
    public static string UnknownTag(string text)
    {
        // "[PatientComments, (0010,4000)]": in a YAML flow list the comma splits the tag in two.
        if (text.StartsWith('(') != text.EndsWith(')'))
            return $"unknown tag '{text}': inside [ ] a comma separates items, so quote the tag ('(0010,4000)')";
        return $"unknown tag '{text}'{Suggestions.DidYouMean(text, Keywords.Value)}: write a keyword (Modality) or a tag ((0008,0060) or 0008,0060)";
    }

    /// <summary>A step's <c>when:</c> map: parameter name → patterns.</summary>
    public static StepCondition ReadWhen(YamlNode? node, string path, FlowReadContext context)
    {
        if (node is null || node is YamlScalarNode s && s.IsNull()) return StepCondition.Always;
        if (node is not YamlMappingNode map)
        {
            context.Error(node, path, "expected a map of parameter: regex (e.g. has_tumour: '^true$')");
            return StepCondition.Always;
        }
        var conditions = new List<ParamCondition>();
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (ReadPatterns(v, $"{path}.{name}", context, wholeValue: true) is { } patterns) conditions.Add(new ParamCondition(name, patterns));
        }
        return new StepCondition(conditions);
    }

    private static List<TagPattern>? ReadPatterns(YamlNode node, string path, FlowReadContext context, bool wholeValue)
    {
        var patterns = new List<TagPattern>();
        var ok = true;
        void Add(YamlNode item, bool negated)
        {
            if (item is YamlMappingNode notMap) { ok &= AddNot(notMap); return; }
            if (item is not YamlScalarNode s) { context.Error(item, path, "expected a regex, a list of regexes, or {not: regex}"); ok = false; return; }
            if (s.HasLocalTag())
            {
                context.Error(item, path, $"'{s.Tag.Value}' was read as a YAML tag; quote it (\"{s.Tag.Value}{(string.IsNullOrEmpty(s.Value) ? "" : " " + s.Value)}\") or write {{not: {s.Tag.Value.TrimStart('!')}}}");
                ok = false;
                return;
            }
            if (s.IsNull()) { context.Error(item, path, "an empty pattern; write '' to accept any value, or '^$' for an empty one"); ok = false; return; }
            var text = s.Value ?? "";
            // "!regex" (Conduit) and "~regex" (DicomFlow) negate; quoted scalars too, since '!' must be quoted in YAML.
            if (!negated && text.Length > 0 && text[0] is '!' or '~')
            {
                negated = true;
                text = text[1..];
            }
            try
            {
                patterns.Add(new TagPattern(text, negated, wholeValue));
            }
            catch (ArgumentException ex)
            {
                context.Error(item, path, $"'{text}' is not a valid regular expression: {FirstSentence(ex.Message)}");
                ok = false;
            }
        }
        bool AddNot(YamlMappingNode map)
        {
            if (map.Children.Count != 1 || map.Children.First().Key is not YamlScalarNode { Value: "not" })
            {
                context.Error(map, path, "expected {not: regex} (or a list of regexes under not)");
                return false;
            }
            var inner = map.Children.First().Value;
            foreach (var n in inner is YamlSequenceNode seq ? seq.Children : [inner]) Add(n, negated: true);
            return true;
        }

        foreach (var item in node is YamlSequenceNode list ? list.Children : [node]) Add(item, negated: false);
        if (patterns.Count == 0 && ok) context.Error(node, path, "no pattern given");
        return ok && patterns.Count > 0 ? patterns : null;
    }

    private static string FirstSentence(string message)
    {
        // .NET's RegexParseException: "Invalid pattern 'x' at offset 3. Not enough )'s."
        var m = Regex.Match(message, @"at offset \d+\. (.*)$", RegexOptions.None, TimeSpan.FromSeconds(1));
        return m.Success ? m.Groups[1].Value : message;
    }
}
