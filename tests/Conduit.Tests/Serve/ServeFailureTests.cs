using System.Globalization;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Serve.Support;
using Conduit.Tests.Support;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// Issue 4, "must show" 2: what <c>conduit serve</c> does when things go wrong — a step that fails or overruns its
/// timeout, a destination that is down, and a <c>kill -9</c> in the middle of a job with an instance arriving while
/// Conduit is down.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeFailureTests(ServePeers peers) : IDisposable
{
    private readonly ServeSite _site = new(peers.Podman.SocketPath,
        // Short waits between delivery attempts, and a circuit that does not stay open for a minute.
        "destinations:\n  backoff: 500ms\n  max_backoff: 2s\n  circuit_breaker_cooldown: 1s\n");
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
              - name: archive
                type: folder
                path: {delivered}
            """);
        await _site.StartAsync();
        var series = SyntheticSeries.Write(_site.Sub("series"), new SeriesSpec("CT", "Chest") { Count = 5 });

        await _site.SendAsync(series);
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
        var series = SyntheticSeries.Write(_site.Sub("series"), new SeriesSpec("CT", "Chest") { Count = 3 });

        await _site.SendAsync(series);
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
        var (exitCode, listed) = await peers.Podman.RunPodmanAsync("ps", "-a", "-q", "--filter", "label=conduit.job=" + Id(job));
        Assert.Equal(0, exitCode);
        Assert.Equal("", listed.Trim());
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
        var series = SyntheticSeries.Write(_site.Sub("series"), new SeriesSpec("CT", "Chest") { Count = 5 });
        await _site.SendAsync(series);

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

    [Fact]
    public async Task Kill_9_in_the_middle_of_a_job_and_a_restart_finish_the_job_and_an_instance_sent_meanwhile_is_not_lost()
    {
        var gate = Path.Combine(_site.Directory, "gate");
        var pids = Path.Combine(_site.Directory, "step-pids");
        var delivered = _site.Sub("delivered");
        // The step records its pid and waits for the gate file: the job is reliably "in the middle" until the test says.
        _site.WriteFlow("gated.yaml", $$"""
            name: gated
            triggers:
              - Modality: CT
            steps:
              - name: wait-for-gate
                type: process
                program: /bin/sh
                args:
                  - -c
                  - |
                    echo $$ >> '{{pids}}'
                    while [ ! -e '{{gate}}' ]; do sleep 0.1; done
                    cp -r "$CONDUIT_INPUT_DIR"/. "$CONDUIT_OUTPUT_DIR"/
            destinations:
              - name: archive
                type: folder
                path: {{delivered}}
            """);
        var first = await _site.StartAsync();
        var series = SyntheticSeries.Write(_site.Sub("series"), new SeriesSpec("CT", "Chest") { Count = 10 });
        await _site.SendAsync(series);
        var job = await _site.Api.WaitForJobAsync(series.StudyInstanceUid);
        await _site.Api.WaitForRunningStepAsync(Id(job), "wait-for-gate");

        await first.KillHardAsync();
        KillOrphanedSteps(pids); // a crash of the host takes its children with it; here they would outlive Conduit

        // While Conduit is down, a sender keeps trying (as a modality does) until the port answers again.
        var late = SyntheticSeries.Write(_site.Sub("late"), new SeriesSpec("CT", "Late") { Count = 1 });
        var refused = await _site.StoreScuAsync(late.Directory);
        Assert.NotEqual(0, refused.ExitCode);
        var sender = RetryUntilStoredAsync(late.Directory);
        File.WriteAllText(gate, "");
        await _site.StartAsync();
        var storeRun = await sender;
        Assert.True(storeRun.ExitCode == 0, storeRun.Output);

        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);
        Assert.True(Status(Job(details)) == "sent", $"job: {details}\n{_site.Output}");
        Assert.Equal(2, (int)Job(details)["attempts"]!);
        Assert.Equal("finished", Status(Assert.Single(Steps(details))));
        var lateDetails = await _site.Api.WaitForEndedJobAsync(late.StudyInstanceUid);
        Assert.True(Status(Job(lateDetails)) == "sent", $"job: {lateDetails}\n{_site.Output}");
        Assert.NotNull(await _site.Api.SeriesAsync(late.SeriesInstanceUid));

        var inFolder = Directory.EnumerateFiles(delivered, "*.dcm", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(series.SopInstanceUids.Concat(late.SopInstanceUids).Order(StringComparer.Ordinal), inFolder.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Kill_9_while_a_study_waits_for_its_required_series_keeps_the_open_batch_and_completes_it_after_the_restart()
    {
        var delivered = _site.Sub("delivered");
        // The batch can only close early once both series are there; the long quiet time keeps it open across the crash.
        _site.WriteFlow("study.yaml", $"""
            name: ct-and-mr
            scope: study
            triggers:
              - Modality: CT|MR
            required_series:
              - Modality: CT
              - Modality: MR
            completion:
              quiet_time: 120s
            destinations:
              - name: archive
                type: folder
                path: {delivered}
            """);
        var first = await _site.StartAsync();
        // The CT announces its own size; a study batch must not take that for the study's.
        var ct = SyntheticSeries.Write(_site.Sub("ct"), new SeriesSpec("CT", "Chest") { Count = 3, AnnouncesCount = true });
        var mr = SyntheticSeries.Write(_site.Sub("mr"), new SeriesSpec("MR", "T1") { Count = 6, StudyInstanceUid = ct.StudyInstanceUid });
        await _site.SendAsync(ct);
        await _site.Api.WaitUntilAsync(async () => await _site.Api.SeriesAsync(ct.SeriesInstanceUid) is not null, "the CT series in the store");
        Assert.Empty(await _site.Api.JobsAsync(ct.StudyInstanceUid));

        await first.KillHardAsync();
        await _site.StartAsync();
        await _site.SendAsync(mr);

        var details = await _site.Api.WaitForEndedJobAsync(ct.StudyInstanceUid);
        Assert.True(Status(Job(details)) == "sent", $"job: {details}\n{_site.Output}");
        var inFolder = Directory.EnumerateFiles(delivered, "*.dcm", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(ct.SopInstanceUids.Concat(mr.SopInstanceUids).Order(StringComparer.Ordinal), inFolder.Order(StringComparer.Ordinal));
        Assert.Single(await _site.Api.JobsAsync(ct.StudyInstanceUid));
    }

    /// <summary>storescu every 200 ms until it succeeds (at most a minute); returns the successful run, or the last.</summary>
    private async Task<ProcessRun> RetryUntilStoredAsync(string folder)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var run = await _site.StoreScuAsync(folder);
            if (run.ExitCode == 0 || DateTime.UtcNow > deadline) return run;
            await Task.Delay(200);
        }
    }

    private static void KillOrphanedSteps(string pidFile)
    {
        foreach (var line in File.ReadAllLines(pidFile))
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) Signals.Send(pid, 9);
    }

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Dispose();
        _site.Dispose();
    }
}
