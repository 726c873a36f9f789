using Conduit.Pipeline.Jobs;

namespace Conduit.Pipeline.Orchestration;

/// <summary>The result of a cancel, with the job as it is now.</summary>
/// <param name="WasRunning">True when a worker here was running it and was told to stop.</param>
public sealed record CancelOutcome(CancelResult Result, JobRecord? Job, bool WasRunning);
