namespace Conduit.Pipeline.Store;

/// <summary>What a batch groups: one series, or one study. Stored as its lower-case name.</summary>
public enum BatchScope
{
    Series,
    Study,
}
