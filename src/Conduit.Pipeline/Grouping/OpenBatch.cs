namespace Conduit.Pipeline.Grouping;

/// <summary>The signals gathered so far for one open batch (guarded by the tracker's lock).</summary>
internal sealed class OpenBatch(string id, BatchKey key, CompletionRule rule, DateTimeOffset openedAt)
{
    public string Id { get; } = id;
    public BatchKey Key { get; } = key;
    public CompletionRule Rule { get; set; } = rule;
    public DateTimeOffset OpenedAt { get; } = openedAt;
    public DateTimeOffset LastArrival { get; set; } = openedAt;
    public HashSet<string> Instances { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Series { get; } = new(StringComparer.Ordinal);
    public HashSet<string> DeliveringAssociations { get; } = new(StringComparer.Ordinal);
    public HashSet<string> EndedAssociations { get; } = new(StringComparer.Ordinal);
    public DateTimeOffset LastAssociationEnd { get; set; } = DateTimeOffset.MinValue;
    public int? ExpectedCount { get; set; }
    public bool[] RequirementMet { get; set; } = new bool[rule.RequiredSeries.Count];

    public bool RequirementsMet => Array.TrueForAll(RequirementMet, met => met);

    public IReadOnlyList<string> MissingRequirements()
    {
        var missing = new List<string>();
        for (var i = 0; i < RequirementMet.Length; i++)
            if (!RequirementMet[i]) missing.Add(Rule.RequiredSeries[i].Name);
        return missing;
    }

    public void Record(InstanceArrival arrival, DateTimeOffset now)
    {
        LastArrival = now;
        Series.Add(arrival.SeriesInstanceUid);
        if (arrival.AssociationId is { } association)
        {
            DeliveringAssociations.Add(association);
            // An association id seen again is live again (a sender that reuses ids, or HTTP sessions).
            EndedAssociations.Remove(association);
        }
        if (arrival.ExpectedCount is > 0 and var expected) ExpectedCount = expected;
        for (var i = 0; i < RequirementMet.Length; i++)
            if (!RequirementMet[i] && arrival.RequirementsMet?.Contains(Rule.RequiredSeries[i].Name) == true) RequirementMet[i] = true;
    }

    /// <summary>The earliest time a signal closes the batch, and which signal; (MaxValue, _) when none is pending.</summary>
    public (DateTimeOffset Due, BatchCloseReason Reason) NextClosure()
    {
        if (Rule.UseExpectedCount && ExpectedCount is { } expected && Instances.Count >= expected && RequirementsMet)
            return (LastArrival, BatchCloseReason.ExpectedCountReached);

        var due = LastArrival + Rule.QuietTime;
        var reason = BatchCloseReason.QuietTime;
        if (Rule.AssociationEndGrace is { } grace && RequirementsMet && DeliveringAssociations.Count > 0
            && EndedAssociations.Count == DeliveringAssociations.Count)
        {
            var settled = (LastAssociationEnd > LastArrival ? LastAssociationEnd : LastArrival) + grace;
            if (settled < due) (due, reason) = (settled, BatchCloseReason.AssociationsEnded);
        }
        return (due, reason);
    }
}
