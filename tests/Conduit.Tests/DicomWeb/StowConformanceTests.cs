using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Conduit.Dicom;
using Conduit.Dicom.Tests.Support;
using static Conduit.Tests.DicomWeb.DicomWebClient;

namespace Conduit.Tests.DicomWeb;

/// <summary>
/// Conduit's STOW-RS answers checked value by value against PS3.18: the HTTP status (§10.5.3.1, Table 10.5.3-1), the
/// Store Instances Response Module (Annex I, Table I.1-1) and the Failure Reason values (§I.2.2, Table I.2-2).
/// </summary>
public sealed class StowConformanceTests : DicomWebHostTest
{
    private const string CtFile = "dicomdir/pydicom-dicomdirtests/TINY_ALPHA/PT000000/ST000000/SE000000/IM000000";
    private const string DicomDir = "dicomdir/pydicom-dicomdirtests/DICOMDIR";

    // PS3.18 Table I.2-2, and the code Conduit's conformance statement adds under §I.2.2 (docs/dicomweb.md).
    private const int StudyInstanceUidMismatch = 0xC409;
    private const int SopClassNotSupported = 0x0122;
    private const int DataSetDoesNotMatchSopClass = 0xA900;
    private const int CannotUnderstand = 0xC000;

    /// <summary>The CT file without its Study Instance UID: readable DICOM whose data set lacks a Type 1 attribute.</summary>
    private static byte[] WithoutStudyUid()
    {
        var file = DicomFile.Open(Samples.Get(CtFile).FullPath);
        file.Dataset.Remove(DicomTags.StudyInstanceUID);
        using var stream = new MemoryStream();
        file.WriteTo(stream);
        return stream.ToArray();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> StowAsync(string path, HttpContent content)
    {
        using var response = await Http.PostAsync(path, content);
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    [Fact]
    public async Task Each_kind_of_refused_part_gets_the_PS3_18_Table_I_2_2_failure_reason_and_the_rest_is_stored_with_202()
    {
        var body = StowBody([Bytes(CtFile), WithoutStudyUid(), Bytes(DicomDir), "not DICOM"u8.ToArray()]);
        var octets = new ByteArrayContent([1, 2, 3]);
        octets.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Add(octets);

        var (status, response) = await StowAsync("/dicomweb/studies", body);

        // PS3.18 Table 10.5.3-1: 202 (Accepted), some Instances stored, failures for others.
        Assert.Equal(HttpStatusCode.Accepted, status);
        var failed = Items(response, "00081198");
        Assert.Equal(4, failed.Count);
        // Table I.2-2: A9xx "Error: Data Set does not match SOP Class" (a Type 1 UID is missing), with the SOP
        // Instance Reference Macro (PS3.3 Table 10-11) since the instance could be read.
        Assert.Equal(DataSetDoesNotMatchSopClass, Value(failed[0], "00081197")!.Value.GetInt32());
        Assert.Equal(Header(CtFile).GetString(DicomTags.SOPInstanceUID), Text(failed[0], "00081155"));
        Assert.Equal(Header(CtFile).GetString(DicomTags.SOPClassUID), Text(failed[0], "00081150"));
        // Table I.2-2: 0122 "Referenced SOP Class not supported" for a Media Storage Directory (not a storage class).
        Assert.Equal(SopClassNotSupported, Value(failed[1], "00081197")!.Value.GetInt32());
        Assert.Equal("1.2.840.10008.1.3.10", Text(failed[1], "00081150"));
        // Table I.2-2: Cxxx "Error: Cannot understand" for a part that is not DICOM, whatever its declared type.
        Assert.Equal(CannotUnderstand, Value(failed[2], "00081197")!.Value.GetInt32());
        Assert.Equal(CannotUnderstand, Value(failed[3], "00081197")!.Value.GetInt32());
        // The Failure Reason's VR is US (PS3.6 (0008,1197)).
        Assert.Equal("US", failed[0].GetProperty("00081197").GetProperty("vr").GetString());
    }

    [Fact]
    public async Task A_stored_instance_is_referenced_with_its_retrieve_urls_and_no_warning_reason()
    {
        var study = Header(CtFile).GetString(DicomTags.StudyInstanceUID);
        var series = Header(CtFile).GetString(DicomTags.SeriesInstanceUID);
        var sop = Header(CtFile).GetString(DicomTags.SOPInstanceUID);

        var (status, response) = await StowAsync("/dicomweb/studies", StowBody([Bytes(CtFile)]));

        // PS3.18 Table 10.5.3-1: 200 (OK), all Instances stored. Table I.1-1: Retrieve URL (Type 2, VR UR) of the
        // study; Failed SOP Sequence (Type 1C) absent since nothing failed.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"{Host.BaseAddress.AbsoluteUri}dicomweb/studies/{study}", Text(response, "00081190"));
        Assert.Equal("UR", response.GetProperty("00081190").GetProperty("vr").GetString());
        Assert.False(response.TryGetProperty("00081198", out _));
        var item = Assert.Single(Items(response, "00081199"));
        Assert.Equal(sop, Text(item, "00081155"));
        Assert.Equal($"{Host.BaseAddress.AbsoluteUri}dicomweb/studies/{study}/series/{series}/instances/{sop}", Text(item, "00081190"));
        // Warning Reason (0008,1196) is Type 1C, required only with a warning: Conduit stores the instance unchanged.
        Assert.False(item.TryGetProperty("00081196", out _));

        using var wado = await Http.GetAsync(new Uri(Text(item, "00081190")!));
        Assert.Equal(HttpStatusCode.OK, wado.StatusCode);
    }

    [Fact]
    public async Task A_request_that_stores_nothing_is_409_with_an_empty_retrieve_url_and_each_failure()
    {
        var otherStudy = "1.2.3.4.5.6.7.8.9";

        var (status, response) = await StowAsync($"/dicomweb/studies/{otherStudy}", StowBody([Bytes(CtFile)]));

        // PS3.18 Table 10.5.3-1: 409 (Conflict), no Instance stored, e.g. a Study Instance UID mismatch. Table I.2-2
        // has no code of its own for that; §I.2.2 lets the conformance statement define one: 0xC409 (docs/dicomweb.md).
        // The Retrieve URL (Type 2) names the study of the request.
        Assert.Equal(HttpStatusCode.Conflict, status);
        var failed = Assert.Single(Items(response, "00081198"));
        Assert.Equal(StudyInstanceUidMismatch, Value(failed, "00081197")!.Value.GetInt32());
        Assert.Equal(Header(CtFile).GetString(DicomTags.SOPInstanceUID), Text(failed, "00081155"));
        Assert.EndsWith($"/dicomweb/studies/{otherStudy}", Text(response, "00081190"));
        Assert.False(response.TryGetProperty("00081199", out _));

        var (nothingStatus, nothing) = await StowAsync("/dicomweb/studies", StowBody(["not DICOM"u8.ToArray()]));
        Assert.Equal(HttpStatusCode.Conflict, nothingStatus);
        // Type 2: present, without a value, when no study can be named.
        Assert.True(nothing.TryGetProperty("00081190", out var emptyUrl));
        Assert.False(emptyUrl.TryGetProperty("Value", out _));
    }

    [Fact]
    public async Task A_client_that_accepts_only_xml_responses_gets_406_and_nothing_is_stored()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = StowBody([Bytes(CtFile)]) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+xml"));

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        using var qido = await Http.GetAsync($"/dicomweb/studies?StudyInstanceUID={Header(CtFile).GetString(DicomTags.StudyInstanceUID)}");
        Assert.Equal("[]", (await qido.Content.ReadAsStringAsync()).Trim());
    }
}
