using System.Globalization;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Serve.Support;
using Conduit.Tests.Support;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// Issue 4, "must show" 2: <c>kill -9</c> of <c>conduit serve</c> in the middle of its work, and a restart on the same
/// folder: jobs finish, open batches complete, an instance sent while it was down is not lost, and the step
/// containers of the killed run do not linger.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeRestartTests(ServePeers peers) : IDisposable
{
    private readonly ServeSite _site = new(peers.Podman.SocketPath);

    [Fact]
    public async Task Kill_9_in_the_middle_of_a_job_and_a_restart_finish_the_job_and_an_instance_sent_meanwhile_is_not_lost()
    {
        var gate = Path.Combine(_site.Directory, "gate");
        var pids = Path.Combine(_site.Directory, "step-pids");
        var delivered = _site.Sub("delivered");
        // The step records its job and pid and waits for the gate file: the job is reliably "in the middle" until the test says.
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
                    echo "$CONDUIT_JOB_ID $$" >> '{{pids}}'
                    while [ ! -e '{{gate}}' ]; do sleep 0.1; done
                    cp -r "$CONDUIT_INPUT_DIR"/. "$CONDUIT_OUTPUT_DIR"/
            destinations:
            {{ServeSite.FolderDestination(delivered)}}
            """);
        var first = await _site.StartAsync();
        var series = await _site.SendSeriesAsync(new SeriesSpec("CT", "Chest") { Count = 10 });
        var job = await _site.Api.WaitForJobAsync(series.StudyInstanceUid);
        await _site.Api.WaitForRunningStepAsync(Id(job), "wait-for-gate");
        // Killed as soon as the program runs: its marker is written before it starts, so even a kill before the marker
        // names its pid leaves it findable (ProcessMarker).
        await _site.Api.WaitUntilAsync(() => Task.FromResult(StepPids(pids, Id(job)).Count == 1), "the step's program running");

        await first.KillHardAsync();
        var orphan = StepPids(pids, Id(job)).Single(); // the step program outlives Conduit
        Assert.True(IsAlive(orphan));

        // While Conduit is down, a sender keeps trying (as a modality does) until the port answers again.
        var late = SyntheticSeries.Write(_site.Sub("late"), new SeriesSpec("CT", "Late") { Count = 1 });
        var refused = await _site.StoreScuAsync(late.Directory);
        Assert.NotEqual(0, refused.ExitCode);
        var sender = RetryUntilStoredAsync(late.Directory);
        await _site.StartAsync();
        // The re-run of the step ends what the dead attempt left running before it starts the program again.
        await _site.Api.WaitUntilAsync(() => Task.FromResult(StepPids(pids, Id(job)).Count == 2), "the step running again");
        Assert.False(IsAlive(orphan), $"the killed run's step program {orphan} is still running\n{_site.Output}");
        File.WriteAllText(gate, "");
        var storeRun = await sender;
        Assert.True(storeRun.ExitCode == 0, storeRun.Output);

        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);
        Assert.True(Status(Job(details)) == "sent", $"job: {details}\n{_site.Output}");
        Assert.Equal(2, (int)Job(details)["attempts"]!);
        Assert.Equal("finished", Status(Assert.Single(Steps(details))));
        var lateDetails = await _site.Api.WaitForEndedJobAsync(late.StudyInstanceUid);
        Assert.True(Status(Job(lateDetails)) == "sent", $"job: {lateDetails}\n{_site.Output}");
        Assert.NotNull(await _site.Api.SeriesAsync(late.SeriesInstanceUid));

        Assert.Equal(series.SopInstanceUids.Concat(late.SopInstanceUids).Order(StringComparer.Ordinal), ServeSite.DeliveredSopInstanceUids(delivered));
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
            {ServeSite.FolderDestination(delivered)}
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
        Assert.Equal(ct.SopInstanceUids.Concat(mr.SopInstanceUids).Order(StringComparer.Ordinal), ServeSite.DeliveredSopInstanceUids(delivered));
        Assert.Single(await _site.Api.JobsAsync(ct.StudyInstanceUid));
    }

    [Fact]
    public async Task Kill_9_during_a_container_step_leaves_no_container_running_after_the_restart()
    {
        _site.WriteFlow("long.yaml", $"""
            name: long-container
            triggers:
              - Modality: CT
            steps:
              - name: think
                type: container
                image: {PodmanService.BusyboxImage}
                pull: never
                command: ["sh", "-c", "sleep 300"]
                timeout: 10m
            """);
        var first = await _site.StartAsync();
        var series = await _site.SendSeriesAsync(new SeriesSpec("CT", "Chest") { Count = 2 });
        var job = await _site.Api.WaitForJobAsync(series.StudyInstanceUid);
        try
        {
            await _site.Api.WaitForRunningStepAsync(Id(job), "think");
            await _site.Api.WaitUntilAsync(async () => (await peers.ContainersOfJobAsync(Id(job))).Count > 0, "the step's container");

            await first.KillHardAsync();
            Assert.NotEmpty(await peers.ContainersOfJobAsync(Id(job))); // it outlives Conduit
            // Without its flow the job cannot run again, so nothing but start-up clean-up can remove the container.
            File.Delete(Path.Combine(_site.FlowsDirectory, "long.yaml"));
            await _site.StartAsync();

            Assert.Empty(await peers.ContainersOfJobAsync(Id(job)));
            var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);
            Assert.Equal("failed", Status(Job(details)));
            Assert.Contains("no longer loaded", (string?)Job(details)["error"]);
        }
        finally
        {
            foreach (var id in await peers.ContainersOfJobAsync(Id(job))) await peers.Podman.RunPodmanAsync("rm", "-f", id);
        }
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

    /// <summary>The pids the gated step recorded for <paramref name="jobId"/>, one per attempt.</summary>
    private static List<int> StepPids(string pidFile, string jobId) =>
        File.Exists(pidFile)
            ? File.ReadAllLines(pidFile).Select(l => l.Split(' ')).Where(p => p.Length == 2 && p[0] == jobId)
                .Select(p => int.Parse(p[1], NumberStyles.None, CultureInfo.InvariantCulture)).ToList()
            : [];

    /// <summary>Running, that is: in the process table and not a zombie waiting to be reaped.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        // A test that failed half-way may leave a gated step program waiting; it is ours to end.
        var pids = Path.Combine(_site.Directory, "step-pids");
        if (File.Exists(pids))
            foreach (var line in File.ReadAllLines(pids))
                if (line.Split(' ') is [_, var pid] && IsAlive(int.Parse(pid, NumberStyles.None, CultureInfo.InvariantCulture)))
                    Signals.Send(int.Parse(pid, NumberStyles.None, CultureInfo.InvariantCulture), 9);
        _site.Dispose();
    }
}
