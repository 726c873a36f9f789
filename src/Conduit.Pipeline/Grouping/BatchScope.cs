namespace Conduit.Pipeline.Grouping;

/// <summary>What a batch gathers: the instances of one series, or of one study.</summary>
public enum BatchScope
{
    Series,
    Study,
}
