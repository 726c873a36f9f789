using System.Globalization;
using Conduit.Tests.Cli;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>
/// A receiver that only answers to its own AE title and to an allow-list of calling AE titles (one with a host):
/// <c>--aet CONDUIT_RX --allow STORESCU@127.0.0.1 --allow ECHOSCU --allow FARAWAY@192.0.2.1</c>.
/// </summary>
public sealed class PolicyReceiverFixture : IAsyncLifetime
{
    public const string AeTitle = "CONDUIT_RX";
    private ReceiverProcess? _receiver;

    internal ReceiverProcess Receiver => _receiver ?? throw new InvalidOperationException("the receiver has not started");

    public async Task InitializeAsync() => _receiver = await ReceiverProcess.StartAsync(
        "--aet", AeTitle, "--allow", "STORESCU@127.0.0.1", "--allow", "ECHOSCU", "--allow", "FARAWAY@192.0.2.1");

    public Task DisposeAsync()
    {
        _receiver?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Called-AE check and calling-AE allow-list of <c>conduit receive</c>, seen from dcmtk's tools (PS3.8 §7.1.1.9).</summary>
[Collection(NetworkCollection.Name)]
public sealed class AssociationPolicyTests(PolicyReceiverFixture fixture) : IClassFixture<PolicyReceiverFixture>
{
    private static readonly SampleInstance Instance = SampleBatches.Read(Dicom.Tests.Support.Samples.Get("series/ct-oriented-3/0.dcm"));

    private ReceiverProcess Receiver => fixture.Receiver;

    private string Port => Receiver.Port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Storescu_calling_the_wrong_ae_title_is_rejected_and_nothing_is_stored()
    {
        Receiver.ClearReceived();

        var store = await DcmtkTools.RunAsync("storescu", "-aet", "STORESCU", "-aec", "WRONG_AE", Receiver.Host, Port, Instance.FullPath);

        Assert.True(store.ExitCode != 0, store.Output);
        // PS3.8 Table 9-21: A-ASSOCIATE-RJ reason 7, called-AE-title-not-recognized; dcmtk prints its name.
        Assert.Contains("Association Rejected", store.Stderr, StringComparison.Ordinal);
        Assert.Contains("Called AE Title Not Recognized", store.Stderr, StringComparison.Ordinal);
        Assert.Empty(Receiver.ReceivedFiles());
    }

    [Fact]
    public async Task Storescu_calling_the_right_ae_title_from_an_allowed_host_stores_the_instance()
    {
        Receiver.ClearReceived();

        var store = await DcmtkTools.RunAsync("storescu", "-aet", "STORESCU", "-aec", PolicyReceiverFixture.AeTitle, Receiver.Host, Port, Instance.FullPath);

        Assert.True(store.ExitCode == 0, $"{store.Output}\n\nreceiver log:\n{Receiver.Stderr}");
        var stored = Assert.Single(Receiver.ReceivedFiles());
        Assert.Empty(DatasetComparer.CompareFiles(Instance.FullPath, stored));
    }

    [Fact]
    public async Task An_allowed_calling_ae_title_without_a_host_is_accepted_from_anywhere()
    {
        var echo = await DcmtkTools.RunAsync("echoscu", "-aet", "ECHOSCU", "-aec", PolicyReceiverFixture.AeTitle, Receiver.Host, Port);

        Assert.True(echo.ExitCode == 0, $"{echo.Output}\n\nreceiver log:\n{Receiver.Stderr}");
    }

    [Fact]
    public async Task A_calling_ae_title_not_on_the_allow_list_is_rejected()
    {
        var echo = await DcmtkTools.RunAsync("echoscu", "-aet", "INTRUDER", "-aec", PolicyReceiverFixture.AeTitle, Receiver.Host, Port);

        Assert.True(echo.ExitCode != 0, echo.Output);
        // PS3.8 Table 9-21: reason 3, calling-AE-title-not-recognized.
        Assert.Contains("Association Rejected", echo.Stderr, StringComparison.Ordinal);
        Assert.Contains("Calling AE Title Not Recognized", echo.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_allowed_calling_ae_title_from_another_host_than_its_own_is_rejected()
    {
        // FARAWAY is allowed from 192.0.2.1 (TEST-NET-1) only; this association comes from 127.0.0.1.
        var echo = await DcmtkTools.RunAsync("echoscu", "-aet", "FARAWAY", "-aec", PolicyReceiverFixture.AeTitle, Receiver.Host, Port);

        Assert.True(echo.ExitCode != 0, echo.Output);
        Assert.Contains("Association Rejected", echo.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conduit_echo_calling_the_wrong_ae_title_exits_4()
    {
        var echo = await ConduitProcess.RunAsync("echo", Receiver.Endpoint, "--aet", "ECHOSCU", "--call", "WRONG_AE");

        Assert.True(echo.ExitCode == 4, echo.Output);
        Assert.DoesNotContain("echo ok", echo.Stdout, StringComparison.Ordinal);
    }
}
