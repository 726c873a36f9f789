using System.Globalization;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Serve.Support;
using Conduit.Tests.Support;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// Issue 4, "must show" 2: what <c>conduit serve</c> does when things go wrong — a step that fails or overruns its
/// timeout, a destination that is down (crashes are in <see cref="ServeRestartTests"/>).
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeFailureTests(ServePeers peers) : IDisposable
{
    private readonly ServeSite _site = new(peers.Podman.SocketPath, ServeSite.QuickRetries);
    private readonly List<IDisposable> _peers = [];

    [Fact]
    public async Task A_step_that_exits_non_zero_fails_the_job_with_its_log_and_the_reason_and_keeps_its_input_for_a_retry()
    {
        var script = Path.Combine(_site.Directory, "analyse.sh");
        File.WriteAllText(script, "echo 'analysing'; echo 'no lungs found' >&2; exit 7\n");
        var delivered = _site.Sub("delivered");
        _site.WriteFlow("fail.yaml", $"""
            name: exits-seven
            triggers:
              - Modality: CT
            steps:
              - name: analyse
                type: process
                program: /bin/sh
                args: ["{script}"]
            destinations:
            {ServeSite.FolderDestination(delivered)}
            """);
        await _site.StartAsync();

        var series = await _site.SendSeriesAsync(new SeriesSpec("CT", "Chest") { Count = 5 });
        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);

        var job = Job(details);
        Assert.True(Status(job) == "failed", $"job: {details}\n{_site.Output}");
        Assert.Contains("analyse", (string?)job["error"]);
        var step = Assert.Single(Steps(details));
        Assert.Equal("failed", Status(step));
        Assert.Equal(7, (int)step["exitCode"]!);
        Assert.Contains("analysing", (string?)step["logTail"]);
        Assert.Contains("no lungs found", (string?)step["logTail"]);
        Assert.NotEqual("sent", Status(Assert.Single(Destinations(details))));
        Assert.Empty(Directory.EnumerateFiles(delivered, "*", SearchOption.AllDirectories));
        // A failed job keeps its inputs for inspection...
        var input = Path.Combine((string)job["workDir"]!, "steps", "analyse", "input");
        Assert.Equal(series.SopInstanceUids.Count, Directory.EnumerateFiles(input, "*.dcm", SearchOption.AllDirectories).Count());

        // ...and once the cause is fixed, a retry through the API runs it again and delivers.
        File.WriteAllText(script, "cp -r \"$CONDUIT_INPUT_DIR\"/. \"$CONDUIT_OUTPUT_DIR\"/\n");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, await _site.Api.RetryAsync(Id(job)));
        var retried = await _site.Api.WaitForJobAsync(series.StudyInstanceUid, j => Status(j) == "sent");
        Assert.Equal(2, (int)retried["attempts"]!);
        Assert.Equal(series.SopInstanceUids.Count, Directory.EnumerateFiles(delivered, "*.dcm", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public async Task A_container_step_that_exceeds_its_timeout_is_killed_and_fails_the_job_as_timed_out()
    {
        _site.WriteFlow("slow.yaml", $"""
            name: overruns
            triggers:
              - Modality: CT
            steps:
              - name: forever
                type: container
                image: {PodmanService.BusyboxImage}
                pull: never
                command: ["sh", "-c", "echo 'started work'; sleep 120"]
                timeout: 2s
            """);
        await _site.StartAsync();

        var series = await _site.SendSeriesAsync(new SeriesSpec("CT", "Chest") { Count = 3 });
        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);

        var job = Job(details);
        Assert.True(Status(job) == "failed", $"job: {details}\n{_site.Output}");
        Assert.Contains("timed out", (string?)job["error"]);
        var step = Assert.Single(Steps(details));
        Assert.Equal("failed", Status(step));
        Assert.True((bool)step["timedOut"]!, $"step: {step}");
        Assert.Contains("started work", (string?)step["logTail"]);
        var ran = Time(step, "endedAt") - Time(step, "startedAt");
        Assert.True(ran < TimeSpan.FromSeconds(60), $"the step ran {ran}, its timeout is 2 s: {step}");
        // The killed container is removed too.
        Assert.Empty(await peers.ContainersOfJobAsync(Id(job)));
    }

    [Fact]
    public async Task A_dicom_destination_that_is_down_at_first_gets_the_result_once_it_comes_up()
    {
        var port = FreePort.Next();
        _site.WriteFlow("late.yaml", $"""
            name: late-destination
            triggers:
              - Modality: CT
            destinations:
              - name: late-pacs
                type: dicom
                host: 127.0.0.1
                port: {port.ToString(CultureInfo.InvariantCulture)}
                called_ae: STORESCP
                retries: 20
                backoff: 500ms
            """);
        await _site.StartAsync();
        var series = await _site.SendSeriesAsync(new SeriesSpec("CT", "Chest") { Count = 5 });

        // Two failed attempts recorded: the destination is being retried, not given up.
        var job = await _site.Api.WaitForJobAsync(series.StudyInstanceUid);
        await _site.Api.WaitUntilAsync(async () =>
        {
            var destination = Assert.Single(Destinations(await _site.Api.JobAsync(Id(job))));
            return (int)destination["attempts"]! >= 2 && destination["lastError"] is not null;
        }, "two failed delivery attempts");
        var pacs = await StoreScpProcess.StartAsync(_site.Sub("pacs"), port: port);
        _peers.Add(pacs);

        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);
        Assert.True(Status(Job(details)) == "sent", $"job: {details}\n{_site.Output}");
        var destination = Assert.Single(Destinations(details));
        Assert.Equal("sent", Status(destination));
        Assert.True((int)destination["attempts"]! >= 3, $"destination: {destination}");
        var received = pacs.ReceivedFiles().Select(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('.', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(series.SopInstanceUids.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Dispose();
        _site.Dispose();
    }
}
