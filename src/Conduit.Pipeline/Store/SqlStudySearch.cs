using System.Text;
using System.Data.Common;

namespace Conduit.Pipeline.Store;

/// <summary>The SQL of <see cref="StudyQuery"/>: one WHERE clause built from the keys given, values always as parameters.</summary>
internal static class SqlStudySearch
{
    public static List<StudyMatch> Run(DbConnection c, SqlDialect dialect, StudyQuery query)
    {
        var where = new List<string>();
        var parameters = new List<(string Name, object? Value)>();
        if (query.StudyInstanceUids.Count > 0)
        {
            var names = query.StudyInstanceUids.Select((uid, i) => { parameters.Add(($"@uid{i}", uid)); return $"@uid{i}"; });
            where.Add($"s.study_uid IN ({string.Join(", ", names)})");
        }
        if (query.PatientId is { } patientId)
        {
            where.Add(@"p.patient_id LIKE @pid ESCAPE '\'");
            parameters.Add(("@pid", LikePattern(patientId)));
        }
        if (query.AccessionNumber is { } accession)
        {
            where.Add(@"s.accession_number LIKE @acc ESCAPE '\'");
            parameters.Add(("@acc", LikePattern(accession)));
        }
        if (query.StudyDateFrom is { } from)
        {
            where.Add("s.study_date >= @from");
            parameters.Add(("@from", from));
        }
        if (query.StudyDateTo is { } to)
        {
            where.Add("s.study_date <= @to");
            parameters.Add(("@to", to));
        }
        if (query.Modality is { } modality)
        {
            where.Add("EXISTS (SELECT 1 FROM series m WHERE m.study_uid = s.study_uid AND m.modality = @mod)");
            parameters.Add(("@mod", modality));
        }
        parameters.Add(("@limit", query.Limit));
        parameters.Add(("@offset", query.Offset));
        var sql = $"""
            SELECT s.study_uid, p.patient_id, p.patient_name, p.birth_date, p.sex, s.accession_number, s.study_date, s.study_description, s.updated_at,
                (SELECT {dialect.CommaList("r.modality")} FROM series r WHERE r.study_uid = s.study_uid AND r.modality IS NOT NULL) AS modalities,
                (SELECT COUNT(*) FROM series r WHERE r.study_uid = s.study_uid) AS series_count,
                (SELECT COUNT(*) FROM instances i WHERE i.study_uid = s.study_uid) AS instance_count
            FROM studies s JOIN patients p ON p.id = s.patient_ref
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY {(query.RecentFirst ? "s.updated_at DESC" : "s.study_date DESC NULLS LAST")}, s.study_uid LIMIT @limit OFFSET @offset;
            """;
        return c.Query(null, sql, Match, [.. parameters]);
    }

    private static StudyMatch Match(DbDataReader r) => new(
        r.String("study_uid"), r.String("patient_id"), r.NullableString("patient_name"), r.NullableString("birth_date"),
        r.NullableString("sex"), r.NullableString("accession_number"), r.NullableString("study_date"), r.NullableString("study_description"),
        (r.NullableString("modalities") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList(),
        r.Int("series_count"), r.Int("instance_count"), r.Time("updated_at"));

    /// <summary>DICOM wildcards (PS3.4 §C.2.2.2.4: <c>*</c> any run, <c>?</c> one character) as a LIKE pattern.</summary>
    private static string LikePattern(string value)
    {
        var pattern = new StringBuilder(value.Length);
        foreach (var ch in value)
        {
            pattern.Append(ch switch
            {
                '*' => "%",
                '?' => "_",
                '%' or '_' or '\\' => "\\" + ch,
                _ => ch.ToString(),
            });
        }
        return pattern.ToString();
    }
}
