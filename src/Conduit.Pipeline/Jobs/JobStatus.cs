namespace Conduit.Pipeline.Jobs;

/// <summary>Where a job is in its life. Stored as its lower-case name (<see cref="JobStatusNames"/>).</summary>
public enum JobStatus
{
    /// <summary>Created and queued, waiting for a worker.</summary>
    Pending,
    /// <summary>A worker holds it and is running its steps.</summary>
    Running,
    /// <summary>Every step ended well; the results are ready to send.</summary>
    Finished,
    /// <summary>Results are being delivered to the destinations.</summary>
    Sending,
    /// <summary>Every destination acknowledged the results: the job is done.</summary>
    Sent,
    /// <summary>A step or a destination failed for good; inputs are kept for inspection.</summary>
    Failed,
    /// <summary>Stopped on request before it ended.</summary>
    Cancelled,
}
