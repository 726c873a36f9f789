using System.Text.RegularExpressions;

namespace Conduit.Pipeline.Flows.Matching;

/// <summary>
/// One regular expression of a trigger, a filter or a <c>when</c> condition, compiled at load time with a match
/// timeout. It is searched for anywhere in the value (as DicomFlow and grep do): anchor with <c>^…$</c> for a whole
/// value. A negated pattern (<c>"!regex"</c>, <c>{not: regex}</c>, or DicomFlow's <c>"~regex"</c>) holds when the
/// regex does not match.
/// </summary>
public sealed class TagPattern
{
    /// <summary>Bounds a pathological pattern on hostile data (a tag value comes from the sender).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    public TagPattern(string pattern, bool negated)
    {
        Pattern = pattern;
        Negated = negated;
        Regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
    }

    /// <summary>The regex as written, without the negation marker.</summary>
    public string Pattern { get; }
    public bool Negated { get; }
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

    /// <summary>"/CT/" or "not /SR/", for explanations.</summary>
    public override string ToString() => Negated ? $"not /{Pattern}/" : $"/{Pattern}/";
}
