using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conduit.Tests.Serve.Support;
using Conduit.Tests.Support;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// Issue 5, "Must show" 2 (last clause): a flow with a DICOMweb destination delivers into a real Orthanc's STOW-RS
/// endpoint (its DICOMweb plugin, <c>/dicom-web/studies</c>) with Orthanc's HTTP authentication on: a series storescu
/// sends to <c>conduit serve</c>, and the output of a flow fed by that same Orthanc pushing to Conduit by STOW-RS (Conduit
/// configured as one of its DICOMweb servers). Also: the destination down at first (retried, then delivered once) and
/// wrong credentials (a configuration error: failed at once, with the 401 in the attempt record).
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeDicomWebDestinationTests(ServePeers peers) : IDisposable
{
    private const string PasswordVariable = "ORTHANC_PW";

    private readonly ServeSite _site = new(peers.Podman.SocketPath, ServeSite.QuickRetries, environment: new Dictionary<string, string> { [PasswordVariable] = peers.OrthancPassword });
    private readonly List<IDisposable> _peers = [];

    private static string WebDestination(string name, string url, string auth, string extra = "") => $"""
          - name: {name}
            type: dicomweb
            url: {url}
            auth: {auth}
        {extra}
        """;

    [Fact]
    public async Task A_series_from_storescu_reaches_Orthancs_STOW_RS_endpoint_and_wrong_credentials_fail_at_once_with_the_401()
    {
        var orthanc = peers.Orthanc;
        var good = $"{{basic: {{username: {ServePeers.OrthancUser}, password_env: {PasswordVariable}}}}}";
        var wrong = $"{{basic: {{username: {ServePeers.OrthancUser}, password: not-the-password}}}}";
        _site.WriteFlow("web.yaml", $"""
            name: to-orthanc-web
            triggers:
              - SeriesDescription: DICOMweb delivery
            destinations:
            {WebDestination("orthanc-web", orthanc.DicomWebUrl, good, "    max_instances: 4")}
            """);
        _site.WriteFlow("web-wrong.yaml", $"""
            name: to-orthanc-web-wrong-password
            triggers:
              - SeriesDescription: DICOMweb delivery
            destinations:
            {WebDestination("orthanc-web-wrong", orthanc.DicomWebUrl, wrong)}
            """);
        await _site.StartAsync();

        var series = await _site.SendSeriesAsync(new SeriesSpec("CT", "DICOMweb delivery") { Count = 10 });

        IReadOnlyList<JsonObject> jobs = [];
        await _site.Api.WaitUntilAsync(async () =>
        {
            jobs = await _site.Api.JobsAsync(series.StudyInstanceUid);
            return jobs.Count == 2 && jobs.All(j => Status(j) is "sent" or "failed");
        }, "both jobs of the series ended");
        var delivered = await _site.Api.JobAsync(Id(jobs.Single(j => (string)j["flowName"]! == "to-orthanc-web")));
        var refused = await _site.Api.JobAsync(Id(jobs.Single(j => (string)j["flowName"]! == "to-orthanc-web-wrong-password")));

        Assert.True(Status(Job(delivered)) == "sent", $"job: {delivered}\n{_site.Output}");
        var destination = Assert.Single(Destinations(delivered));
        Assert.Equal(("orthanc-web", "sent", 1), (Name(destination), Status(destination), (int)destination["attempts"]!));
        // Every instance is in Orthanc (three STOW-RS requests of at most 4), and each reached it exactly once.
        var atOrthanc = await orthanc.ListSopInstanceUidsAsync();
        Assert.Empty(series.SopInstanceUids.Except(atOrthanc));
        var received = orthanc.ReceivedCounts();
        Assert.All(series.SopInstanceUids, uid => Assert.Equal(1, received.GetValueOrDefault(uid)));

        // Wrong credentials: a configuration error, failed at the first attempt (retrying would only repeat the 401
        // and may lock the account), with the reason in the job's destination record.
        Assert.Equal("failed", Status(Job(refused)));
        var wrongDestination = Assert.Single(Destinations(refused));
        Assert.Equal(("orthanc-web-wrong", "failed", 1), (Name(wrongDestination), Status(wrongDestination), (int)wrongDestination["attempts"]!));
        var error = (string)wrongDestination["lastError"]!;
        Assert.Contains($"HTTP 401 Unauthorized from {orthanc.DicomWebUrl}/studies: the server refused basic auth as user '{ServePeers.OrthancUser}'", error);
        Assert.Contains("A configuration error, not retried", error);
        Assert.DoesNotContain("not-the-password", _site.Output);
    }

    [Fact]
    public async Task A_DICOMweb_destination_that_is_down_at_first_gets_every_instance_exactly_once_when_it_comes_up()
    {
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/dicom-web";
        var password = Guid.NewGuid().ToString("N");
        _site.WriteFlow("late.yaml", $"""
            name: late-dicomweb
            triggers:
              - SeriesDescription: late DICOMweb
            destinations:
            {WebDestination("late-web", url, $"{{type: basic, username: {ServePeers.OrthancUser}, password: {password}}}", "    retries: 20\n    backoff: 500ms\n    max_instances: 2")}
            """);
        await _site.StartAsync();
        var series = await _site.SendSeriesAsync(new SeriesSpec("CT", "late DICOMweb") { Count = 5 });

        // Failed attempts recorded with the reason: the destination is being retried, not given up.
        var job = await _site.Api.WaitForJobAsync(series.StudyInstanceUid);
        await _site.Api.WaitUntilAsync(async () =>
        {
            var destination = Assert.Single(Destinations(await _site.Api.JobAsync(Id(job))));
            return (int)destination["attempts"]! >= 2 && destination["lastError"] is not null;
        }, "two failed delivery attempts");
        var waiting = Assert.Single(Destinations(await _site.Api.JobAsync(Id(job))));
        Assert.Contains($"cannot send to {url}/studies", (string)waiting["lastError"]!);
        Assert.Contains("Connection refused", (string)waiting["lastError"]!);

        var orthanc = await OrthancServer.StartAsync(ServePeers.DicomWebOrthanc(password, httpPort: port));
        _peers.Add(orthanc);

        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);
        Assert.True(Status(Job(details)) == "sent", $"job: {details}\n{_site.Output}\n{orthanc.Output}");
        var destination = Assert.Single(Destinations(details));
        Assert.Equal("sent", Status(destination));
        Assert.True((int)destination["attempts"]! >= 3, $"destination: {destination}");
        Assert.Equal(series.SopInstanceUids.Order(StringComparer.Ordinal), (await orthanc.ListSopInstanceUidsAsync()).Order(StringComparer.Ordinal));
        // Nothing duplicated: Orthanc received each instance once (its Lua filter sees duplicates too).
        Assert.Equal(series.SopInstanceUids.ToDictionary(uid => uid, _ => 1), orthanc.ReceivedCounts());
    }

    [Fact]
    public async Task Orthanc_pushes_a_study_by_STOW_RS_and_the_flows_output_goes_back_into_that_Orthancs_STOW_RS_endpoint()
    {
        var orthanc = peers.Orthanc;
        var auth = $"{{basic: {{username: {ServePeers.OrthancUser}, password_env: {PasswordVariable}}}}}";
        const string Braces = "{}"; // find -exec's placeholder
        // The step's output is new instances (new Series and SOP Instance UIDs), so what comes back is told apart from
        // what Orthanc sent.
        _site.WriteFlow("round-trip.yaml", $"""
            name: orthanc-round-trip
            triggers:
              - SeriesDescription: Orthanc round trip
            steps:
              - name: new-uids
                type: process
                program: /bin/sh
                args:
                  - -c
                  - |
                    cp -r "$CONDUIT_INPUT_DIR"/. "$CONDUIT_OUTPUT_DIR"/
                    find "$CONDUIT_OUTPUT_DIR" -type f -name '*.dcm' -exec dcmodify -nb -gse -gin -m "SeriesDescription=Orthanc round trip output" {Braces} +
                timeout: 60s
            destinations:
            {WebDestination("back-to-orthanc", orthanc.DicomWebUrl, auth)}
            """);
        await _site.StartAsync();
        var series = SyntheticSeries.Write(_site.Sub("series"), new SeriesSpec("CT", "Orthanc round trip") { Count = 4 });
        var uploaded = new JsonArray();
        foreach (var file in series.Files) uploaded.Add(await orthanc.UploadAsync(file));

        // Orthanc's DICOMweb plugin, with Conduit as one of its DICOMweb servers, pushes the instances by STOW-RS.
        var server = "conduit-" + Guid.NewGuid().ToString("N");
        using (var define = await orthanc.Http.PutAsync($"dicom-web/servers/{server}",
            JsonContent.Create(new JsonObject { ["Url"] = $"http://127.0.0.1:{_site.HttpPort.ToString(CultureInfo.InvariantCulture)}/dicomweb/" })))
            Assert.True(define.IsSuccessStatusCode, await define.Content.ReadAsStringAsync());
        using (var push = await orthanc.Http.PostAsync($"dicom-web/servers/{server}/stow", JsonContent.Create(new JsonObject { ["Resources"] = uploaded })))
            Assert.True(push.IsSuccessStatusCode, $"Orthanc's STOW-RS to conduit serve: {push.StatusCode} {await push.Content.ReadAsStringAsync()}\n{_site.Output}");

        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);
        Assert.True(Status(Job(details)) == "sent", $"job: {details}\n{_site.Output}");
        Assert.Equal("sent", Status(Assert.Single(Destinations(details))));

        // Orthanc now holds its own instances and the step's output: as many new instances, each received once.
        using var found = await orthanc.Http.PostAsync("tools/find", JsonContent.Create(new JsonObject
        {
            ["Level"] = "Instance", ["Expand"] = true, ["Query"] = new JsonObject { ["StudyInstanceUID"] = series.StudyInstanceUid },
        }));
        var inStudy = (await found.Content.ReadFromJsonAsync<JsonArray>())!.Select(i => (string)i!["MainDicomTags"]!["SOPInstanceUID"]!).ToList();
        var output = inStudy.Except(series.SopInstanceUids).ToList();
        Assert.Equal(series.SopInstanceUids.Count, output.Count);
        Assert.Empty(series.SopInstanceUids.Except(inStudy));
        var received = orthanc.ReceivedCounts();
        Assert.All(output, uid => Assert.Equal(1, received.GetValueOrDefault(uid)));
    }

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Dispose();
        _site.Dispose();
    }
}
