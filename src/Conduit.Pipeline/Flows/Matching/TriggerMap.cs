namespace Conduit.Pipeline.Flows.Matching;

/// <summary>One map of a trigger list: every condition must hold in the same instance.</summary>
/// <param name="Index">1-based position in the list, for explanations ("trigger 2").</param>
public sealed record TriggerMap(int Index, IReadOnlyList<TagCondition> Conditions)
{
    public MapResult Evaluate(ITagValues instance, bool includeNegated = true)
    {
        var results = Conditions.Select(c => c.Evaluate(instance, includeNegated)).ToList();
        return new MapResult(this, results.All(r => r.Matched), results);
    }

    /// <summary>"Modality=/CT/, SeriesDescription=/(?i)thorax/" — a readable name (for required series).</summary>
    public string Describe() => Conditions.Count == 0 ? "any instance" : string.Join(", ", Conditions.Select(c => c.ToString()));
}

/// <summary>How one trigger map fared on one instance, condition by condition.</summary>
public sealed record MapResult(TriggerMap Map, bool Matched, IReadOnlyList<ConditionResult> Conditions);
