namespace Conduit.Pipeline.Jobs;

/// <summary>A job with everything recorded about it: what <c>GET /api/v1/jobs/{id}</c> shows.</summary>
public sealed record JobDetails(
    JobRecord Job,
    IReadOnlyList<JobStepRecord> Steps,
    IReadOnlyList<JobDestinationRecord> Destinations,
    IReadOnlyList<JobEventRecord> Events);
