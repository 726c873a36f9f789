using Conduit.Tests.Cli;
using Conduit.Tests.Serve.Support;
using Conduit.Tests.Support;

namespace Conduit.Tests.Dashboard;

/// <summary>
/// One <c>conduit serve</c> shared by the dashboard's API and browser tests (starting one costs seconds on a busy
/// machine). Each scenario picks its flow by the series description it sends: <c>Live</c> runs a process step that
/// prints <see cref="StepLine"/> and delivers to a folder; <c>Gate</c> fails until the test creates
/// <see cref="GateFile"/>; <c>Slow</c> sleeps (for cancel) after writing its shell's pid to <see cref="SlowPidFile"/>.
/// No container engine is needed: every step is a local program. An operator user exists (so sign-in is enforced, as
/// in any real installation): the browser signs in as it, the API tests use an operator token.
/// </summary>
public sealed class DashboardSite : IAsyncLifetime
{
    public const string Name = "dashboard";
    public const string StepLine = "dashboard step says hello";

    private readonly ServeSite _site;

    public DashboardSite()
    {
        _site = new ServeSite(Path.Combine(Path.GetTempPath(), "conduit-dashboard-no-engine.sock"), """
            workers:
              concurrency: 4
            """);
        Delivered = _site.Sub("delivered");
        GateFile = Path.Combine(_site.Sub("gate"), "open");
        SlowPidFile = Path.Combine(_site.Sub("slow"), "pid");
        WriteFlow("live", "Live", $"""echo "{StepLine}"; cp -r "$CONDUIT_INPUT_DIR"/. "$CONDUIT_OUTPUT_DIR"/""");
        WriteFlow("gate", "Gate", $$"""test -f '{{GateFile}}' || { echo "gate file missing"; exit 4; }; echo "gate open"; cp -r "$CONDUIT_INPUT_DIR"/. "$CONDUIT_OUTPUT_DIR"/""");
        WriteFlow("slow", "Slow", $"""echo $$ > '{SlowPidFile}'; echo "slow step started"; sleep 300""");
    }

    internal ServeSite Site => _site;

    internal ServeApi Api => _site.Api;

    public Uri BaseUri => new($"http://127.0.0.1:{_site.HttpPort}/");

    public string Delivered { get; }

    public string GateFile { get; }

    public string SlowPidFile { get; }

    /// <summary>The operator the browser signs in as.</summary>
    internal (string User, string Password) Credentials { get; } = ("olga", "dashboard-test-password");

    /// <summary>An operator API token, for the API tests (sent as <c>Authorization: Bearer</c>).</summary>
    internal string Token { get; private set; } = "";

    private int _series;
    private Task<(string Study, IReadOnlyList<string> Jobs)>? _threeJobStudy;

    /// <summary>Writes a small CT series whose description picks the flow, in a folder of its own.</summary>
    internal SyntheticSeries NewSeries(string description, int count = 5) =>
        SyntheticSeries.Write(_site.Sub($"series-{Interlocked.Increment(ref _series)}"), new SeriesSpec("CT", description) { Count = count });

    /// <summary>
    /// A study of three single-instance Live series, so three jobs of their own (for the paging tests): made once for
    /// every test that asks, waited for until its three jobs exist. Returns the study and its job ids, newest first.
    /// </summary>
    internal Task<(string Study, IReadOnlyList<string> Jobs)> ThreeJobStudyAsync() => _threeJobStudy ??= MakeThreeJobStudyAsync();

    private async Task<(string Study, IReadOnlyList<string> Jobs)> MakeThreeJobStudyAsync()
    {
        var study = SyntheticSeries.NewUid();
        for (var i = 0; i < 3; i++)
        {
            await _site.SendAsync(SyntheticSeries.Write(_site.Sub($"series-{Interlocked.Increment(ref _series)}"),
                new SeriesSpec("CT", "Live") { Count = 1, StudyInstanceUid = study }));
        }
        IReadOnlyList<string> jobs = [];
        await Api.WaitUntilAsync(async () => (jobs = [.. (await Api.JobsAsync(study)).Select(ServeApi.Id)]).Count == 3, $"three jobs of study {study}");
        return (study, jobs);
    }

    /// <summary>dcmtk's echoscu to the receiver as <paramref name="callingAe"/>: a Verification-only association (PS3.4 Annex A).</summary>
    internal async Task EchoAsync(string callingAe)
    {
        var run = await DcmtkTools.RunAsync("echoscu", "-aet", callingAe, "-aec", "CONDUIT", "127.0.0.1",
            _site.ReceiverPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(run.ExitCode == 0, $"echoscu failed:\n{run.Output}\n{_site.Output}");
    }

    private void WriteFlow(string name, string description, string script) => _site.WriteFlow($"{name}.yaml", $"""
        name: {name}
        version: "1"
        triggers:
          - Modality: CT
            SeriesDescription: "^{description}$"
        steps:
          - name: {name}-step
            type: process
            program: /bin/sh
            args:
              - -c
              - |
                {script}
            timeout: 5m
        destinations:
          - name: {name}-folder
            type: folder
            path: {Path.Combine(Delivered, name)}
        """);

    public async Task InitializeAsync()
    {
        await ConduitAsync(Credentials.Password + "\n", "user", "add", Credentials.User, "--role", "operator", "--password-stdin");
        Token = (await ConduitAsync(null, "token", "create", "--name", "dashboard-tests", "--role", "operator")).Trim();
        await _site.StartAsync();
        _site.Api.UseBearerToken(Token);
    }

    /// <summary>An HTTP client of the API signed in with the operator token.</summary>
    internal HttpClient ApiClient()
    {
        var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    /// <summary>Runs the real <c>conduit</c> CLI in the site's folder (same database as serve); returns its stdout.</summary>
    private async Task<string> ConduitAsync(string? standardInput, params string[] args)
    {
        var run = await ProcessRunner.RunAsync("dotnet", [ConduitProcess.AssemblyPath, .. args], ConduitProcess.DefaultTimeout,
            workingDirectory: _site.Directory, standardInput: standardInput);
        Assert.True(run.ExitCode == 0, run.Output);
        return run.Stdout;
    }

    public Task DisposeAsync()
    {
        _site.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(DashboardSite.Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardSite>;
