using System.Text;
using Conduit.Pipeline.Destinations;
using Conduit.Pipeline.Destinations.DicomWeb;

namespace Conduit.Pipeline.Tests.Destinations.DicomWeb;

/// <summary>Reading a Store Instances Response (PS3.18 Annex I) and what each answer means per instance (PS3.18 §10.5.3).</summary>
public sealed class StowResponseTests
{
    private static readonly DeliveryItem[] Batch = Enumerable.Range(1, 3)
        .Select(i => new DeliveryItem($"/data/{i}.dcm", "1.2.3", "1.2.3.4", $"1.2.3.4.{i}")).ToArray();

    private const string Target = "https://pacs.example.org/dicom-web/studies";

    private static StowBatchResult Interpret(int status, string? body, string? mediaType = "application/dicom+json", string? location = null) =>
        StowAnswer.Interpret(status, mediaType, Encoding.UTF8.GetBytes(body ?? ""), Batch, Target, "basic auth as user 'conduit'", location);

    [Fact]
    public void A_response_as_PS3_18_Annex_I_shows_it_reads_into_stored_with_warnings_and_failed_with_reasons()
    {
        // PS3.18 Table I.1-1 in DICOM JSON (Annex F): Retrieve URL, Failed SOP Sequence with Failure Reason (US),
        // Referenced SOP Sequence with Retrieve URL and Warning Reason (US).
        const string json = """
            {
              "00081190": {"vr": "UR", "Value": ["https://pacs.example.org/dicom-web/studies/1.2.3"]},
              "00081198": {"vr": "SQ", "Value": [
                {"00081150": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"]},
                 "00081155": {"vr": "UI", "Value": ["1.2.3.4.3"]},
                 "00081197": {"vr": "US", "Value": [49442]}}
              ]},
              "00081199": {"vr": "SQ", "Value": [
                {"00081150": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"]},
                 "00081155": {"vr": "UI", "Value": ["1.2.3.4.1"]},
                 "00081190": {"vr": "UR", "Value": ["https://pacs.example.org/dicom-web/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.1"]}},
                {"00081150": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"]},
                 "00081155": {"vr": "UI", "Value": ["1.2.3.4.2"]},
                 "00081196": {"vr": "US", "Value": [45056]}}
              ]}
            }
            """;

        var response = StowResponse.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal("https://pacs.example.org/dicom-web/studies/1.2.3", response.RetrieveUrl);
        Assert.Equal([new StowInstance("1.2.3.4.1", StowJson.CtImageStorage, null), new StowInstance("1.2.3.4.2", StowJson.CtImageStorage, 0xB000)], response.Stored);
        Assert.Equal([new StowInstance("1.2.3.4.3", StowJson.CtImageStorage, 0xC122)], response.Failed);
    }

    [Fact]
    public void A_response_wrapped_in_an_array_of_one_is_read_too_and_anything_else_is_a_clear_error()
    {
        var wrapped = StowResponse.Parse(Encoding.UTF8.GetBytes("[" + StowJson.Response([("1.2.3.4.1", null)], []) + "]"));
        Assert.Equal("1.2.3.4.1", Assert.Single(wrapped.Stored).SopInstanceUid);

        var notJson = Assert.Throws<InvalidDataException>(() => StowResponse.Parse("<NativeDicomModel/>"u8));
        Assert.StartsWith("not a Store Instances Response in DICOM JSON", notJson.Message);
        Assert.Throws<InvalidDataException>(() => StowResponse.Parse("\"stored\""u8));
    }

    [Fact]
    public void Status_200_means_every_instance_stored_even_when_the_body_lists_none()
    {
        // PS3.18 §10.5.3, Table 10.5.3-1: 200 (OK), the origin server successfully stored all Instances.
        var empty = Interpret(200, null, mediaType: null);
        var listed = Interpret(200, StowJson.Response([("1.2.3.4.1", null), ("1.2.3.4.2", null), ("1.2.3.4.3", 0xB006)], []));

        Assert.All(empty.Outcomes.Concat(listed.Outcomes), o => Assert.True(o.Acknowledged));
        Assert.Equal(Batch, empty.Outcomes.Select(o => o.Item));
        Assert.False(empty.DestinationLevel);
    }

    [Fact]
    public void Status_202_gives_each_instance_its_own_fate_from_the_failed_and_referenced_sequences()
    {
        // PS3.18 Table 10.5.3-1: 202 (Accepted), some stored, warnings or failures for others; Table I.2-2 reasons.
        var result = Interpret(202, StowJson.Response([("1.2.3.4.1", 0xB000)], [("1.2.3.4.2", 0xA700), ("1.2.3.4.3", 0xA900)]));

        var (stored, outOfResources, notMatching) = (result.Outcomes[0], result.Outcomes[1], result.Outcomes[2]);
        Assert.True(stored.Acknowledged);
        Assert.False(outOfResources.Acknowledged);
        Assert.True(outOfResources.Transient);
        Assert.Contains("Failure Reason 0xA700 (refused: out of resources)", outOfResources.Error);
        Assert.False(notMatching.Acknowledged);
        Assert.False(notMatching.Transient);
        Assert.Equal($"HTTP 202 from {Target}: Failure Reason 0xA900 (data set does not match SOP Class)", notMatching.Error);
    }

