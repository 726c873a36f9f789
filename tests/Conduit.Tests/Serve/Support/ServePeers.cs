using Conduit.Pipeline.Steps;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Support;

namespace Conduit.Tests.Serve.Support;

/// <summary>
/// The real parts every <c>conduit serve</c> test talks to, started once for all of them: podman's Docker-compatible
/// service on a private socket with the locally built busybox image, and an Orthanc as the DICOM destination and, with
/// its DICOMweb plugin and HTTP authentication on, the DICOMweb destination. Each test uses fresh UIDs, so what one
/// test sends to Orthanc never counts for another.
/// </summary>
public sealed class ServePeers : IAsyncLifetime
{
    public PodmanService Podman { get; } = new();

    internal OrthancServer Orthanc { get; private set; } = null!;

    /// <summary>The user Conduit signs in to Orthanc's HTTP API (and its DICOMweb endpoint) as.</summary>
    internal const string OrthancUser = "conduit";

    /// <summary>Its password, new for each run.</summary>
    internal string OrthancPassword { get; } = Guid.NewGuid().ToString("N");

    /// <summary>A flow destination entry (Conduit's schema) for the Orthanc.</summary>
    internal string OrthancDestination(string name = "orthanc") => $"""
          - name: {name}
            type: dicom
            host: 127.0.0.1
            port: {Orthanc.DicomPort}
            called_ae: {Orthanc.AeTitle}
            retries: 3
            backoff: 1s
        """;

    /// <summary>The ids of podman's containers (running or not) that Conduit made for a job's steps.</summary>
    internal Task<IReadOnlyList<string>> ContainersOfJobAsync(string jobId) =>
        Podman.Client.ListContainersAsync(new Dictionary<string, string?> { [ContainerStepRunner.JobLabel] = jobId }, CancellationToken.None);

    public async Task InitializeAsync()
    {
        await Podman.InitializeAsync();
        Orthanc = await OrthancServer.StartAsync(DicomWebOrthanc(OrthancPassword));
    }

    /// <summary>An Orthanc with the DICOMweb plugin and HTTP basic authentication (RegisteredUsers), logging what it receives.</summary>
    internal static OrthancOptions DicomWebOrthanc(string password, int? httpPort = null) => new()
    {
        DicomWeb = true,
        Users = new Dictionary<string, string> { [OrthancUser] = password },
        LogReceivedInstances = true,
        HttpPort = httpPort,
    };

    public async Task DisposeAsync()
    {
        Orthanc?.Dispose();
        await Podman.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServeCollection : ICollectionFixture<ServePeers>
{
    public const string Name = "conduit serve";
}
