using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conduit.Dicom.Tests.Support;

/// <summary>
/// Decides whether a difference is a documented deviation of a reference reader
/// (docs/conformance.md). Returns the reason, or null when the difference counts.
/// </summary>
/// <param name="tag">The element's tag as 8 upper-case hex digits, e.g. "00100010".</param>
/// <param name="vr">The element's VR on the expected side (the actual side's when expected has none).</param>
/// <param name="path">JSON Pointer of the difference, e.g. "/00081115/Value/0/00081150/vr".</param>
public delegate string? DicomJsonDeviation(string tag, string? vr, string path);

/// <summary>One difference between two DICOM JSON documents.</summary>
/// <param name="Path">JSON Pointer (RFC 6901) into the expected document.</param>
/// <param name="AllowedBecause">The allow-list's reason when the difference is a documented deviation.</param>
public sealed record DicomJsonDifference(string Path, string Tag, string? Vr, string Message, string? AllowedBecause = null)
{
    public override string ToString() =>
        AllowedBecause is null ? $"{Path} ({Vr}): {Message}" : $"{Path} ({Vr}): {Message} [allowed: {AllowedBecause}]";
}

/// <summary>
/// Compares two PS3.18 Annex F (DICOM JSON Model) documents as DICOM values rather
/// than as text, so that the ways correct writers legitimately differ do not count:
/// <list type="bullet">
/// <item>keys are compared as tags (case of the hex digits does not matter);</item>
/// <item>numbers are compared numerically, and DS/IS/numeric values may be JSON numbers or strings
/// (1.0 == 1, "1e2" == 100); FL values are compared at single precision and FD values within one
/// unit in the last place (dcm2json's formatter);</item>
/// <item>strings ignore trailing space and NUL padding (PS3.5 §6.2), and an empty string equals null
/// (PS3.18 §F.2.5 writes empty values of a multi-valued element as null);</item>
/// <item>PN values are compared by component group (Alphabetic, Ideographic, Phonetic), ignoring
/// trailing empty components ("Doe^John^^" == "Doe^John") and absent vs empty groups;</item>
/// <item>an absent Value, an empty Value array and a Value of only empty items are the same empty element;</item>
/// <item>InlineBinary is compared as decoded bytes; a single 0x00 that pads an odd length to even
/// (PS3.5 §7.1.1) is ignored.</item>
/// </list>
/// Anything else that differs is reported with its JSON path, unless the allow-list hook names a reason.
/// </summary>
public static class DicomJsonComparer
{
    private static readonly string[] PersonNameGroups = ["Alphabetic", "Ideographic", "Phonetic"];

    private static readonly HashSet<string> NumericVrs =
        ["DS", "IS", "FL", "FD", "SL", "SS", "UL", "US", "SV", "UV"];

