using System.Globalization;
using System.Text.Json;
using Conduit.Dicom;
using Conduit.Pipeline.Files;
using Conduit.Pipeline.Store;

namespace Conduit.DicomWeb;

/// <summary>
/// QIDO-RS (PS3.18 §10.6): search for studies and for the series of a study, answered in DICOM JSON from the
/// store's rows (never from the files). Matching keys are given by keyword or by tag (<c>00100020</c>).
/// </summary>
internal static class QidoEndpoint
{
    public const int MaxLimit = 1000;

    public static async Task<IResult> SearchStudiesAsync(HttpRequest request, IInstanceStore store, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var error = (string?)null;
        var limit = Number(q, "limit", 100, ref error);
        var offset = Number(q, "offset", 0, ref error);
        var (from, to) = DateRange(Key(q, "StudyDate", "00080020"), ref error);
        var uids = (Key(q, "StudyInstanceUID", "0020000D") ?? "")
            .Split([',', '\\'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (uids.FirstOrDefault(u => !SafePath.IsValidUid(u)) is { } badUid) error ??= $"'{badUid}' is not a valid UID.";
        if (error is not null)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid search", detail: error);

        var query = new StudyQuery
        {
            StudyInstanceUids = uids,
            PatientId = Key(q, "PatientID", "00100020"),
            AccessionNumber = Key(q, "AccessionNumber", "00080050"),
            StudyDateFrom = from,
            StudyDateTo = to,
            Modality = Key(q, "ModalitiesInStudy", "00080061"),
            Limit = Math.Clamp(limit, 1, MaxLimit),
            Offset = Math.Max(0, offset),
        };
        var studies = await store.SearchStudiesAsync(query, cancellationToken);
        var baseUrl = DicomWebRoutes.BaseUrl(request);
        return DicomWebRoutes.Json(StatusCodes.Status200OK, stream => WriteArray(stream, studies.Select(s => StudyResult(s, baseUrl))));
    }

    public static async Task<IResult> SearchSeriesAsync(HttpRequest request, string study, IInstanceStore store, CancellationToken cancellationToken)
    {
        var series = await store.ListStudySeriesAsync(study, cancellationToken);
        var modality = Key(request.Query, "Modality", "00080060");
        var baseUrl = DicomWebRoutes.BaseUrl(request);
        var matches = series.Where(s => modality is null || string.Equals(s.Modality, modality, StringComparison.Ordinal));
        return DicomWebRoutes.Json(StatusCodes.Status200OK, stream => WriteArray(stream, matches.Select(s => SeriesResult(s, baseUrl))));
    }

    /// <summary>The study attributes of PS3.18 Table 10.6.3-3 that the store keeps.</summary>
    private static DicomDataset StudyResult(StudyMatch s, string baseUrl)
    {
        var d = Utf8Dataset();
        Put(d, DicomTags.StudyDate, s.StudyDate);
        Put(d, DicomTags.AccessionNumber, s.AccessionNumber);
        if (s.Modalities.Count > 0) d.AddOrUpdate(DicomTags.ModalitiesInStudy, [.. s.Modalities]);
        Put(d, DicomTags.StudyDescription, s.StudyDescription);
        Put(d, DicomTags.RetrieveURL, $"{baseUrl}/studies/{s.StudyInstanceUid}");
        Put(d, DicomTags.PatientName, s.PatientName);
        Put(d, DicomTags.PatientID, s.PatientId);
        Put(d, DicomTags.PatientBirthDate, s.PatientBirthDate);
        Put(d, DicomTags.PatientSex, s.PatientSex);
        Put(d, DicomTags.StudyInstanceUID, s.StudyInstanceUid);
        Put(d, DicomTags.NumberOfStudyRelatedSeries, s.SeriesCount.ToString(CultureInfo.InvariantCulture));
        Put(d, DicomTags.NumberOfStudyRelatedInstances, s.InstanceCount.ToString(CultureInfo.InvariantCulture));
        return d;
    }

    /// <summary>The series attributes of PS3.18 Table 10.6.3-4 that the store keeps.</summary>
    private static DicomDataset SeriesResult(SeriesSummary s, string baseUrl)
    {
        var d = Utf8Dataset();
        Put(d, DicomTags.Modality, s.Modality);
        Put(d, DicomTags.SeriesDescription, s.SeriesDescription);
        Put(d, DicomTags.RetrieveURL, $"{baseUrl}/studies/{s.StudyInstanceUid}/series/{s.SeriesInstanceUid}");
        Put(d, DicomTags.StudyInstanceUID, s.StudyInstanceUid);
        Put(d, DicomTags.SeriesInstanceUID, s.SeriesInstanceUid);
        Put(d, DicomTags.SeriesNumber, s.SeriesNumber);
        Put(d, DicomTags.NumberOfSeriesRelatedInstances, s.InstanceCount.ToString(CultureInfo.InvariantCulture));
        return d;
    }

    // The store keeps decoded text: the results say UTF-8 so any name survives the JSON writer.
    private static DicomDataset Utf8Dataset() => new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");

    private static void Put(DicomDataset d, DicomTag tag, string? value)
    {
        if (!string.IsNullOrEmpty(value)) d.AddOrUpdate(tag, value);
    }

    private static void WriteArray(Stream stream, IEnumerable<DicomDataset> results)
    {
        using var writer = new Utf8JsonWriter(stream, DicomJsonWriter.WriterOptions(new DicomJsonWriterOptions()));
        writer.WriteStartArray();
        foreach (var result in results) DicomJsonWriter.Write(writer, result);
        writer.WriteEndArray();
    }

    private static string? Key(IQueryCollection q, string keyword, string tag)
    {
        var value = q.TryGetValue(keyword, out var byName) ? byName.ToString() : q.TryGetValue(tag, out var byTag) ? byTag.ToString() : null;
        // PS3.4 §C.2.2.2.4: "*" alone matches everything, as if the key were not given.
        return string.IsNullOrWhiteSpace(value) || value == "*" ? null : value.Trim();
    }

    private static int Number(IQueryCollection q, string name, int fallback, ref string? error)
    {
        if (!q.TryGetValue(name, out var text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        error ??= $"{name} must be a whole number, not '{text}'.";
        return fallback;
    }

    /// <summary>A DA match (PS3.4 §C.2.2.2.5): one date, or a range with either end open.</summary>
    private static (string? From, string? To) DateRange(string? value, ref string? error)
    {
        if (value is null) return (null, null);
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        var (from, to) = dash < 0 ? (value, value) : (value[..dash], value[(dash + 1)..]);
        foreach (var date in new[] { from, to })
            if (date.Length > 0 && !DateOnly.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                error ??= $"StudyDate '{value}' is not YYYYMMDD or a YYYYMMDD-YYYYMMDD range.";
        return (from.Length > 0 ? from : null, to.Length > 0 ? to : null);
    }
}
