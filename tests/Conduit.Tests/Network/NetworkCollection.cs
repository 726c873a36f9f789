using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>
/// The interoperability tests run one after another (each starts peers and pushes the corpus; in parallel on two
/// cores they would measure contention) and share one dcmtk-to-dcmtk baseline.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NetworkCollection : ICollectionFixture<DcmtkBaselineFixture>
{
    public const string Name = "network interop";
}

/// <summary>The dcmtk-to-dcmtk run over every batch, made once for the collection (a few seconds).</summary>
public sealed class DcmtkBaselineFixture : IAsyncLifetime
{
    private DcmtkBaseline? _baseline;

    internal DcmtkBaseline Baseline => _baseline ?? throw new InvalidOperationException("the baseline has not run");

    public async Task InitializeAsync() => _baseline = await DcmtkBaseline.RunAsync(SampleBatches.Batches);

    public Task DisposeAsync()
    {
        _baseline?.Dispose();
        return Task.CompletedTask;
    }
}
