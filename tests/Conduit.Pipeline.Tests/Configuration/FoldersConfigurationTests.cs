using System.Collections;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Configuration;

/// <summary><c>folders.watch</c>: a list of maps, read with defaults, and each mistake cited at its own line.</summary>
public sealed class FoldersConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LoadedConfiguration Load(string yaml)
    {
        _dir.Write("conduit.yaml", yaml);
        return ConfigurationLoader.Load(null, new Hashtable(), _dir.Path);
    }

    [Fact]
    public void Watched_folders_are_read_with_their_defaults()
    {
        var loaded = Load("folders:\n  watch:\n    - path: ./incoming\n    - path: /srv/in\n      on_success: move\n      move_to: /srv/done\n      scan_interval: 500ms\n      settle_time: 0\n");

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        var watch = loaded.Options.Folders.Watch;
        Assert.Equal(2, watch.Count);
        Assert.Equal(("./incoming", FolderSuccessAction.Delete, WatchedFolderOptions.DefaultScanInterval, WatchedFolderOptions.DefaultSettleTime),
            (watch[0].Path, watch[0].OnSuccess, watch[0].ScanInterval, watch[0].SettleTime));
        Assert.Equal(("/srv/in", FolderSuccessAction.Move, "/srv/done", TimeSpan.FromMilliseconds(500), TimeSpan.Zero),
            (watch[1].Path, watch[1].OnSuccess, watch[1].MoveTo, watch[1].ScanInterval, watch[1].SettleTime));
    }

    [Theory]
    [InlineData("folders:\n  watch:\n    - path: ./in\n      on_success: archive\n", "conduit.yaml:4:19: folders.watch[0].on_success: 'archive' is not delete, keep or move")]
    [InlineData("folders:\n  watch:\n    - path: ./in\n      on_success: move\n", "conduit.yaml:3:7: folders.watch[0].move_to: on_success: move needs move_to (a folder path)")]
    [InlineData("folders:\n  watch:\n    - path: /srv/in\n      on_success: move\n      move_to: /srv/in/done\n", "conduit.yaml:3:7: folders.watch[0].move_to: must not be inside the watched folder (moved folders would be taken again)")]
    [InlineData("folders:\n  watch:\n    - on_success: keep\n", "conduit.yaml:3:7: folders.watch[0].path: a watched folder needs a path")]
    [InlineData("folders:\n  watch:\n    - path: ./in\n      scan_interval: soon\n", "conduit.yaml:4:22: folders.watch[0].scan_interval: 'soon' is not a duration up to 1h (e.g. 30s, 10m, 1h)")]
    [InlineData("folders:\n  watch:\n    - path: ./in\n      scan_interval: 10ms\n", "conduit.yaml:3:7: folders.watch[0].scan_interval: '10ms' is not a duration from 100ms to 1h")]
    [InlineData("folders:\n  watch:\n    - path: ./in\n      pth: x\n", "conduit.yaml:4:7: folders.watch[0].pth: unknown key 'pth' (did you mean 'path'?); a watched folder has path, on_success, move_to, scan_interval, settle_time")]
    [InlineData("folders:\n  watch:\n    - ./in\n", "conduit.yaml:3:7: folders.watch[0]: expected a map (path, on_success, move_to, scan_interval, settle_time)")]
    public void Each_mistake_is_cited_at_its_line(string yaml, string expected)
    {
        var loaded = Load(yaml);

        Assert.False(loaded.IsValid);
        var text = Assert.Single(loaded.Errors).ToString();
        Assert.Equal(expected, text[text.IndexOf("conduit.yaml", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void The_environment_cannot_set_the_list_of_maps_and_says_so()
    {
        var loaded = ConfigurationLoader.Load(null, new Hashtable { ["CONDUIT__FOLDERS__WATCH"] = "./in" }, _dir.Path);

        Assert.Contains("set it in a configuration file", Assert.Single(loaded.Errors).ToString());
    }
}
