using Conduit.Dicom.Network.Scu;
using Conduit.Dicom.Network.Tests.Support;

namespace Conduit.Dicom.Network.Tests.Interop;

/// <summary>
/// A smoke test with the real peers: dcmtk reaches the in-process SCP, and the SCU stores into dcmtk's storescp.
/// The full interoperability matrix lives in tests/Conduit.Tests/Network.
/// </summary>
public class DcmtkSmokeTests
{
    [Fact]
    public async Task EchoscuGetsAnAnswer()
    {
        await using var scp = new ScpFixture();
        using var echo = new ExternalProcess("echoscu", ["-aec", "CONDUIT", "127.0.0.1", scp.Port.ToString()]);
        Assert.True(await echo.WaitAsync(TimeSpan.FromSeconds(30)) == 0, echo.Output);
    }

    [Fact]
    public async Task StorescuDeliversSamplesByteForByte()
    {
        var files = SampleSelection.Storable(s => s.TransferSyntaxUid is "1.2.840.10008.1.2" or "1.2.840.10008.1.2.1", 6);
        Assert.NotEmpty(files);
        await using var scp = new ScpFixture();
        using var storescu = new ExternalProcess("storescu", ["-nh", "-aec", "CONDUIT", "127.0.0.1", scp.Port.ToString(), .. files]);
        Assert.True(await storescu.WaitAsync(TimeSpan.FromSeconds(60)) == 0, storescu.Output);
        var stored = scp.StoredFiles().ToDictionary(f => Path.GetFileNameWithoutExtension(f));
        foreach (var file in files)
            Assert.Equal(SampleSelection.DatasetBytes(file), SampleSelection.DatasetBytes(stored[SampleSelection.SopInstanceUid(file)]));
    }

    [Fact]
    public async Task StoreScuStoresIntoStorescp()
    {
        var files = SampleSelection.Storable(s => !s.TransferSyntaxUid.StartsWith("1.2.840.10008.1.2.4", StringComparison.Ordinal), 5);
        var output = TestDicom.TempDirectory();
        try
        {
            var port = ExternalProcess.FreePort();
            using var storescp = new ExternalProcess("storescp", ["-od", output, "+xa", "-aet", "DCMTK", port.ToString()]);
            await storescp.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
            var report = await StoreScu.SendAsync("127.0.0.1", port, files, new ScuOptions { CalledAeTitle = "DCMTK" });
            Assert.All(report.Results, r => Assert.True(r.Succeeded, $"{r.Path}: {r.FailureReason}\n{storescp.Output}"));
            var received = Directory.GetFiles(output).Select(SampleSelection.SopInstanceUid).ToHashSet();
            Assert.All(files, f => Assert.Contains(SampleSelection.SopInstanceUid(f), received));
            Assert.True(await EchoScu.EchoAsync("127.0.0.1", port, new ScuOptions { CalledAeTitle = "DCMTK" }) > TimeSpan.Zero);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
