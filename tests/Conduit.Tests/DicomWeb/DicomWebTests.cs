using System.Net;
using System.Text.Json;
using Conduit.Dicom;
using Conduit.Dicom.Tests.Support;
using static Conduit.Tests.DicomWeb.DicomWebClient;

namespace Conduit.Tests.DicomWeb;

/// <summary>STOW-RS, QIDO-RS and WADO-RS (PS3.18 §10) against Conduit's HTTP server, with corpus files.</summary>
public sealed class DicomWebTests : DicomWebHostTest
{
    // One CT series of a study (patient 12345678), and two CR instances of another study (patient 77654033).
    private static readonly string[] CtFiles =
        new[] { "IM000000", "IM000001", "IM000002" }.Select(f => $"dicomdir/pydicom-dicomdirtests/TINY_ALPHA/PT000000/ST000000/SE000000/{f}").ToArray();
    private static readonly string[] CrFiles = ["dicomdir/pydicom-dicomdirtests/77654033/CR1/6154", "dicomdir/pydicom-dicomdirtests/77654033/CR2/6247"];

    private async Task<(HttpStatusCode Status, JsonElement Body)> StowAsync(string path, IEnumerable<byte[]> parts)
    {
        using var response = await Http.PostAsync(path, StowBody(parts));
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    private async Task<JsonElement> QidoAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task Stored_instances_are_found_by_QIDO_and_retrieved_byte_identical_by_WADO()
    {
        var ct = Header(CtFiles[0]);
        var study = ct.GetString(DicomTags.StudyInstanceUID);
        var series = ct.GetString(DicomTags.SeriesInstanceUID);

        var (status, stored) = await StowAsync($"/dicomweb/studies/{study}", CtFiles.Select(Bytes));
        var (crStatus, _) = await StowAsync("/dicomweb/studies", CrFiles.Select(Bytes));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, crStatus);
        var referenced = Items(stored, "00081199");
        Assert.Equal(CtFiles.Select(f => Header(f).GetString(DicomTags.SOPInstanceUID)), referenced.Select(i => Text(i, "00081155")));
        Assert.Equal(CtFiles.Select(f => Header(f).GetString(DicomTags.SOPClassUID)), referenced.Select(i => Text(i, "00081150")));
        Assert.Empty(Items(stored, "00081198"));
        Assert.EndsWith($"/dicomweb/studies/{study}", Text(stored, "00081190"));

        var byPatient = await QidoAsync("/dicomweb/studies?PatientID=12345678");
        var byWildcard = await QidoAsync("/dicomweb/studies?00100020=1234*");
        var byModality = await QidoAsync("/dicomweb/studies?ModalitiesInStudy=CR");
        var byDate = await QidoAsync("/dicomweb/studies?StudyDate=20200101-");
        var byAccession = await QidoAsync($"/dicomweb/studies?AccessionNumber={Header(CrFiles[0]).GetString(DicomTags.AccessionNumber)}");
        var byUid = await QidoAsync($"/dicomweb/studies?StudyInstanceUID={study}");
        var all = await QidoAsync("/dicomweb/studies");
        var paged = await QidoAsync("/dicomweb/studies?limit=1&offset=1");
        var none = await QidoAsync("/dicomweb/studies?PatientID=nobody");

        foreach (var found in new[] { byPatient, byWildcard, byDate, byUid })
            Assert.Equal(study, Text(Assert.Single(found.EnumerateArray()), "0020000D"));
        var cr = Assert.Single(byModality.EnumerateArray());
        Assert.Equal(Header(CrFiles[0]).GetString(DicomTags.StudyInstanceUID), Text(cr, "0020000D"));
        Assert.Equal("2", Text(cr, "00201208"));
        Assert.Equal(Text(cr, "0020000D"), Text(Assert.Single(byAccession.EnumerateArray()), "0020000D"));
        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal(Text(all[1], "0020000D"), Text(Assert.Single(paged.EnumerateArray()), "0020000D"));
        Assert.Equal(0, none.GetArrayLength());
        var ctStudy = byUid[0];
        Assert.Equal("CT", Text(ctStudy, "00080061"));
        Assert.Equal("3", Text(ctStudy, "00201208"));

        var seriesFound = Assert.Single((await QidoAsync($"/dicomweb/studies/{study}/series")).EnumerateArray());
        Assert.Equal(series, Text(seriesFound, "0020000E"));
        Assert.Equal("CT", Text(seriesFound, "00080060"));
        Assert.Equal("3", Text(seriesFound, "00201209"));

        using var one = await Http.GetAsync(new Uri(Text(referenced[1], "00081190")!));
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(Bytes(CtFiles[1]), Assert.Single(await ReadPartsAsync(one)));
        using var whole = await Http.GetAsync($"/dicomweb/studies/{study}");
        var parts = await ReadPartsAsync(whole);
        Assert.Equal(CtFiles.Length, parts.Count);
        Assert.All(CtFiles.Select(Bytes), expected => Assert.Contains(parts, p => p.AsSpan().SequenceEqual(expected)));
    }

    [Fact]
    public async Task A_broken_part_and_a_part_of_another_study_are_listed_as_failed_while_the_rest_is_stored()
    {
        var study = Header(CtFiles[0]).GetString(DicomTags.StudyInstanceUID);
        byte[] broken = [.. Bytes(CtFiles[1]).Take(200)];
        var otherStudySop = Header(CrFiles[0]).GetString(DicomTags.SOPInstanceUID);

        var (status, body) = await StowAsync($"/dicomweb/studies/{study}", [Bytes(CtFiles[0]), broken, Bytes(CrFiles[0])]);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(Header(CtFiles[0]).GetString(DicomTags.SOPInstanceUID), Text(Assert.Single(Items(body, "00081199")), "00081155"));
        var failed = Items(body, "00081198");
        Assert.Equal(2, failed.Count);
        Assert.All(failed, f => Assert.NotNull(Value(f, "00081197")));
        // PS3.18 §I.2.2, Table I.2-2: Cxxx "cannot understand" for the truncated part; for the instance of another
        // study, which the table has no value for, the code Conduit's conformance statement defines (0xC409,
        // docs/dicomweb.md); 202 per Table 10.5.3-1.
        Assert.Equal(0xC000, Value(failed[0], "00081197")!.Value.GetInt32());
        Assert.Equal(otherStudySop, Text(failed[1], "00081155"));
        Assert.Equal(0xC409, Value(failed[1], "00081197")!.Value.GetInt32());
        // Nothing of the refused parts reached the store.
        Assert.Equal(0, (await QidoAsync($"/dicomweb/studies?StudyInstanceUID={Header(CrFiles[0]).GetString(DicomTags.StudyInstanceUID)}")).GetArrayLength());
        using var refused = await Http.GetAsync($"/dicomweb/studies/{Header(CrFiles[0]).GetString(DicomTags.StudyInstanceUID)}");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task A_request_whose_every_part_fails_is_a_409_with_the_failures()
    {
        var (status, body) = await StowAsync("/dicomweb/studies", [[1, 2, 3], "not dicom"u8.ToArray()]);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(2, Items(body, "00081198").Count);
        Assert.Empty(Items(body, "00081199"));
    }

    [Fact]
    public async Task A_body_that_is_not_multipart_related_dicom_is_refused_with_415()
    {
        using var raw = new ByteArrayContent(Bytes(CtFiles[0]));
        raw.Headers.ContentType = new("application/dicom");
        using var response = await Http.PostAsync("/dicomweb/studies", raw);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
