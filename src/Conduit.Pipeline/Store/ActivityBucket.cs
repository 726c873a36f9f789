namespace Conduit.Pipeline.Store;

/// <summary>What happened in one time slice: instances received, and jobs that ended sent or failed.</summary>
public sealed record ActivityBucket(DateTimeOffset Start, int Instances, int JobsSent, int JobsFailed);
