using Conduit.Dicom.Network.Scp;

namespace Conduit.Dicom.Network.Tests.Support;

/// <summary>An in-process SCP on 127.0.0.1, port 0, writing into a temporary directory removed on dispose.</summary>
internal sealed class ScpFixture : IAsyncDisposable
{
    public ScpFixture(Action<StoreScpOptions>? configure = null)
    {
        Output = TestDicom.TempDirectory();
        Options = new StoreScpOptions
        {
            Port = 0,
            BindAddress = System.Net.IPAddress.Loopback,
            OutputDirectory = Output,
            Durable = false,
        };
        configure?.Invoke(Options);
        Scp = new StoreScp(Options);
        Scp.Start();
    }

    public StoreScpOptions Options { get; }
    public StoreScp Scp { get; }
    public string Output { get; }
    public int Port => Scp.LocalEndPoint.Port;

    public FakePeer Connect() => FakePeer.Connect(Scp.LocalEndPoint);

    /// <summary>Stored instances, the .incoming folder excluded.</summary>
    public string[] StoredFiles() =>
        Directory.EnumerateFiles(Output, "*.dcm", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + ".incoming" + Path.DirectorySeparatorChar)).ToArray();

    private string IncomingFolder => Path.Combine(Output, ".incoming");

    /// <summary>
    /// Temporary files holding bytes, named in the incoming folder or unnamed and still open (<see
    /// cref="OpenTemporaryFiles"/>): what a stored or refused instance must not leave behind. The receiver keeps a few
    /// empty ones ready (<see cref="TempFilePool"/>); those are not leftovers.
    /// </summary>
    public string[] IncomingFiles() =>
    [
        .. Directory.GetFiles(IncomingFolder).Where(f => new FileInfo(f).Length > 0),
        .. OpenTemporaryFiles.Sizes(Environment.ProcessId, IncomingFolder).Where(size => size > 0).Select(size => $"(unnamed, {size} bytes)"),
    ];

    /// <summary>Every temporary file of the receiver, the empty ones kept ready included: named ones, and unnamed ones open.</summary>
    public int AllIncomingFiles() => Directory.GetFiles(IncomingFolder).Length + OpenTemporaryFiles.Sizes(Environment.ProcessId, IncomingFolder).Length;

    public async ValueTask DisposeAsync()
    {
        await Scp.DisposeAsync();
        try { Directory.Delete(Output, recursive: true); } catch (IOException) { }
    }
}
