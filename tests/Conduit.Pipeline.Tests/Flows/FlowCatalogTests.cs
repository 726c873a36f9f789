using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Flows;

/// <summary>The catalog loads a folder, follows edits through the file watcher, and keeps the last good version of a flow whose file turns invalid.</summary>
public sealed class FlowCatalogTests : IDisposable
{
    // Generous: only a guard against a hang, never a measure of speed.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();
    private readonly FlowCatalog _catalog;

    public FlowCatalogTests()
    {
        _catalog = new FlowCatalog(_dir.Path, debounce: TimeSpan.FromMilliseconds(50));
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }

    private const string CtFlow = "name: ct\npriority: 2\ntriggers:\n  - Modality: CT\n";

    /// <summary>Waits for reloads until <paramref name="condition"/> holds (a write may be seen in more than one reload).</summary>
    private async Task<FlowCatalogSnapshot> WaitUntil(Func<FlowCatalogSnapshot, bool> condition)
    {
        using var cts = new CancellationTokenSource(Guard);
        var snapshot = _catalog.Current;
        while (!condition(snapshot)) snapshot = await _catalog.WaitForVersionAfterAsync(snapshot.Version, cts.Token);
        return snapshot;
    }

    [Fact]
    public void Start_loads_every_flow_file_of_the_folder_and_reports_invalid_ones()
    {
        _dir.Write("ct.yaml", CtFlow);
        _dir.Write("mr.yml", "name: mr\ntriggers:\n  - Modality: MR\n");
        _dir.Write("broken.yaml", "name: broken\npriority: 9\n");
        _dir.Write("notes.txt", "not a flow");

        _catalog.Start();

        var snapshot = _catalog.Current;
        Assert.Equal(["ct", "mr"], snapshot.Flows.Select(f => f.Name));
        var error = Assert.Single(snapshot.Errors);
        Assert.EndsWith("broken.yaml", error.Path, StringComparison.Ordinal);
        Assert.False(error.LastGoodActive);
        Assert.Equal(2, Assert.Single(error.Errors).Location.Line);
    }

    [Fact]
    public async Task An_invalid_edit_is_reported_and_the_last_good_version_stays_active_until_the_file_is_fixed()
    {
        var path = _dir.Write("ct.yaml", CtFlow);
        _catalog.Start();
        Assert.Equal(2, _catalog.Current.Find("ct")!.Priority);

        File.WriteAllText(path, "name: ct\npriority: 2\ntriggers:\n  - Modality: CT\nsteps:\n  - name: x\n    type: container\n    image: b\n    timeout: 10 minutes\n");
        // A reload may catch the file half-written (another error); wait for the one the complete file gives.
        var broken = await WaitUntil(s => s.Errors.Any(e => e.Errors.Any(x => x.Path == "steps[0].timeout")));

        var status = Assert.Single(broken.Errors);
        Assert.True(status.LastGoodActive);
        Assert.Contains("ct.yaml:9:5: steps[0].timeout: '10 minutes' is not a duration", status.Errors.Single().ToString(), StringComparison.Ordinal);
        var active = broken.Find("ct")!;
        Assert.Empty(active.Steps); // the last good version, not a half-read new one

        File.WriteAllText(path, CtFlow.Replace("priority: 2", "priority: 4", StringComparison.Ordinal));
        var fixedSnapshot = await WaitUntil(s => s.Errors.Count == 0 && s.Find("ct")?.Priority == 4);
        Assert.Single(fixedSnapshot.Flows);
    }

    [Fact]
    public async Task A_new_file_adds_a_flow_and_a_deleted_file_removes_it()
    {
        _dir.Write("ct.yaml", CtFlow);
        _catalog.Start();

        var mr = _dir.Write("mr.yaml", "name: mr\ntriggers:\n  - Modality: MR\n");
        await WaitUntil(s => s.Find("mr") is not null);

        File.Delete(mr);
        var after = await WaitUntil(s => s.Find("mr") is null);
        Assert.Equal(["ct"], after.Flows.Select(f => f.Name));
    }

    [Fact]
    public void A_second_file_with_a_flow_name_already_used_is_reported_and_ignored()
    {
        _dir.Write("a.yaml", CtFlow);
        _dir.Write("b.yaml", CtFlow.Replace("priority: 2", "priority: 5", StringComparison.Ordinal));

        _catalog.Start();

        Assert.Equal(2, Assert.Single(_catalog.Current.Flows).Priority);
        var error = Assert.Single(_catalog.Current.Errors);
        Assert.EndsWith("b.yaml", error.Path, StringComparison.Ordinal);
        Assert.Contains("flow name 'ct' is already used by", error.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_gives_an_empty_catalog_rather_than_an_exception()
    {
        using var catalog = new FlowCatalog(Path.Combine(_dir.Path, "nope"));
        catalog.Start();

        Assert.Empty(catalog.Current.Flows);
        Assert.Empty(catalog.Current.Errors);
    }

    [Fact]
    public void The_repository_flows_folder_loads_without_errors()
    {
        using var catalog = new FlowCatalog(Path.Combine(RepositoryRoot.Path, "flows"));
        catalog.Start();

        Assert.Empty(catalog.Current.Errors.SelectMany(e => e.Errors));
        Assert.Contains(catalog.Current.Flows, f => f.Name == "store-all" && f.Triggers.Maps.Count == 0 && f.Destinations.Count == 1);
        Assert.Contains(catalog.Current.Flows, f => f.Steps.Any(s => s.Kind == Conduit.Pipeline.Flows.Model.StepKind.Container));
    }
}
