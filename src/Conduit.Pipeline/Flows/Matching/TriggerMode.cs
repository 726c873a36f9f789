namespace Conduit.Pipeline.Flows.Matching;

/// <summary>How a list of trigger maps combines.</summary>
public enum TriggerMode
{
    /// <summary>Conduit's rule: an instance matches when any one map matches it; a batch matches when any of its instances does.</summary>
    AnyMap,

    /// <summary>
    /// DicomFlow's rule: a batch matches when every map is matched by at least one of its instances (each map in a single
    /// instance), and no instance that matches a map's positive patterns matches one of its negated ('~') patterns.
    /// </summary>
    EveryMapInBatch,
}
