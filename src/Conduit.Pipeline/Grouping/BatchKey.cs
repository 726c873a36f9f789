namespace Conduit.Pipeline.Grouping;

/// <summary>
/// Identifies an open batch: one series (or study) as gathered for one flow. Batches are per flow because each flow
/// has its own triggers (which instances belong) and may have its own completion rule.
/// </summary>
/// <param name="Scope">Series or study.</param>
/// <param name="Uid">The Series Instance UID or the Study Instance UID, by scope.</param>
/// <param name="Flow">The flow the batch is gathered for.</param>
public readonly record struct BatchKey(BatchScope Scope, string Uid, string Flow)
{
    public override string ToString() => $"{Flow}/{Scope.ToString().ToLowerInvariant()}/{Uid}";
}
