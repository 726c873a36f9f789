using Conduit.Pipeline.Jobs;
using System.Data.Common;

namespace Conduit.Pipeline.Store;

/// <summary>Row → record mappings for jobs and what hangs off them.</summary>
internal static class SqlJobRows
{
    public static JobRecord Job(DbDataReader r) => new(
        r.String("id"), r.String("flow_name"), r.String("flow_version"), r.Int("priority"), r.NullableString("batch_id"),
        r.NullableString("study_uid"), JobStatusNames.ParseJobStatus(r.String("status")), r.Time("created_at"),
        r.NullableTime("started_at"), r.NullableTime("ended_at"), r.NullableString("error"), r.Int("attempts"),
        r.NullableString("work_dir"));

    public static JobStepRecord Step(DbDataReader r) => new(
        r.String("job_id"), r.String("name"), r.Int("ordinal"), JobStatusNames.ParseStepStatus(r.String("status")),
        r.NullableTime("started_at"), r.NullableTime("ended_at"), r.NullableInt("exit_code"), r.Int("timed_out") != 0,
        r.NullableString("log_tail"), r.NullableString("error"));

    public static JobDestinationRecord Destination(DbDataReader r) => new(
        r.String("job_id"), r.String("name"), JobStatusNames.ParseDestinationStatus(r.String("status")), r.Int("attempts"),
        r.NullableString("last_error"), r.NullableTime("next_attempt_at"), r.NullableTime("sent_at"),
        r.NullableTime("started_at"), r.NullableTime("ended_at"));

    public static JobEventRecord Event(DbDataReader r) => new(
        r.String("id"), r.String("job_id"), r.Time("at"), r.String("entity"), r.NullableString("name"),
        r.NullableString("from_status"), r.String("to_status"), r.NullableString("message"));

    public static WebhookDeliveryRecord Webhook(DbDataReader r) => new(
        r.String("id"), r.String("job_id"), r.String("url"), r.String("status"), r.Int("attempts"),
        r.NullableInt("response_status"), r.NullableString("last_error"), r.Time("created_at"),
        r.NullableTime("next_attempt_at"), r.NullableTime("delivered_at"));
}
