using Conduit.Dicom;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Serve.Support;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// Issue 4, "must show" 1: dcmtk's storescu sends a CT series to <c>conduit serve</c>; the flow its Modality
/// triggers runs a podman container step, then a local process step that reads the parameters the container wrote;
/// the result reaches an Orthanc and a folder, and the job's API record shows every step and destination done.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServePipelineTests(ServePeers peers) : IDisposable
{
    private readonly ServeSite _site = new(peers.Podman.SocketPath);

    [Fact]
    public async Task A_ct_series_runs_a_container_step_then_a_process_step_and_reaches_orthanc_and_a_folder()
    {
        var folder = _site.Sub("delivered");
        // The container copies its input and adds a parameter; the process step fails (exit 3) unless it reads that
        // parameter from its conduit-params.json, and echoes it into its log.
        _site.WriteFlow("ct.yaml", $$"""
            name: ct-pipeline
            version: "1"
            priority: 2
            triggers:
              - Modality: CT
            params:
              site: serve-test
            steps:
              - name: segment
                type: container
                image: {{PodmanService.BusyboxImage}}
                pull: never
                command: ["sh", "-c", "cp -r /input/. /output/ && echo '{\"organ\": \"liver\", \"slices\": 20}' > /output/conduit-params.json"]
                timeout: 60s
              - name: report
                type: process
                program: /bin/sh
                args:
                  - -c
                  - |
                    grep -q '"organ": *"liver"' "$CONDUIT_PARAMS_FILE" || exit 3
                    echo "organ from params: liver"
                    cp -r "$CONDUIT_INPUT_DIR"/. "$CONDUIT_OUTPUT_DIR"/
                timeout: 30s
            destinations:
            {{peers.OrthancDestination()}}
              - name: archive
                type: folder
                path: {{folder}}
            """);
        await _site.StartAsync();
        var series = SyntheticSeries.Write(_site.Sub("series"), new SeriesSpec("CT", "Chest"));

        await _site.SendAsync(series);
        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);

        var job = Job(details);
        Assert.True(Status(job) == "sent", $"job: {details}\n{_site.Output}");
        Assert.Equal("ct-pipeline", (string)job["flowName"]!);
        AssertTimed(job);
        var steps = Steps(details);
        Assert.Equal(new[] { "segment", "report" }, steps.Select(Name));
        foreach (var step in steps)
        {
            Assert.Equal("finished", Status(step));
            Assert.Equal(0, (int)step["exitCode"]!);
            AssertTimed(step);
        }
        Assert.True(Time(steps[0], "endedAt") <= Time(steps[1], "startedAt"), $"the process step started before the container ended: {details}");
        Assert.Contains("organ from params: liver", (string?)steps[1]["logTail"]);
        var destinations = Destinations(details);
        Assert.Equal(new[] { "archive", "orthanc" }, destinations.Select(Name).Order(StringComparer.Ordinal));
        var events = details["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        foreach (var destination in destinations)
        {
            Assert.Equal("sent", Status(destination));
            // A destination's record carries when it was sent; when its sending began is in the job's event history.
            var began = events.Where(e => (string?)e["entity"] == "destination" && (string?)e["name"] == Name(destination) && Status(e, "toStatus") == "sending")
                .Select(e => Time(e, "at")).Min();
            Assert.True(began is not null && began <= Time(destination, "sentAt"), $"no start before the send of {Name(destination)}: {details}");
        }

        var atOrthanc = await peers.Orthanc.ListSopInstanceUidsAsync();
        Assert.Empty(series.SopInstanceUids.Except(atOrthanc));
        var inFolder = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => DicomFile.Open(f, DicomReadOptions.HeaderOnly).Dataset.GetString(DicomTags.SOPInstanceUID)).ToList();
        Assert.Equal(series.SopInstanceUids.Order(StringComparer.Ordinal), inFolder.Order(StringComparer.Ordinal));
    }

    private static void AssertTimed(System.Text.Json.Nodes.JsonNode record)
    {
        var started = Time(record, "startedAt");
        var ended = Time(record, "endedAt");
        Assert.True(started is not null && ended is not null && started <= ended, $"start/end times missing or reversed: {record}");
    }

    public void Dispose() => _site.Dispose();
}