    public static IReadOnlyList<DicomJsonDifference> Compare(
        string expectedJson, string actualJson, DicomJsonDeviation? allow = null, ICollection<DicomJsonDifference>? allowed = null)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        using var actual = JsonDocument.Parse(actualJson);
        return Compare(expected.RootElement, actual.RootElement, allow, allowed);
    }

    public static IReadOnlyList<DicomJsonDifference> Compare(
        JsonNode? expected, JsonNode? actual, DicomJsonDeviation? allow = null, ICollection<DicomJsonDifference>? allowed = null) =>
        Compare(ToElement(expected), ToElement(actual), allow, allowed);

    /// <summary>
    /// Compares two data sets (JSON objects keyed by tag). Differences the allow-list accepts are
    /// left out of the result and, if <paramref name="allowed"/> is given, added to it.
    /// </summary>
    public static IReadOnlyList<DicomJsonDifference> Compare(
        JsonElement expected, JsonElement actual, DicomJsonDeviation? allow = null, ICollection<DicomJsonDifference>? allowed = null)
    {
        var walk = new Walk(allow, allowed);
        walk.DataSet(expected, actual, "");
        return walk.Differences;
    }

    /// <summary>A multi-line description for an assertion message.</summary>
    public static string Describe(IReadOnlyCollection<DicomJsonDifference> differences, int max = 50)
    {
        var lines = differences.Take(max).Select(d => "  " + d);
        string[] more = differences.Count > max ? [$"  … and {differences.Count - max} more"] : [];
        return $"{differences.Count} difference(s):{Environment.NewLine}"
            + string.Join(Environment.NewLine, lines.Concat(more));
    }

    private static JsonElement ToElement(JsonNode? node) =>
        node is null ? JsonDocument.Parse("null").RootElement.Clone() : JsonSerializer.SerializeToElement(node);

    private sealed class Walk(DicomJsonDeviation? allow, ICollection<DicomJsonDifference>? allowed)
    {
        public List<DicomJsonDifference> Differences { get; } = [];

        private void Report(string path, string tag, string? vr, string message)
        {
            var reason = allow?.Invoke(tag, vr, path);
            if (reason is null)
            {
                Differences.Add(new DicomJsonDifference(path, tag, vr, message));
            }
            else
            {
                allowed?.Add(new DicomJsonDifference(path, tag, vr, message, reason));
            }
        }

        public void DataSet(JsonElement expected, JsonElement actual, string path)
        {
            if (expected.ValueKind != JsonValueKind.Object || actual.ValueKind != JsonValueKind.Object)
            {
                Report(path.Length == 0 ? "/" : path, "", null,
                    $"expected a data set object, got {expected.ValueKind} and {actual.ValueKind}");
                return;
            }

            var expectedByTag = ByTag(expected, path);
            var actualByTag = ByTag(actual, path);
            foreach (var (tag, (key, element)) in expectedByTag.OrderBy(e => e.Key))
            {
                var elementPath = $"{path}/{key}";
                if (actualByTag.TryGetValue(tag, out var other))
                {
                    Element(element, other.Value, elementPath, TagText(tag));
                }
                else
                {
                    Report(elementPath, TagText(tag), VrOf(element), "missing from actual");
                }
            }
            foreach (var (tag, (key, element)) in actualByTag.OrderBy(e => e.Key))
            {
                if (!expectedByTag.ContainsKey(tag))
                {
                    Report($"{path}/{key}", TagText(tag), VrOf(element), "not in expected");
                }
            }
        }

        private Dictionary<uint, (string Key, JsonElement Value)> ByTag(JsonElement dataSet, string path)
        {
            var byTag = new Dictionary<uint, (string, JsonElement)>();
            foreach (var property in dataSet.EnumerateObject())
            {
                if (property.Name.Length != 8
                    || !uint.TryParse(property.Name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tag))
                {
                    Report($"{path}/{property.Name}", property.Name, null, "key is not an 8-hex-digit tag");
                    continue;
                }
                if (!byTag.TryAdd(tag, (property.Name, property.Value)))
                {
                    Report($"{path}/{property.Name}", TagText(tag), null, "tag appears twice");
                }
            }
            return byTag;
        }

        private void Element(JsonElement expected, JsonElement actual, string path, string tag)
        {
            var vr = VrOf(expected);
            var actualVr = VrOf(actual);
            if (vr != actualVr)
            {
                Report($"{path}/vr", tag, vr ?? actualVr, $"VR {Show(vr)} expected, {Show(actualVr)} actual");
                return;
            }

            foreach (var key in UnknownKeys(expected).Concat(UnknownKeys(actual)).Distinct())
            {
                Report($"{path}/{key}", tag, vr, "unknown member of an attribute object (PS3.18 §F.2.2)");
            }

            var expectedForm = Form(expected);
            var actualForm = Form(actual);
            if (IsEmptyForm(expected, expectedForm) && IsEmptyForm(actual, actualForm))
            {
                return;
            }
            if (expectedForm != actualForm)
            {
                Report(path, tag, vr, $"value as {expectedForm} expected, {actualForm} actual");
                return;
            }

            switch (expectedForm)
            {
                case "InlineBinary":
                    Binary(expected.GetProperty("InlineBinary"), actual.GetProperty("InlineBinary"), $"{path}/InlineBinary", tag, vr);
                    break;
                case "BulkDataURI":
                    var expectedUri = expected.GetProperty("BulkDataURI").GetString();
                    var actualUri = actual.GetProperty("BulkDataURI").GetString();
                    if (expectedUri != actualUri)
                    {
                        Report($"{path}/BulkDataURI", tag, vr, $"{Show(expectedUri)} expected, {Show(actualUri)} actual");
                    }
                    break;
                case "Value":
                    Values(expected.GetProperty("Value"), actual.GetProperty("Value"), $"{path}/Value", tag, vr);
                    break;
            }
        }

        private void Values(JsonElement expected, JsonElement actual, string path, string tag, string? vr)
        {
            if (expected.ValueKind != JsonValueKind.Array || actual.ValueKind != JsonValueKind.Array)
            {
                Report(path, tag, vr, $"Value must be an array, got {expected.ValueKind} and {actual.ValueKind}");
                return;
            }
            var expectedCount = expected.GetArrayLength();
            var actualCount = actual.GetArrayLength();
            if (expectedCount != actualCount)
            {
                Report(path, tag, vr, $"{expectedCount} value(s) expected, {actualCount} actual: "
                    + $"{Abbreviate(expected.GetRawText())} vs {Abbreviate(actual.GetRawText())}");
                return;
            }
            for (var i = 0; i < expectedCount; i++)
            {
                var itemPath = $"{path}/{i}";
                var e = expected[i];
                var a = actual[i];
                switch (vr)
                {
                    case "SQ":
                        DataSet(e, a, itemPath);
                        break;
                    case "PN":
                        PersonName(e, a, itemPath, tag);
                        break;
                    default:
                        if (!ScalarEquals(e, a, vr))
                        {
                            Report(itemPath, tag, vr, $"{Abbreviate(e.GetRawText())} expected, {Abbreviate(a.GetRawText())} actual");
                        }
                        break;
                }
            }
        }

        private void PersonName(JsonElement expected, JsonElement actual, string path, string tag)
        {
            if (!IsPersonNameShape(expected) || !IsPersonNameShape(actual))
            {
                Report(path, tag, "PN", $"PN value must be an object of component groups (PS3.18 §F.2.2), got "
                    + $"{Abbreviate(expected.GetRawText())} and {Abbreviate(actual.GetRawText())}");
                return;
            }
            foreach (var group in PersonNameGroups)
            {
                var e = NormalizePersonNameGroup(GroupText(expected, group));
                var a = NormalizePersonNameGroup(GroupText(actual, group));
                if (e != a)
                {
                    Report($"{path}/{group}", tag, "PN", $"{Show(e)} expected, {Show(a)} actual");
                }
            }
        }

        private void Binary(JsonElement expected, JsonElement actual, string path, string tag, string? vr)
        {
            byte[] e, a;
            try
            {
                e = Convert.FromBase64String(expected.GetString() ?? "");
                a = Convert.FromBase64String(actual.GetString() ?? "");
            }
            catch (FormatException ex)
            {
                Report(path, tag, vr, $"InlineBinary is not base64: {ex.Message}");
                return;
            }
            if (e.AsSpan().SequenceEqual(a) || DiffersOnlyByEvenPadding(e, a) || DiffersOnlyByEvenPadding(a, e))
            {
                return;
            }
            var common = Math.Min(e.Length, a.Length);
            var first = 0;
            while (first < common && e[first] == a[first])
            {
                first++;
            }
            Report(path, tag, vr, $"{e.Length} bytes expected, {a.Length} actual; first difference at byte {first}");
        }
    }

    private static bool DiffersOnlyByEvenPadding(byte[] shorter, byte[] longer) =>
        shorter.Length % 2 == 1
        && longer.Length == shorter.Length + 1
        && longer[^1] == 0
        && longer.AsSpan(0, shorter.Length).SequenceEqual(shorter);

    private static string Form(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return element.ValueKind.ToString();
        }
        var forms = new[] { "Value", "InlineBinary", "BulkDataURI" }.Where(f => element.TryGetProperty(f, out _)).ToList();
        return forms.Count switch
        {
            0 => "empty",
            1 => forms[0],
            _ => string.Join("+", forms),
        };
    }

    /// <summary>No value at all, [] or only empty items (null, "", a PN with no components).</summary>
    private static bool IsEmptyForm(JsonElement element, string form) => form switch
    {
        "empty" => true,
        "Value" => element.GetProperty("Value") is { ValueKind: JsonValueKind.Array } values
                   && values.EnumerateArray().All(IsEmptyItem),
        "InlineBinary" => element.GetProperty("InlineBinary").GetString() is "" or null,
        _ => false,
    };

    private static bool IsEmptyItem(JsonElement item) => item.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.String => TrimPadding(item.GetString()!).Length == 0,
        // An empty PN is an object whose groups are all empty; an empty sequence item is NOT empty.
        JsonValueKind.Object => IsPersonNameShape(item) && item.EnumerateObject().Any()
                                && item.EnumerateObject().All(p =>
                                    p.Value.ValueKind is JsonValueKind.Null
                                    || (p.Value.ValueKind is JsonValueKind.String
                                        && NormalizePersonNameGroup(p.Value.GetString()) == "")),
        _ => false,
    };

    private static bool IsPersonNameShape(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object
        && item.EnumerateObject().All(p => Array.IndexOf(PersonNameGroups, p.Name) >= 0);

    private static string? GroupText(JsonElement personName, string group) =>
        personName.TryGetProperty(group, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Trailing empty components and padding carry no meaning (PS3.5 §6.2.1).</summary>
    private static string NormalizePersonNameGroup(string? group)
    {
        if (group is null)
        {
            return "";
        }
        var components = TrimPadding(group).Split('^').Select(c => c.Trim(' ')).ToList();
        while (components.Count > 0 && components[^1].Length == 0)
        {
            components.RemoveAt(components.Count - 1);
        }
        return string.Join('^', components);
    }

    private static bool ScalarEquals(JsonElement expected, JsonElement actual, string? vr)
    {
        if (IsEmptyItem(expected) && IsEmptyItem(actual))
        {
            return true;
        }

        var numeric = NumericVrs.Contains(vr ?? "")
                      || expected.ValueKind == JsonValueKind.Number
                      || actual.ValueKind == JsonValueKind.Number;
        if (numeric && TryNumber(expected, out var e) && TryNumber(actual, out var a))
        {
            return NumbersEqual(e, a, vr);
        }

        return (expected.ValueKind, actual.ValueKind) switch
        {
            (JsonValueKind.String, JsonValueKind.String) =>
                vr == "AT"
                    ? string.Equals(expected.GetString(), actual.GetString(), StringComparison.OrdinalIgnoreCase)
                    : TrimPadding(expected.GetString()!) == TrimPadding(actual.GetString()!),
            (JsonValueKind.True, JsonValueKind.True) or (JsonValueKind.False, JsonValueKind.False) => true,
            _ => JsonElement.DeepEquals(expected, actual),
        };
    }

    private readonly record struct Number(string Text, decimal? Decimal, double Double);

    /// <summary>A JSON number, or a string holding one (DS and IS are strings in some writers).</summary>
    private static bool TryNumber(JsonElement element, out Number number)
    {
        string text;
        if (element.ValueKind == JsonValueKind.Number)
        {
            text = element.GetRawText();
        }
        else if (element.ValueKind == JsonValueKind.String)
        {
            // DS/IS may carry leading and trailing spaces (PS3.5 Table 6.2-1), and some files NUL-pad them.
            text = TrimPadding(element.GetString()!).TrimStart(' ');
        }
        else
        {
            number = default;
            return false;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            number = default;
            return false;
        }
        decimal? m = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var dec) ? dec : null;
        number = new Number(text, m, d);
        return true;
    }

    private static bool NumbersEqual(Number expected, Number actual, string? vr)
    {
        if (expected.Decimal is { } e && actual.Decimal is { } a && e == a)
        {
            return true; // exact, also for 64-bit SV/UV beyond double precision
        }
        if (vr is "SV" or "UV" && expected.Decimal is not null && actual.Decimal is not null)
        {
            return false;
        }
        if (vr == "FL")
        {
            // A 32-bit float printed with 9 digits (dcmtk) or as the shortest double (pydicom) is the same value.
            return (float)expected.Double == (float)actual.Double;
        }
        if (vr == "FD")
        {
            // dcm2json 3.6.7 prints FD with 17 digits from its own formatter, which can be one unit in
            // the last place off (0.026228787661969975 for the double 0.02622878766196998).
            return Math.Abs(BitConverter.DoubleToInt64Bits(expected.Double) - BitConverter.DoubleToInt64Bits(actual.Double)) <= 1;
        }
        return expected.Double.Equals(actual.Double);
    }

    private static string TrimPadding(string value) => value.TrimEnd(' ', '\0');

    private static IEnumerable<string> UnknownKeys(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().Select(p => p.Name)
                .Where(n => n is not ("vr" or "Value" or "InlineBinary" or "BulkDataURI"))
            : [];

    private static string? VrOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("vr", out var vr) && vr.ValueKind == JsonValueKind.String
            ? vr.GetString()
            : null;

    private static string TagText(uint tag) => tag.ToString("X8", CultureInfo.InvariantCulture);

    private static string Show(string? value) => value is null ? "(none)" : $"\"{value}\"";

    private static string Abbreviate(string text) => text.Length <= 80 ? text : text[..77] + "…";
}
