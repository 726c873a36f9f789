using System.Text.Json.Nodes;
using PullPolicy = Conduit.Pipeline.Flows.Model.PullPolicy;
using Conduit.Pipeline.Steps;
using Conduit.Pipeline.Steps.Containers;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Steps;

/// <summary>Container steps against a real podman engine (see <see cref="PodmanService"/>).</summary>
[Collection(PodmanCollection.Name)]
public sealed class ContainerStepRunnerTests(PodmanService podman)
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private ContainerStepRunner Runner => new(podman.Client);

    private static ContainerStepSpec Shell(string script, TimeSpan? timeout = null) =>
        new("step-1", PodmanService.BusyboxImage, timeout ?? Generous) { Command = ["/bin/sh", "-c", script], PullPolicy = PullPolicy.Never };

    [Fact]
    public async Task A_container_copies_input_to_output_and_its_params_reach_later_steps()
    {
        using var folders = new StepFolders();
        File.WriteAllBytes(Path.Combine(folders.Input, "ct-1.dcm"), [1, 2, 3, 4]);
        var spec = Shell("""
            cp /input/ct-1.dcm /output/ &&
            cat "$CONDUIT_PARAMS_FILE" &&
            echo "dirs $CONDUIT_INPUT_DIR $CONDUIT_OUTPUT_DIR job=$CONDUIT_JOB_ID step=$CONDUIT_STEP custom=$CUSTOM" &&
            echo '{"params": {"found": 3, "model": "v2"}}' > /output/conduit-params.json
            """) with { Environment = new Dictionary<string, string> { ["CUSTOM"] = "yes" } };

        var result = await Runner.RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error + "\n" + result.Log);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(Path.Combine(folders.Output, "ct-1.dcm")));
        Assert.Contains($"dirs /input /output job={folders.JobId} step=step-1 custom=yes", result.Log);
        Assert.Contains("\"Modality\": \"CT\"", result.Log); // the container read /input/conduit-params.json
        Assert.Equal(0.5, result.Params!["threshold"]!.GetValue<double>());
        Assert.Equal(3, result.Params["found"]!.GetValue<int>());
        Assert.Equal("v2", result.Params["model"]!.GetValue<string>());
        Assert.True(result.EndedAt >= result.StartedAt);
        await AssertRemovedAsync(folders.JobId);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_the_step_with_its_log_and_exit_code()
    {
        using var folders = new StepFolders();

        var result = await Runner.RunAsync(Shell("echo starting; echo 'model file missing' >&2; exit 3"), folders.Context(), CancellationToken.None);

        Assert.Equal((StepOutcome.Failed, 3), (result.Outcome, result.ExitCode));
        Assert.Contains("starting", result.Log);
        Assert.Contains("model file missing", result.Log);
        Assert.Contains("code 3", result.Error);
        Assert.Null(result.Params);
        await AssertRemovedAsync(folders.JobId);
    }

    [Fact]
    public async Task A_container_that_runs_past_its_timeout_is_killed_and_reported_timed_out()
    {
        using var folders = new StepFolders();

        var result = await Runner.RunAsync(Shell("echo before-sleep; sleep 300", TimeSpan.FromSeconds(3)), folders.Context(), CancellationToken.None);

        Assert.Equal(StepOutcome.TimedOut, result.Outcome);
        Assert.True(result.TimedOut);
        Assert.Equal(137, result.ExitCode); // 128 + SIGKILL
        Assert.Contains("before-sleep", result.Log);
        Assert.Contains("Timed out", result.Error);
        Assert.True(result.EndedAt - result.StartedAt < TimeSpan.FromSeconds(300));
        await AssertRemovedAsync(folders.JobId);
    }

    [Fact]
    public async Task The_network_is_off_unless_the_step_asks_for_it()
    {
        using var folders = new StepFolders();

        var result = await Runner.RunAsync(Shell("ls /sys/class/net"), folders.Context(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error + "\n" + result.Log);
        Assert.Equal(["lo"], result.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_input_folder_is_read_only_inside_the_container()
    {
        using var folders = new StepFolders();

        var result = await Runner.RunAsync(Shell("touch /input/written-by-step"), folders.Context(), CancellationToken.None);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Contains("Read-only file system", result.Log);
        Assert.False(File.Exists(Path.Combine(folders.Input, "written-by-step")));
    }

    [Fact]
    public async Task Static_mounts_are_read_only_and_a_non_root_user_can_write_the_output()
    {
        using var folders = new StepFolders();
        using var models = new TempDirectory();
        File.WriteAllText(Path.Combine(models.Path, "weights.txt"), "w=1");
        var spec = Shell("cat /models/weights.txt && echo && id -u && echo out > /output/by-user && (touch /models/x 2>/dev/null && echo WRITABLE || echo readonly)")
            with { StaticMounts = [new StaticMount(models.Path, "/models")], User = "1000:1000" };

        var result = await Runner.RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error + "\n" + result.Log);
        Assert.Equal(["w=1", "1000", "readonly"], result.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("out\n", File.ReadAllText(Path.Combine(folders.Output, "by-user")));
    }

    [Fact]
    public async Task Memory_and_cpu_limits_are_accepted_by_the_engine()
    {
        using var folders = new StepFolders();
        var spec = Shell("echo limited") with { MemoryBytes = 64 * 1024 * 1024, Cpus = 0.5 };

        var result = await Runner.RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error + "\n" + result.Log);
        Assert.Contains("limited", result.Log);
    }

    [Fact]
    public async Task A_missing_image_with_pull_policy_never_fails_with_a_clear_error()
    {
        using var folders = new StepFolders();
        var spec = new ContainerStepSpec("step-1", "localhost/conduit-no-such-image:1", Generous) { PullPolicy = PullPolicy.Never };

        var result = await Runner.RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Contains("localhost/conduit-no-such-image:1 is not present", result.Error);
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_fails_with_the_engine_s_reason()
    {
        using var folders = new StepFolders();
        var spec = new ContainerStepSpec("step-1", "localhost/conduit-no-such-image:1", Generous) { PullPolicy = PullPolicy.Missing };

        var result = await Runner.RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.StartsWith("Pulling image localhost/conduit-no-such-image:1 failed:", result.Error);
    }

    [Fact]
    public async Task Pull_policy_try_runs_the_local_image_when_the_pull_fails()
    {
        // No registry answers on this machine, so pulling the local-only test image fails; 'try' must fall back to it.
        using var folders = new StepFolders();
        var spec = Shell("echo ran-local") with { PullPolicy = PullPolicy.Try };

        var result = await Runner.RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error + "\n" + result.Log);
        Assert.Contains("ran-local", result.Log);
    }

    [Fact]
    public async Task Pull_policy_always_fails_when_the_pull_fails_even_with_a_local_image()
    {
        using var folders = new StepFolders();
        var spec = Shell("echo should-not-run") with { PullPolicy = PullPolicy.Always };

        var result = await Runner.RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.StartsWith($"Pulling image {PodmanService.BusyboxImage} failed", result.Error);
    }

    [Fact]
    public async Task Cancelling_a_running_step_stops_and_removes_its_container()
    {
        using var folders = new StepFolders();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner.RunAsync(Shell("sleep 300"), folders.Context(), cancel.Token));

        await AssertRemovedAsync(folders.JobId);
    }

    [Fact]
    public async Task A_cancel_that_lands_while_the_engine_creates_the_container_removes_that_container()
    {
        using var folders = new StepFolders();
        using var proxy = new HoldingEngineProxy(podman.SocketPath, "/containers/create");
        using var client = new DockerEngineClient(new DockerEngineOptions { SocketPath = proxy.SocketPath });
        using var cancel = new CancellationTokenSource();
        var run = new ContainerStepRunner(client).RunAsync(Shell("sleep 300"), folders.Context(), cancel.Token);
        try
        {
            await proxy.Held.WaitAsync(Generous);
            // The engine has made the container; its answer, the id, has not reached the runner: cancel now.
            Assert.NotEqual("", await ContainersOfAsync(folders.JobId));
            cancel.Cancel();
            proxy.Release();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            await AssertRemovedAsync(folders.JobId);
        }
        finally
        {
            // Whatever happened, the engine keeps no container of this test.
            proxy.Release();
            foreach (var id in (await ContainersOfAsync(folders.JobId)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await podman.Client.RemoveContainerAsync(id, CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task A_rerun_step_removes_the_container_of_the_attempt_that_died_and_starts_from_an_empty_output()
    {
        using var folders = new StepFolders();
        var leftover = await StartSleeperAsync(new Dictionary<string, string>
        {
            [ContainerStepRunner.JobLabel] = folders.JobId, [ContainerStepRunner.StepLabel] = "step-1",
        });
        File.WriteAllText(Path.Combine(folders.Output, "partial.dcm"), "half written");

        var result = await Runner.RunAsync(Shell("ls /output | wc -l"), folders.Context(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error + "\n" + result.Log);
        Assert.Equal("0", result.Log.Trim());
        Assert.DoesNotContain(leftover, (await podman.RunPodmanAsync("ps", "-a", "-q", "--no-trunc")).Output);
        await AssertRemovedAsync(folders.JobId);
    }

    [Fact]
    public async Task Orphan_clean_up_removes_this_node_s_containers_and_leaves_other_nodes_alone()
    {
        var node = "test-node-" + Guid.NewGuid().ToString("N")[..8];
        var otherNode = node + "-other";
        var mine = await StartSleeperAsync(new Dictionary<string, string> { [ContainerStepRunner.JobLabel] = "J1", [ContainerStepRunner.NodeLabel] = node });
        var theirs = await StartSleeperAsync(new Dictionary<string, string> { [ContainerStepRunner.JobLabel] = "J2", [ContainerStepRunner.NodeLabel] = otherNode });
        try
        {
            var removed = await new ContainerStepRunner(podman.Client, nodeId: node).RemoveOrphansAsync(CancellationToken.None);

            Assert.Equal(1, removed);
            var all = (await podman.RunPodmanAsync("ps", "-a", "-q", "--no-trunc")).Output;
            Assert.DoesNotContain(mine, all);
            Assert.Contains(theirs, all);
        }
        finally
        {
            await podman.Client.RemoveContainerAsync(theirs, CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_client_negotiates_the_engine_api_version()
    {
        Assert.True(await podman.Client.PingAsync(CancellationToken.None));
        Assert.True(await podman.Client.ImageExistsAsync(PodmanService.BusyboxImage, CancellationToken.None));
        Assert.Equal("1.41", podman.Client.ApiVersion); // podman 4 reports 1.41, our maximum
    }

    /// <summary>A running container as a crashed Conduit would leave it.</summary>
    private async Task<string> StartSleeperAsync(IReadOnlyDictionary<string, string> labels)
    {
        var id = await podman.Client.CreateContainerAsync(
            new ContainerCreateSpec(PodmanService.BusyboxImage) { Command = ["sleep", "300"], Labels = labels }, null, CancellationToken.None);
        await podman.Client.StartContainerAsync(id, CancellationToken.None);
        return id;
    }

    private async Task AssertRemovedAsync(string jobId) => Assert.Equal("", await ContainersOfAsync(jobId));

    /// <summary>The ids of the containers (running or not) of a job, one a line; "" when there is none.</summary>
    private async Task<string> ContainersOfAsync(string jobId)
    {
        var (exitCode, output) = await podman.RunPodmanAsync("ps", "-a", "-q", "--filter", $"label={ContainerStepRunner.JobLabel}={jobId}");
        Assert.Equal(0, exitCode);
        return output.Trim();
    }
}
