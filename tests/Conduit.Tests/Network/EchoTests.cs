using System.Globalization;
using Conduit.Tests.Cli;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>C-ECHO both ways: dcmtk's echoscu to <c>conduit receive</c>, <c>conduit echo</c> to Orthanc and storescp.</summary>
[Collection(NetworkCollection.Name)]
public sealed class EchoTests
{
    [Fact]
    public async Task Echoscu_to_conduit_receive_succeeds()
    {
        using var receiver = await ReceiverProcess.StartAsync();

        var echo = await DcmtkTools.RunAsync("echoscu", "-v", "-aec", receiver.AeTitle, receiver.Host, receiver.Port.ToString(CultureInfo.InvariantCulture));

        Assert.True(echo.ExitCode == 0, $"{echo.Output}\n\nreceiver log:\n{receiver.Stderr}");
        Assert.Contains("Received Echo Response (Success)", echo.Stderr + echo.Stdout, StringComparison.Ordinal);
        Assert.Empty(receiver.ReceivedFiles());
        Assert.Equal(0, await receiver.StopAsync(Signals.SigInt)); // Ctrl-C is a normal stop, like SIGTERM
    }

    [Fact]
    public async Task Conduit_echo_to_orthanc_succeeds()
    {
        using var orthanc = await OrthancServer.StartAsync();

        var echo = await ConduitProcess.RunAsync("echo", orthanc.DicomEndpoint, "--aet", "CONDUIT_TEST", "--call", orthanc.AeTitle);

        Assert.True(echo.ExitCode == 0, $"{echo.Output}\n\nOrthanc log:\n{orthanc.Output}");
        Assert.StartsWith("echo ok:", echo.Stdout.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conduit_echo_to_storescp_succeeds()
    {
        using var work = new TempDirectory("echo");
        using var scp = await DcmtkTools.StartStoreScpAsync(work.Sub("out"));

        var echo = await ConduitProcess.RunAsync("echo", scp.Endpoint);

        Assert.True(echo.ExitCode == 0, $"{echo.Output}\n\nstorescp:\n{scp.Output}");
        Assert.StartsWith("echo ok:", echo.Stdout.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conduit_echo_to_conduit_receive_succeeds()
    {
        using var receiver = await ReceiverProcess.StartAsync();

        var echo = await ConduitProcess.RunAsync("echo", receiver.Endpoint, "--call", receiver.AeTitle);

        Assert.True(echo.ExitCode == 0, $"{echo.Output}\n\nreceiver log:\n{receiver.Stderr}");
        Assert.StartsWith("echo ok:", echo.Stdout.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conduit_echo_to_a_closed_port_exits_4()
    {
        var closed = FreePort.Next(); // bound, read and released: nothing listens there now

        var echo = await ConduitProcess.RunAsync("echo", $"127.0.0.1:{closed.ToString(CultureInfo.InvariantCulture)}");

        Assert.True(echo.ExitCode == 4, echo.Output); // ExitCodes.NetworkFailure
        Assert.DoesNotContain("echo ok", echo.Stdout, StringComparison.Ordinal);
        Assert.NotEqual("", echo.Stderr.Trim());
    }

    [Fact]
    public async Task Conduit_send_to_a_closed_port_exits_4_and_names_the_peer()
    {
        var closed = FreePort.Next();
        var endpoint = $"127.0.0.1:{closed.ToString(CultureInfo.InvariantCulture)}";

        var send = await ConduitProcess.RunAsync("send", endpoint, SampleBatches.Sendable[0].FullPath, "--retries", "0");

        Assert.True(send.ExitCode == 4, send.Output);
        Assert.Contains(closed.ToString(CultureInfo.InvariantCulture), send.Stderr, StringComparison.Ordinal);
    }
}
