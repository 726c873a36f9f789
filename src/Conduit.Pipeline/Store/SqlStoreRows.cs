using Conduit.Pipeline.Grouping;
using System.Data.Common;

namespace Conduit.Pipeline.Store;

/// <summary>Row → record mappings the store classes share.</summary>
internal static class SqlStoreRows
{
    public static string SourceText(InstanceSource source) => source switch
    {
        InstanceSource.Scp => "scp",
        InstanceSource.Http => "http",
        InstanceSource.Folder => "folder",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static InstanceSource ParseSource(string text) => text switch
    {
        "scp" => InstanceSource.Scp,
        "http" => InstanceSource.Http,
        "folder" => InstanceSource.Folder,
        _ => throw new FormatException($"'{text}' is not an instance source."),
    };

    /// <summary>A row of upload_files or folder_batch_files (the same columns): one file of an upload or a folder batch.</summary>
    public static UploadedFile UploadedFile(DbDataReader r) => new(
        r.GetString(r.GetOrdinal("name")),
        r.NullableString("sop_instance_uid"),
        r.NullableString("series_uid"),
        r.NullableString("study_uid"),
        (r.NullableString("batch_ids") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        r.NullableString("error"));

    public static string ScopeText(BatchScope scope) => scope == BatchScope.Series ? "series" : "study";

    public static string ReasonText(BatchCloseReason reason) => reason switch
    {
        BatchCloseReason.ExpectedCountReached => "expected-count",
        BatchCloseReason.AssociationsEnded => "associations-ended",
        BatchCloseReason.QuietTime => "quiet-time",
        BatchCloseReason.Forced => "forced",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    private static BatchCloseReason? ParseReason(string? text) => text switch
    {
        null => null,
        "expected-count" => BatchCloseReason.ExpectedCountReached,
        "associations-ended" => BatchCloseReason.AssociationsEnded,
        "quiet-time" => BatchCloseReason.QuietTime,
        "forced" => BatchCloseReason.Forced,
        _ => throw new FormatException($"'{text}' is not a batch close reason."),
    };

    public static StoredInstance Instance(DbDataReader r) => new(
        r.String("sop_instance_uid"), r.String("series_uid"), r.String("study_uid"), r.String("sop_class_uid"),
        r.String("transfer_syntax_uid"), r.NullableString("instance_number"), ParseSource(r.String("source")),
        r.NullableString("calling_ae"), r.NullableString("association_id"), r.Time("received_at"),
        r.Long("size_bytes"), r.String("path"), r.NullableString("modality"), r.NullableString("series_description"),
        r.NullableInt("expected_instances"));

    public static BatchRecord Batch(DbDataReader r) => new(
        r.String("id"), r.String("scope") == "series" ? BatchScope.Series : BatchScope.Study, r.String("key_uid"),
        r.String("flow"), r.String("study_uid"), r.String("state") == "open", r.Time("opened_at"),
        r.Time("last_instance_at"), r.NullableString("last_association_id"), r.Int("instance_count"),
        r.NullableTime("closed_at"), ParseReason(r.NullableString("close_reason")), r.NullableString("close_detail"),
        r.NullableString("node_id"));

    public static StudySummary Study(DbDataReader r) => new(
        r.String("study_uid"), r.String("patient_id"), r.NullableString("patient_name"), r.NullableString("accession_number"),
        r.NullableString("study_date"), r.NullableString("study_description"), r.Int("series_count"),
        r.Int("instance_count"), r.Time("updated_at"));

    public static SeriesSummary Series(DbDataReader r) => new(
        r.String("series_uid"), r.String("study_uid"), r.NullableString("modality"), r.NullableString("series_number"),
        r.NullableString("series_description"), r.NullableInt("expected_instances"), r.Int("instance_count"),
        r.Time("updated_at"));
}
