using Conduit.Dicom;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Tests.DicomWeb;

/// <summary>A test class with its own Conduit DICOMweb host (<see cref="DicomWebHost"/>) and a client for it, plus corpus helpers.</summary>
public abstract class DicomWebHostTest : IAsyncLifetime
{
    private protected DicomWebHost Host { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await DicomWebHost.StartAsync();
        Http = new HttpClient { BaseAddress = Host.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    protected static byte[] Bytes(string samplePath) => File.ReadAllBytes(Samples.Get(samplePath).FullPath);

    protected static DicomDataset Header(string samplePath) => DicomFile.Open(Samples.Get(samplePath).FullPath, DicomReadOptions.HeaderOnly).Dataset;
}
