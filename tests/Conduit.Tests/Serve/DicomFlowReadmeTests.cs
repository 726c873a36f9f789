using System.Globalization;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Serve.Support;
using Conduit.Tests.Support;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// Issue 4, "must show" 4: DicomFlow's own "Full Flow example" runs in <c>conduit serve</c> as its users wrote it,
/// with only what must differ on another machine translated: the image (busybox → the locally built one), the static
/// mount's host folder, the destinations' addresses, and the README's unterminated quote.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class DicomFlowReadmeTests(ServePeers peers) : IDisposable
{
    private readonly ServeSite _site = new(peers.Podman.SocketPath);
    private readonly List<IDisposable> _peers = [];

    [Fact]
    public async Task The_full_flow_example_of_dicomflows_readme_runs_both_models_and_sends_to_both_destinations()
    {
        var storeScp = await StoreScpProcess.StartAsync(_site.Sub("storescp"));
        _peers.Add(storeScp);
        var model = _site.Sub("AwesomeModel1");
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Serve", "TestData", "dicomflow-readme-full-flow.yaml"));
        var flow = Translate(readme,
            ("version: \"1.02\n", "version: \"1.02\"\n"),
            ("image: busybox\n", $"image: {PodmanService.BusyboxImage}\n"),
            ("/home/DicomFlow/models/AwesomeModel1:", model + ":"),
            ("port: 10001\n", $"port: {storeScp.Port.ToString(CultureInfo.InvariantCulture)}\n"),
            ("host: storage.some-system.org\n    port: 104\n", $"host: 127.0.0.1\n    port: {peers.Orthanc.DicomPort.ToString(CultureInfo.InvariantCulture)}\n"));
        _site.WriteFlow("fancy.yaml", flow);
        await _site.StartAsync();

        // DicomFlow's triggers: every trigger map must be matched somewhere in what arrived, here a study with a
        // head CT and an MR of the AutoSegProtocol.
        var ct = SyntheticSeries.Write(_site.Sub("ct"), new SeriesSpec("CT", "Head and neck") { Count = 4, StudyDescription = "AutoSegProtocol" });
        var mr = SyntheticSeries.Write(_site.Sub("mr"),
            new SeriesSpec("MR", "T1") { Count = 3, StudyInstanceUid = ct.StudyInstanceUid, StudyDescription = "AutoSegProtocol" });
        await _site.SendAsync(ct);
        await _site.SendAsync(mr);
        var details = await _site.Api.WaitForEndedJobAsync(ct.StudyInstanceUid);

        var job = Job(details);
        Assert.True(Status(job) == "sent", $"job: {details}\n{_site.Output}");
        Assert.Equal("FancyFlow", (string)job["flowName"]!);
        Assert.Equal(4, (int)job["priority"]!);
        var steps = Steps(details);
        Assert.Equal(2, steps.Count);
        Assert.All(steps, s => Assert.Equal("finished", Status(s)));
        // Each model echoes its CONTAINER_ORDER, as in DicomFlow.
        Assert.Equal("0", ((string?)steps[0]["logTail"])?.Trim());
        Assert.Equal("1", ((string?)steps[1]["logTail"])?.Trim());
        Assert.All(Destinations(details), d => Assert.Equal("sent", Status(d)));

        var sent = ct.SopInstanceUids.Concat(mr.SopInstanceUids).Order(StringComparer.Ordinal).ToList();
        Assert.Empty(sent.Except(await peers.Orthanc.ListSopInstanceUidsAsync()));
        var atStoreScp = storeScp.ReceivedFiles().Select(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('.', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(sent, atStoreScp.Order(StringComparer.Ordinal));
    }

    /// <summary>Applies each replacement, requiring that its text occurs in the file (so the translation stays exact).</summary>
    private static string Translate(string text, params (string From, string To)[] replacements)
    {
        foreach (var (from, to) in replacements)
        {
            Assert.True(text.Contains(from, StringComparison.Ordinal), $"the README flow no longer contains '{from}'");
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        return text;
    }

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Dispose();
        _site.Dispose();
    }
}
