using Conduit.Dicom;

namespace Conduit.Pipeline.Flows.Matching;

/// <summary>One entry of a trigger map: a tag and the patterns its value must satisfy (all of them).</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Name">The tag as the flow wrote it (keyword or (gggg,eeee)), for explanations.</param>
/// <param name="Patterns">Every pattern must hold: positive ones must be found, negated ones must not.</param>
public sealed record TagCondition(DicomTag Tag, string Name, IReadOnlyList<TagPattern> Patterns)
{
    /// <summary>
    /// Tests the instance. An absent tag fails a positive pattern and satisfies a negated one (a value that is not
    /// there cannot match what is forbidden). A binary or sequence value has no text and is treated like an absent one.
    /// </summary>
    public ConditionResult Evaluate(ITagValues instance) => Evaluate(instance, includeNegated: true);

    /// <summary>As <see cref="Evaluate(ITagValues)"/>, optionally testing only the positive patterns (DicomFlow's batch rule needs both halves apart).</summary>
    public ConditionResult Evaluate(ITagValues instance, bool includeNegated)
    {
        var present = instance.TryGetValues(Tag, out var values, out var joined);
        var hasText = present && (values.Count > 0 || joined.Length > 0);
        foreach (var pattern in Patterns)
        {
            if (pattern.Negated && !includeNegated) continue;
            var timedOut = false;
            var found = hasText && pattern.Finds(joined, values, out timedOut);
            if (timedOut)
                return new ConditionResult(this, false, joined, $"{pattern} timed out after {TagPattern.MatchTimeout.TotalMilliseconds} ms");
            if (found == pattern.Negated)
                return new ConditionResult(this, false, present ? joined : null, $"{Seen(present, hasText, joined)} {(pattern.Negated ? "matches excluded" : "does not match")} {pattern.Shown}");
        }
        var tested = Patterns.Where(p => includeNegated || !p.Negated);
        return new ConditionResult(this, true, present ? joined : null, $"{Seen(present, hasText, joined)} matches {string.Join(" and ", tested)}");
    }

    private static string Seen(bool present, bool hasText, string joined) => !present ? "absent" : hasText ? $"'{joined}'" : "not text";

    public override string ToString() => $"{Name} {string.Join(" and ", Patterns)}";
}

/// <summary>How one tag condition fared on one instance, with the value seen (null when the tag is absent).</summary>
public sealed record ConditionResult(TagCondition Condition, bool Matched, string? Value, string Detail);
