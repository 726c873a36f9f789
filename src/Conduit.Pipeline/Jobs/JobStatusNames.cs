namespace Conduit.Pipeline.Jobs;

/// <summary>
/// The text each status is stored as: lower-case names, stable across releases and readable in SQL
/// (a PostgreSQL store uses the same strings).
/// </summary>
public static class JobStatusNames
{
    public static string ToText(this JobStatus status) => status switch
    {
        JobStatus.Pending => "pending",
        JobStatus.Running => "running",
        JobStatus.Finished => "finished",
        JobStatus.Sending => "sending",
        JobStatus.Sent => "sent",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToText(this StepStatus status) => status switch
    {
        StepStatus.Pending => "pending",
        StepStatus.Running => "running",
        StepStatus.Finished => "finished",
        StepStatus.Failed => "failed",
        StepStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToText(this DestinationStatus status) => status switch
    {
        DestinationStatus.Pending => "pending",
        DestinationStatus.Sending => "sending",
        DestinationStatus.Sent => "sent",
        DestinationStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static JobStatus ParseJobStatus(string text) => Parse<JobStatus>(text);

    public static StepStatus ParseStepStatus(string text) => Parse<StepStatus>(text);

    public static DestinationStatus ParseDestinationStatus(string text) => Parse<DestinationStatus>(text);

    private static T Parse<T>(string text) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new FormatException($"'{text}' is not a {typeof(T).Name}.");
}
