using Conduit.Tests.Serve.Support;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// Issue 4, "must show" 3: with one worker busy, jobs queue up; when it frees, priority-5 jobs start before
/// priority-0 jobs that were queued earlier (then, within a priority, the oldest first).
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServePriorityTests(ServePeers peers) : IDisposable
{
    private readonly ServeSite _site = new(peers.Podman.SocketPath, "workers:\n  concurrency: 1\n");

    [Fact]
    public async Task With_one_worker_priority_5_jobs_start_before_priority_0_jobs_queued_earlier()
    {
        var gate = Path.Combine(_site.Directory, "gate");
        // The blocker holds the only worker until the test opens the gate, so every other job has to wait in the queue.
        _site.WriteFlow("blocker.yaml", $"""
            name: blocker
            priority: 3
            triggers:
              - SeriesDescription: blocker
            steps:
              - name: hold
                type: process
                program: /bin/sh
                args: ["-c", "while [ ! -e '{gate}' ]; do sleep 0.1; done"]
            """);
        _site.WriteFlow("routine.yaml", Flow("routine", 0));
        _site.WriteFlow("urgent.yaml", Flow("urgent", 5));
        await _site.StartAsync();

        var blocker = SyntheticSeries.Write(_site.Sub("blocker"), new SeriesSpec("CT", "blocker") { Count = 1 });
        await _site.SendAsync(blocker);
        var blockerJob = await _site.Api.WaitForJobAsync(blocker.StudyInstanceUid);
        await _site.Api.WaitForRunningStepAsync(Id(blockerJob), "hold");

        var routine = await SendAndQueueAsync("routine", 2);
        var urgent = await SendAndQueueAsync("urgent", 2);
        File.WriteAllText(gate, "");

        var routineJobs = await EndedAsync(routine);
        var urgentJobs = await EndedAsync(urgent);
        Assert.All(routineJobs.Concat(urgentJobs), j => Assert.True(Status(Job(j)) == "sent", $"job: {j}\n{_site.Output}"));
        var routineQueued = routineJobs.Max(j => Time(Job(j), "createdAt"));
        var urgentQueued = urgentJobs.Min(j => Time(Job(j), "createdAt"));
        Assert.True(routineQueued < urgentQueued, "the priority-0 jobs were not queued first");
        var urgentLastStart = urgentJobs.Max(j => Time(Job(j), "startedAt"));
        var routineFirstStart = routineJobs.Min(j => Time(Job(j), "startedAt"));
        Assert.True(urgentLastStart < routineFirstStart,
            $"a priority-0 job started at {routineFirstStart:O}, before the last priority-5 job at {urgentLastStart:O}\n{_site.Output}");
        // One worker: the blocker ended before any of them started.
        var blockerEnded = Time(Job(await _site.Api.JobAsync(Id(blockerJob))), "endedAt");
        Assert.True(blockerEnded <= urgentJobs.Min(j => Time(Job(j), "startedAt")), "a job started while the only worker was busy");
    }

    private static string Flow(string description, int priority) => $"""
        name: {description}
        priority: {priority}
        triggers:
          - SeriesDescription: {description}
        steps:
          - name: work
            type: process
            program: /bin/true
        """;

    /// <summary>Sends <paramref name="count"/> series (one study each) and waits until each has a pending job.</summary>
    private async Task<IReadOnlyList<SyntheticSeries>> SendAndQueueAsync(string description, int count)
    {
        var sent = new List<SyntheticSeries>();
        for (var i = 0; i < count; i++)
        {
            var series = SyntheticSeries.Write(_site.Sub($"{description}-{i}"), new SeriesSpec("CT", description) { Count = 2 });
            await _site.SendAsync(series);
            sent.Add(series);
        }
        foreach (var series in sent)
            Assert.Equal("pending", Status(await _site.Api.WaitForJobAsync(series.StudyInstanceUid)));
        return sent;
    }

    private async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> EndedAsync(IEnumerable<SyntheticSeries> series)
    {
        var ended = new List<System.Text.Json.Nodes.JsonObject>();
        foreach (var s in series) ended.Add(await _site.Api.WaitForEndedJobAsync(s.StudyInstanceUid));
        return ended;
    }

    public void Dispose() => _site.Dispose();
}
