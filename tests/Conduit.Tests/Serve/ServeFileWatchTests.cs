using Conduit.Tests.Serve.Support;

namespace Conduit.Tests.Serve;

/// <summary>
/// <c>conduit serve</c> keeps its data under the working directory by default (./conduit-data). Nothing may watch that
/// tree: ASP.NET's default configuration reload watched the whole working directory recursively, one inotify watch per
/// study and series folder (a per-user kernel limit) and one wake-up of a watcher thread per file received.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeFileWatchTests(ServePeers peers) : IDisposable
{
    private readonly ServeSite _site = new(peers.Podman.SocketPath);

    [Fact]
    public async Task Receiving_studies_under_the_working_directory_adds_no_inotify_watch()
    {
        // Relative: under storage.data_directory, ./conduit-data in the working directory.
        _site.WriteFlow("keep.yaml", $"""
            name: keep
            version: "1"
            triggers: []
            destinations:
            {ServeSite.FolderDestination("kept")}
            """);
        var serve = await _site.StartAsync();
        var before = InotifyWatches(serve.Pid);

        for (var i = 0; i < 3; i++)
        {
            var series = await _site.SendSeriesAsync(new SeriesSpec("CT", $"study {i}") { Count = 3 }, $"series{i}");
            await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);
        }

        var folders = Directory.GetDirectories(_site.Directory, "*", SearchOption.AllDirectories).Length;
        Assert.True(folders >= 12, $"expected the studies' folders under the working directory, found {folders}");
        var after = InotifyWatches(serve.Pid);
        // The flows folder is watched (flows reload when edited), and that watch is made at start.
        Assert.True(after == before, $"inotify watches went from {before} to {after} while {folders} folders were created:\n{_site.Output}");
        Assert.True(after <= 2, $"{after} inotify watches at start: more than the flows folder is watched");
    }

    /// <summary>inotify watches the process holds: one "inotify wd:" line per watch in /proc/PID/fdinfo of its inotify descriptors.</summary>
    private static int InotifyWatches(int pid)
    {
        var count = 0;
        foreach (var fdinfo in Directory.EnumerateFiles($"/proc/{pid}/fdinfo"))
        {
            try
            {
                count += File.ReadLines(fdinfo).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                // the descriptor was closed between the listing and the read
            }
        }
        return count;
    }

    public void Dispose() => _site.Dispose();
}