    [Fact]
    public void Status_202_without_a_word_on_an_instance_sends_it_again_and_a_nameless_failure_is_given_to_the_unlisted()
    {
        var silent = Interpret(202, StowJson.Response([("1.2.3.4.1", null)], []));
        Assert.True(silent.Outcomes[0].Acknowledged);
        Assert.All(silent.Outcomes.Skip(1), o => Assert.True(o.Transient));
        Assert.Contains("listed neither as stored nor as failed", silent.Outcomes[1].Error);

        // A part the server could not read far enough to name: Failed SOP Sequence item without a SOP Instance UID.
        var nameless = Interpret(202, StowJson.Response([("1.2.3.4.1", null), ("1.2.3.4.2", null)], [(null, 0xC000)]));
        Assert.False(nameless.Outcomes[2].Acknowledged);
        Assert.False(nameless.Outcomes[2].Transient);
        Assert.Contains("0xC000 (cannot understand)", nameless.Outcomes[2].Error);
    }

    [Fact]
    public void Status_409_stores_nothing_and_is_permanent_except_for_an_out_of_resources_reason()
    {
        // PS3.18 Table 10.5.3-1: 409 (Conflict), unable to store any Instances (e.g. unsupported SOP Class).
        var result = Interpret(409, StowJson.Response([], [("1.2.3.4.1", 0x0122), ("1.2.3.4.2", 0xA7FF)]));

        Assert.All(result.Outcomes, o => Assert.False(o.Acknowledged));
        Assert.Contains("0x0122 (SOP Class not supported)", result.Outcomes[0].Error);
        Assert.False(result.Outcomes[0].Transient);
        Assert.True(result.Outcomes[1].Transient);
        Assert.False(result.Outcomes[2].Transient);
        Assert.Equal($"HTTP 409 Conflict from {Target}: no instance stored", result.Outcomes[2].Error);
    }

    [Fact]
    public void A_study_instance_uid_mismatch_0xC409_is_named_as_such_and_is_permanent()
    {
        // 0xC409: not in PS3.18 Table I.2-2; the code Conduit's STOW-RS (and dcm4chee-arc) gives an instance of
        // another study than the request URL names (§I.2.2 allows such codes). Sending it again cannot help.
        var result = Interpret(409, StowJson.Response([], [("1.2.3.4.1", 0xC409)]));

        Assert.Contains("0xC409 (Study Instance UID is not the study of the request)", result.Outcomes[0].Error);
        Assert.False(result.Outcomes[0].Transient);
    }

    [Fact]
    public void Status_400_with_a_response_stores_nothing_either_and_is_permanent()
    {
        // PS3.18 Table 10.5.3-1: 400 (Bad Request), unable to store any Instances due to bad syntax.
        var result = Interpret(400, StowJson.Response([], [("1.2.3.4.1", 0xC000)]));

        Assert.All(result.Outcomes, o => Assert.False(o.Acknowledged || o.Transient));
        Assert.Contains("0xC000 (cannot understand)", result.Outcomes[0].Error);
        Assert.Equal($"HTTP 400 Bad Request from {Target}: no instance stored", result.Outcomes[1].Error);
    }

    [Fact]
    public void Unauthorized_is_a_permanent_configuration_error_for_the_whole_destination()
    {
        var result = Interpret(401, "Unauthorized", "text/plain");

        Assert.True(result.DestinationLevel);
        Assert.All(result.Outcomes, o => Assert.False(o.Transient || o.Acknowledged));
        Assert.StartsWith($"HTTP 401 Unauthorized from {Target}: the server refused basic auth as user 'conduit'. A configuration error, not retried",
            result.Outcomes[0].Error);
    }

    [Theory]
    [InlineData(500, true, false, "HTTP 500 from https://pacs.example.org/dicom-web/studies: a server error (database locked)")]
    [InlineData(503, true, true, "HTTP 503 from https://pacs.example.org/dicom-web/studies: a server error (database locked)")]
    [InlineData(429, true, true, "HTTP 429 from https://pacs.example.org/dicom-web/studies: the server is busy or timed out (database locked)")]
    [InlineData(403, false, true, "HTTP 403 Forbidden from https://pacs.example.org/dicom-web/studies: basic auth as user 'conduit' may not store instances there. A configuration error, not retried")]
    [InlineData(404, false, true, "HTTP 404 from https://pacs.example.org/dicom-web/studies: no STOW-RS service there; 'url' must be the DICOMweb base URL (Conduit posts to <url>/studies)")]
    [InlineData(413, false, false, "HTTP 413 Payload Too Large from https://pacs.example.org/dicom-web/studies: 3 instance(s) in one request are over the server's limit; lower max_request_size or max_instances")]
    [InlineData(400, false, false, "HTTP 400 Bad Request from https://pacs.example.org/dicom-web/studies: no instance stored (database locked)")]
    [InlineData(308, false, true, "HTTP 308 redirect from https://pacs.example.org/dicom-web/studies to https://new.example.org/dicom-web/studies: set 'url' to the new address (a POST is not redirected: it could lose its body or credentials)")]
    public void Other_statuses_are_transient_or_permanent_by_what_they_say(int status, bool transient, bool destinationLevel, string error)
    {
        var result = Interpret(status, "database\nlocked", "text/plain", "https://new.example.org/dicom-web/studies");

        Assert.Equal(destinationLevel, result.DestinationLevel);
        Assert.All(result.Outcomes, o => Assert.Equal((false, transient, error), (o.Acknowledged, o.Transient, o.Error)));
    }
}
