using System.Net;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Serve.Support;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// An operator cancels a job while its container step runs: the container is killed and removed from podman, the step
/// is recorded failed ("cancelled"), the job ends cancelled and nothing is delivered.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeCancelTests(ServePeers peers) : IDisposable
{
    private readonly ServeSite _site = new(peers.Podman.SocketPath);

    [Fact]
    public async Task Cancelling_a_job_in_its_container_step_kills_and_removes_the_container_and_the_job_ends_cancelled()
    {
        var delivered = _site.Sub("delivered");
        _site.WriteFlow("long.yaml", $"""
            name: long
            version: "1"
            triggers:
              - Modality: CT
            steps:
              - name: think
                type: container
                image: {PodmanService.BusyboxImage}
                pull: never
                command: ["sh", "-c", "echo thinking; sleep 300"]
                timeout: 10m
            destinations:
            {ServeSite.FolderDestination(delivered)}
            """);
        await _site.StartAsync();
        var series = await _site.SendSeriesAsync(new SeriesSpec("CT", "Cancel me") { Count = 2 });
        var job = await _site.Api.WaitForJobAsync(series.StudyInstanceUid, j => Status(j) == "running");
        await _site.Api.WaitForRunningStepAsync(Id(job), "think");
        await _site.Api.WaitUntilAsync(async () => (await peers.ContainersOfJobAsync(Id(job))).Count == 1, "the step's container to exist");

        Assert.Equal(HttpStatusCode.OK, await _site.Api.CancelAsync(Id(job)));

        await _site.Api.WaitUntilAsync(async () => (await peers.ContainersOfJobAsync(Id(job))).Count == 0, "the step's container to be gone", TimeSpan.FromSeconds(60));
        await _site.Api.WaitUntilAsync(async () => Status(Steps(await _site.Api.JobAsync(Id(job))).Single()) == "failed",
            "the step recorded as failed", TimeSpan.FromSeconds(30));
        var details = await _site.Api.JobAsync(Id(job));
        Assert.Equal("cancelled", Status(Job(details)));
        Assert.Contains("cancelled", (string?)Steps(details).Single()["error"]);
        Assert.Equal("pending", Status(Destinations(details).Single()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(delivered));
    }

    public void Dispose() => _site.Dispose();
}
