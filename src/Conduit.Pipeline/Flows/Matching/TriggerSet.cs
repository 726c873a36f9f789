namespace Conduit.Pipeline.Flows.Matching;

/// <summary>
/// A flow's triggers (also a filter step's <c>keep</c> list and a study's required series): a list of tag → regex
/// maps. An empty list matches every instance.
/// </summary>
public sealed record TriggerSet(IReadOnlyList<TriggerMap> Maps, TriggerMode Mode = TriggerMode.AnyMap)
{
    public static TriggerSet MatchAll { get; } = new([]);

    /// <summary>Every map's result on one instance, and whether the instance matches (under <see cref="TriggerMode.AnyMap"/>: any map).</summary>
    public InstanceResult Evaluate(ITagValues instance)
    {
        var maps = Maps.Select(m => m.Evaluate(instance)).ToList();
        return new InstanceResult(Maps.Count == 0 || maps.Any(m => m.Matched), maps);
    }

    /// <summary>Whether one instance matches on its own (any map matches it).</summary>
    public bool Matches(ITagValues instance) => Maps.Count == 0 || Maps.Any(m => m.Evaluate(instance).Matched);

    /// <summary>
    /// Whether an instance can count towards a batch this flow may run on, decided as it arrives: under
    /// <see cref="TriggerMode.AnyMap"/> it matches; under <see cref="TriggerMode.EveryMapInBatch"/> it matches some map's
    /// positive patterns (the batch decision is <see cref="EvaluateBatch"/>, when the batch is complete).
    /// </summary>
    public bool MayContribute(ITagValues instance) =>
        Maps.Count == 0 || Maps.Any(m => m.Evaluate(instance, includeNegated: Mode == TriggerMode.AnyMap).Matched);

    /// <summary>The decision for a complete series or study, with the reason.</summary>
    public BatchResult EvaluateBatch(IEnumerable<ITagValues> instances)
    {
        var list = instances.ToList();
        if (Maps.Count == 0) return new BatchResult(list.Count > 0, list.Count > 0 ? "no triggers: every instance matches" : "no instances");
        if (Mode == TriggerMode.AnyMap)
        {
            var matching = list.Count(Matches);
            return new BatchResult(matching > 0, $"{matching} of {list.Count} instance(s) match a trigger");
        }

        foreach (var map in Maps)
        {
            var candidates = list.Where(i => map.Evaluate(i, includeNegated: false).Matched).ToList();
            if (candidates.Count == 0) return new BatchResult(false, $"trigger {map.Index} is matched by no instance");
            // DicomFlow: an instance that fits the map but also fits an excluded ('~') pattern vetoes the whole flow.
            var veto = candidates.FirstOrDefault(i => !map.Evaluate(i).Matched);
            if (veto is not null) return new BatchResult(false, $"trigger {map.Index}: an instance matches an excluded pattern");
        }
        return new BatchResult(true, $"every trigger ({Maps.Count}) is matched by some instance");
    }
}

/// <summary>One instance against every trigger map.</summary>
public sealed record InstanceResult(bool Matched, IReadOnlyList<MapResult> Maps);

/// <summary>A batch's decision and why.</summary>
public sealed record BatchResult(bool Matched, string Reason);
