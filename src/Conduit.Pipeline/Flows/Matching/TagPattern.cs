using System.Text.RegularExpressions;

namespace Conduit.Pipeline.Flows.Matching;

/// <summary>
/// One regular expression of a trigger, a filter or a <c>when</c> condition, compiled at load time with a match
/// timeout. In Conduit flows it must match a whole value (<c>CT</c> does not match <c>RTSTRUCT</c>; write
/// <c>.*thorax.*</c> for "contains"); in DicomFlow flows it is searched for anywhere in the value, as DicomFlow does.
/// A negated pattern (<c>"!regex"</c>, <c>{not: regex}</c>, or DicomFlow's <c>"~regex"</c>) holds when the regex does
/// not match.
/// </summary>
public sealed class TagPattern
{
    /// <summary>Bounds a pathological pattern on hostile data (a tag value comes from the sender).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    public TagPattern(string pattern, bool negated, bool wholeValue = true)
    {
        Pattern = pattern;
        Negated = negated;
        WholeValue = wholeValue;
        // Validate the pattern on its own first, so an error message quotes what the user wrote.
        _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        Regex = new Regex(wholeValue ? $@"\A(?:{pattern})\z" : pattern, RegexOptions.CultureInvariant, MatchTimeout);
    }

    /// <summary>The regex as written, without the negation marker.</summary>
    public string Pattern { get; }
    public bool Negated { get; }

    /// <summary>True when the regex must match a whole value (Conduit), false when found anywhere in it (DicomFlow).</summary>
    public bool WholeValue { get; }
    public Regex Regex { get; }

    /// <summary>Whether the regex is found in the whole (backslash-joined) value or in any single value; false on timeout.</summary>
    public bool Finds(string joined, IReadOnlyList<string> values, out bool timedOut)
    {
        timedOut = false;
        try
        {
            if (Regex.IsMatch(joined)) return true;
            if (values.Count > 1)
                foreach (var v in values)
                    if (Regex.IsMatch(v)) return true;
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            timedOut = true;
            return false;
        }
    }

    /// <summary>"/CT/" (whole value), "/…CT…/" (anywhere in the value), "not /SR/", for explanations.</summary>
    public override string ToString() => (Negated ? "not " : "") + Shown;

    /// <summary>The regex as shown in explanations.</summary>
    public string Shown => WholeValue ? $"/{Pattern}/" : $"/…{Pattern}…/";
}
