using System.Text.Json.Nodes;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Orchestration;
using Conduit.Pipeline.Steps;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Flows;
using Conduit.Pipeline.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Pipeline.Tests.Orchestration;

/// <summary>A flow's step graph run with real processes (/bin/sh) and a real job store.</summary>
public sealed class StepGraphRunnerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>
    /// A process step that runs <paramref name="script"/> with <c>$MEET</c> set to a folder the test shares with it.
    /// </summary>
    private static string Step(string name, string script, string meet, string? needs = null) => $"""
          - name: {name}
            type: process
            program: /bin/sh
            args: ["-c", "{script}"]
            env: {"{"}MEET: "{meet}"{"}"}
        {(needs is null ? "" : $"    needs: [{needs}]\n")}
        """;

    /// <summary>Waits (at most 20 s) for a file another step creates; exits 3 when it never comes.</summary>
    private static string WaitFor(string file) =>
        $"i=0; while [ ! -f $MEET/{file} ]; do sleep 0.05; i=$((i+1)); if [ $i -gt 400 ]; then exit 3; fi; done";

    [Fact]
    public async Task Independent_branches_run_at_the_same_time_and_the_step_that_needs_both_gets_both_outputs_and_params()
    {
        // a and b each wait for the other to have started: run one after the other, the first would give up and fail.
        await using var site = await GraphSite.CreateAsync();
        var flow = FlowText.Valid("steps:\n"
            + Step("a", $"touch $MEET/a-started; {WaitFor("b-started")}; echo A > $CONDUIT_OUTPUT_DIR/a.txt; echo '{{\\\"from_a\\\": 1}}' > $CONDUIT_OUTPUT_DIR/conduit-params.json", site.Meet)
            + Step("b", $"touch $MEET/b-started; {WaitFor("a-started")}; echo B > $CONDUIT_OUTPUT_DIR/b.txt; echo '{{\\\"from_b\\\": 2}}' > $CONDUIT_OUTPUT_DIR/conduit-params.json", site.Meet)
            + Step("c", "cat $CONDUIT_INPUT_DIR/a.txt $CONDUIT_INPUT_DIR/b.txt > $CONDUIT_OUTPUT_DIR/c.txt; cp $CONDUIT_PARAMS_FILE $CONDUIT_OUTPUT_DIR/seen.json", site.Meet, "a, b"));
        var job = await site.CreateJobAsync(["a", "b", "c"]);

        var failure = await site.Runner.RunAsync(job, flow, [], new Dictionary<string, string>(), None);

        Assert.Null(failure);
        var output = site.Layout.CreateStepDirectories(job.Id, "c").Output;
        Assert.Equal("A\nB\n", File.ReadAllText(Path.Combine(output, "c.txt")));
        var seen = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "seen.json")))!["params"]!;
        Assert.Equal((1, 2), (seen["from_a"]!.GetValue<int>(), seen["from_b"]!.GetValue<int>()));
        var steps = (await site.Jobs.GetDetailsAsync(job.Id, None))!.Steps;
        Assert.All(steps, s => Assert.Equal(StepStatus.Finished, s.Status));
    }

    [Fact]
    public async Task A_failing_branch_stops_the_running_sibling_and_the_steps_after_it_never_start()
    {
        await using var site = await GraphSite.CreateAsync();
        var flow = FlowText.Valid("steps:\n"
            + Step("a", $"{WaitFor("b-started")}; echo broken >&2; exit 4", site.Meet)
            + Step("b", "touch $MEET/b-started; sleep 60; touch $MEET/b-finished", site.Meet)
            + Step("c", "touch $MEET/c-ran", site.Meet, "a, b"));
        var job = await site.CreateJobAsync(["a", "b", "c"]);

        var failure = await site.Runner.RunAsync(job, flow, [], new Dictionary<string, string>(), None);

        Assert.StartsWith("step 'a' failed:", failure);
        var steps = (await site.Jobs.GetDetailsAsync(job.Id, None))!.Steps.ToDictionary(s => s.Name);
        Assert.Equal(StepStatus.Failed, steps["a"].Status);
        Assert.Equal(StepStatus.Failed, steps["b"].Status);
        Assert.StartsWith("cancelled: step 'a' failed:", steps["b"].Error);
        Assert.Equal(StepStatus.Pending, steps["c"].Status);
        Assert.False(File.Exists(Path.Combine(site.Meet, "b-finished")));
        Assert.False(File.Exists(Path.Combine(site.Meet, "c-ran")));
    }

    [Fact]
    public async Task A_step_whose_input_cannot_be_staged_is_recorded_as_failed_with_the_reason_and_the_job_fails()
    {
        await using var site = await GraphSite.CreateAsync();
        var flow = FlowText.Valid("steps:\n"
            + Step("a", "touch $MEET/a-ran", site.Meet)
            + Step("b", "touch $MEET/b-ran", site.Meet, "a"));
        var job = await site.CreateJobAsync(["a", "b"]);
        var vanished = Path.Combine(site.Meet, "gone", "1.2.3.dcm"); // the instance file was removed behind the store's back

        var failure = await site.Runner.RunAsync(job, flow, [vanished], new Dictionary<string, string>(), None);

        Assert.StartsWith("step 'a' could not run:", failure);
        var steps = (await site.Jobs.GetDetailsAsync(job.Id, None))!.Steps.ToDictionary(s => s.Name);
        Assert.Equal(StepStatus.Failed, steps["a"].Status);
        Assert.Equal(failure, steps["a"].Error);
        Assert.Equal(StepStatus.Pending, steps["b"].Status);
        Assert.False(File.Exists(Path.Combine(site.Meet, "a-ran")));
    }

    /// <summary>A job store, a data folder and a runner with the process step runner.</summary>
    private sealed class GraphSite : IAsyncDisposable
    {
        private readonly TempDirectory _directory = new();
        private StoreFixture _store = null!;

        public string Meet => _directory.Combine("meet");

        public LocalFileLayout Layout { get; private set; } = null!;

        public SqlJobRepository Jobs { get; private set; } = null!;

        public StepGraphRunner Runner { get; private set; } = null!;

        public static async Task<GraphSite> CreateAsync()
        {
            var site = new GraphSite();
            site._store = await StoreFixture.CreateAsync(systemClock: true);
            Directory.CreateDirectory(site.Meet);
            site.Layout = new LocalFileLayout(site._directory.Combine("data"));
            site.Jobs = new SqlJobRepository(site._store.Database);
            site.Runner = new StepGraphRunner(site.Jobs, site.Layout, [new ProcessStepRunner()],
                new JobRunnerSettings(TimeSpan.FromMinutes(1), site._directory.Path), NullLogger.Instance);
            return site;
        }

        public async Task<JobRecord> CreateJobAsync(IReadOnlyList<string> steps)
        {
            var job = await Jobs.CreateAsync(new NewJob("x", "1", 0, null, null, steps, []), None);
            return await Jobs.TransitionAsync(job.Id, JobStatus.Running, null, None);
        }

        public async ValueTask DisposeAsync()
        {
            await _store.DisposeAsync();
            _directory.Dispose();
        }
    }
}
