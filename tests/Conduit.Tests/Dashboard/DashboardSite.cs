using Conduit.Tests.Serve.Support;

namespace Conduit.Tests.Dashboard;

/// <summary>
/// One <c>conduit serve</c> shared by the dashboard's API and browser tests (starting one costs seconds on a busy
/// machine). Each scenario picks its flow by the series description it sends: <c>Live</c> runs a process step that
/// prints <see cref="StepLine"/> and delivers to a folder; <c>Gate</c> fails until the test creates
/// <see cref="GateFile"/>; <c>Slow</c> sleeps (for cancel) after writing its shell's pid to <see cref="SlowPidFile"/>.
/// No container engine is needed: every step is a local program.
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

    /// <summary>The user the browser signs in as; null while the server needs no sign-in.</summary>
    internal (string User, string Password)? Credentials { get; private set; }

    private int _series;

    /// <summary>Writes a small CT series whose description picks the flow, in a folder of its own.</summary>
    internal SyntheticSeries NewSeries(string description, int count = 5) =>
        SyntheticSeries.Write(_site.Sub($"series-{Interlocked.Increment(ref _series)}"), new SeriesSpec("CT", description) { Count = count });

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

    public async Task InitializeAsync() => await _site.StartAsync();

    public Task DisposeAsync()
    {
        _site.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(DashboardSite.Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardSite>;
