namespace Conduit.Pipeline.Queue;

/// <summary>How many jobs are ready to run, waiting for a retry time, and leased by a worker.</summary>
public sealed record QueueCounts(int Ready, int Delayed, int Leased);
