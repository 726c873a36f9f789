using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Conduit.Dicom;
using Conduit.Dicom.Network.Scu;
using Conduit.Dicom.Tests.Support;
using Conduit.Pipeline.Destinations;

namespace Conduit.Pipeline.Tests.Destinations;

/// <summary>The DICOM destination against dcmtk's storescp, and against nothing at all.</summary>
public sealed class DicomDestinationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-dicomdest-").FullName;
    private Process? _storescp;

    public void Dispose()
    {
        if (_storescp is { HasExited: false }) _storescp.Kill(entireProcessTree: true);
        _storescp?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static DeliveryItem Item(string relative)
    {
        var path = Path.Combine(Samples.Directory, relative);
        var ds = DicomFile.Open(path, DicomReadOptions.HeaderOnly).Dataset;
        return new DeliveryItem(path, ds.GetString(new DicomTag(0x0020, 0x000D)), ds.GetString(new DicomTag(0x0020, 0x000E)),
            ds.GetString(new DicomTag(0x0008, 0x0018)));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<int> StartStorescpAsync()
    {
        var port = FreePort();
        var output = Directory.CreateDirectory(Path.Combine(_dir, "storescp")).FullName;
        var start = new ProcessStartInfo("storescp") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "+xa", "-aet", "STORESCP", "-od", output, port.ToString() }) start.ArgumentList.Add(arg);
        _storescp = Process.Start(start)!;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return port;
            }
            catch (SocketException) { await Task.Delay(50); }
        }
        throw new InvalidOperationException("storescp did not start listening");
    }

    [Fact]
    public async Task Instances_reach_storescp_and_are_acknowledged()
    {
        var port = await StartStorescpAsync();
        var items = new[] { Item("charset/chrGerm.dcm"), Item("charset/chrGreek.dcm") };
        var destination = new DicomDestination("pacs", "127.0.0.1", port, new ScuOptions { CalledAeTitle = "STORESCP" });

        var outcomes = await destination.DeliverAsync(items, CancellationToken.None);

        Assert.All(outcomes, o => Assert.True(o.Acknowledged, o.Error));
        var received = Directory.GetFiles(Path.Combine(_dir, "storescp"));
        Assert.Equal(2, received.Length);
    }

    [Fact]
    public async Task A_node_that_is_down_gives_transient_failures_that_name_the_cause()
    {
        var destination = new DicomDestination("pacs", "127.0.0.1", FreePort(), new ScuOptions { Retries = 0, ConnectTimeout = TimeSpan.FromSeconds(2) });

        var outcome = Assert.Single(await destination.DeliverAsync([Item("charset/chrGerm.dcm")], CancellationToken.None));

        Assert.False(outcome.Acknowledged);
        Assert.True(outcome.Transient, outcome.Error);
        Assert.Contains("refused", outcome.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_file_that_is_not_DICOM_fails_for_good()
    {
        var port = await StartStorescpAsync();
        var junk = Path.Combine(_dir, "junk.dcm");
        await File.WriteAllTextAsync(junk, "not dicom at all");
        var destination = new DicomDestination("pacs", "127.0.0.1", port, new ScuOptions { CalledAeTitle = "STORESCP" });

        var outcome = Assert.Single(await destination.DeliverAsync([new DeliveryItem(junk, "1.2", "1.2.3", "1.2.3.4")], CancellationToken.None));

        Assert.False(outcome.Acknowledged);
        Assert.False(outcome.Transient, outcome.Error);
    }
}
