using Conduit.Pipeline.Steps;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Steps;

public sealed class ProcessStepRunnerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);

    private static ProcessStepSpec Shell(string script, TimeSpan? timeout = null) =>
        new("report", "/bin/sh", timeout ?? Generous) { Arguments = ["-c", script] };

    [Fact]
    public async Task A_program_finds_its_folders_and_params_through_the_environment_and_adds_params()
    {
        using var folders = new StepFolders();
        File.WriteAllText(Path.Combine(folders.Input, "a.dcm"), "dicom");
        Directory.CreateDirectory(Path.Combine(folders.Output, "left-by-a-crashed-attempt"));
        var spec = Shell("""
            cp "$CONDUIT_INPUT_DIR/a.dcm" "$CONDUIT_OUTPUT_DIR/" &&
            grep -q '"threshold": 0.5' "$CONDUIT_PARAMS_FILE" &&
            echo "job=$CONDUIT_JOB_ID step=$CONDUIT_STEP custom=$CUSTOM cwd=$(pwd)" &&
            printf '{"verdict": "ok"}' > "$CONDUIT_OUTPUT_DIR/conduit-params.json"
            """) with { Environment = new Dictionary<string, string> { ["CUSTOM"] = "42" } };

        var result = await new ProcessStepRunner().RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error + "\n" + result.Log);
        Assert.Equal("dicom", File.ReadAllText(Path.Combine(folders.Output, "a.dcm")));
        Assert.False(Directory.Exists(Path.Combine(folders.Output, "left-by-a-crashed-attempt")));
        Assert.Equal($"job={folders.JobId} step=report custom=42 cwd={folders.Output}\n", result.Log);
        Assert.Equal("ok", result.Params!["verdict"]!.GetValue<string>());
        Assert.Equal("v1", result.Params["model"]!.GetValue<string>());
        Assert.Equal(Path.Combine(folders.Input, StepParamsFile.FileName), Path.Combine(folders.Input, "conduit-params.json"));
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_exit_code_and_both_output_streams()
    {
        using var folders = new StepFolders();

        var result = await new ProcessStepRunner().RunAsync(Shell("echo out; echo err >&2; exit 7"), folders.Context(), CancellationToken.None);

        Assert.Equal((StepOutcome.Failed, 7), (result.Outcome, result.ExitCode));
        Assert.Contains("out\n", result.Log);
        Assert.Contains("err\n", result.Log);
        Assert.Equal("Exited with code 7.", result.Error);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_tree()
    {
        using var folders = new StepFolders();
        var pidFile = Path.Combine(folders.Output, "child.pid");
        // The shell starts a child that would outlive it, records the child's pid, then waits.
        var spec = Shell($"sleep 300 & echo $! > '{pidFile}'; echo started; wait", TimeSpan.FromSeconds(2));

        var result = await new ProcessStepRunner().RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.Equal(StepOutcome.TimedOut, result.Outcome);
        Assert.Contains("started", result.Log);
        var childPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(IsAlive(childPid), $"child {childPid} survived the timeout");
    }

    [Fact]
    public async Task A_program_that_does_not_exist_fails_with_a_clear_error()
    {
        using var folders = new StepFolders();
        var spec = new ProcessStepSpec("x", "/nonexistent/conduit-step", Generous);

        var result = await new ProcessStepRunner().RunAsync(spec, folders.Context(), CancellationToken.None);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.StartsWith("Could not start '/nonexistent/conduit-step'", result.Error);
        Assert.Null(result.ExitCode);
    }

    [Fact]
    public async Task An_unreadable_output_params_file_fails_the_step()
    {
        using var folders = new StepFolders();

        var result = await new ProcessStepRunner().RunAsync(
            Shell("echo '[1, 2' > \"$CONDUIT_OUTPUT_DIR/conduit-params.json\""), folders.Context(), CancellationToken.None);

        Assert.Equal((StepOutcome.Failed, 0), (result.Outcome, result.ExitCode));
        Assert.Contains("not valid JSON", result.Error);
    }

    [Fact]
    public async Task Cancelling_stops_the_program()
    {
        using var folders = new StepFolders();
        var pidFile = Path.Combine(folders.Output, "pid");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ProcessStepRunner().RunAsync(
            Shell($"echo $$ > '{pidFile}'; sleep 300"), folders.Context(), cancel.Token));

        Assert.False(IsAlive(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_program_left_running_by_a_killed_Conduit_is_killed_when_its_step_runs_again()
    {
        using var folders = new StepFolders();
        using var markers = new TempDirectory();
        using var leftover = StartSleeper();
        try
        {
            // What the runner had written before Conduit was SIGKILLed mid-step.
            var marker = new ProcessMarker(markers.Path);
            marker.Started(folders.JobId, "report", marker.Begin(folders.JobId, "report"), leftover.Id);

            var result = await new ProcessStepRunner(markerDirectory: markers.Path).RunAsync(Shell("echo again"), folders.Context(), CancellationToken.None);

            Assert.True(result.Succeeded, result.Error);
            Assert.True(leftover.WaitForExit(TimeSpan.FromSeconds(10)), "the leftover program is still running");
            Assert.Empty(Directory.GetFiles(markers.Path)); // the marker of the finished run is gone too
        }
        finally
        {
            if (!leftover.HasExited)
            {
                leftover.Kill();
            }
        }
    }

    [Fact]
    public async Task A_program_started_just_before_Conduit_was_killed_and_before_its_pid_was_marked_is_killed_when_its_step_runs_again()
    {
        using var folders = new StepFolders();
        using var markers = new TempDirectory();
        using var pids = new TempDirectory();
        var pidFile = pids.Combine("pid");
        // Conduit "dies" right after the program started, before the marker names its pid.
        var dying = new ProcessStepRunner(markerDirectory: markers.Path) { AfterStart = _ => throw new SimulatedKill() };
        await Assert.ThrowsAsync<SimulatedKill>(() => dying.RunAsync(
            Shell($"echo $$ > '{pidFile}.tmp' && mv '{pidFile}.tmp' '{pidFile}'; sleep 300"), folders.Context(), CancellationToken.None));
        var deadline = DateTime.UtcNow + Generous;
        while (!File.Exists(pidFile) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var orphan = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Assert.True(IsAlive(orphan));

            var result = await new ProcessStepRunner(markerDirectory: markers.Path).RunAsync(Shell("echo again"), folders.Context(), CancellationToken.None);

            Assert.True(result.Succeeded, result.Error);
            Assert.False(IsAlive(orphan), $"the program {orphan} the killed run started is still running");
            Assert.Empty(Directory.GetFiles(markers.Path));
        }
        finally
        {
            if (IsAlive(orphan))
            {
                using var process = System.Diagnostics.Process.GetProcessById(orphan);
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_marker_whose_pid_now_belongs_to_another_process_kills_nothing()
    {
        using var folders = new StepFolders();
        using var markers = new TempDirectory();
        using var unrelated = StartSleeper();
        try
        {
            // Same pid, another start time: the pid was reused by an unrelated process after a reboot.
            File.WriteAllText(Path.Combine(markers.Path, $"{folders.JobId}.report.pid"), $"{unrelated.Id} 1\n");

            var result = await new ProcessStepRunner(markerDirectory: markers.Path).RunAsync(Shell("true"), folders.Context(), CancellationToken.None);

            Assert.True(result.Succeeded, result.Error);
            Assert.False(unrelated.HasExited);
        }
        finally
        {
            if (!unrelated.HasExited)
            {
                unrelated.Kill();
            }
        }
    }

    private static System.Diagnostics.Process StartSleeper()
    {
        var start = new System.Diagnostics.ProcessStartInfo("sleep") { ArgumentList = { "300" }, UseShellExecute = false };
        return System.Diagnostics.Process.Start(start)!;
    }

    /// <summary>A pid that is gone, or a zombie waiting for a parent that was itself killed, is not alive.</summary>
    private static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return false;
        }
        try
        {
            return !File.ReadLines(status).Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains('Z'));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Thrown by a test's hook to stand for Conduit being killed at that point.</summary>
    private sealed class SimulatedKill : Exception;
}
