using Conduit.Api;
using Conduit.Auth;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Orchestration;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Tests.DicomWeb;

/// <summary>
/// Conduit's HTTP API (with the DICOMweb routes) on a real Kestrel on 127.0.0.1 over a real SQLite store and the
/// ingest path of <c>conduit serve</c> (no workers, no flows): what a DICOMweb client talks to.
/// </summary>
internal sealed class DicomWebHost : IAsyncDisposable
{
    private readonly string _dir;
    private readonly SqliteDatabase _database;
    private readonly FlowCatalog _catalog;
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop;
    private readonly Task _ingestLoop;

    private DicomWebHost(string dir, SqliteDatabase database, FlowCatalog catalog, WebApplication app, CancellationTokenSource stop, Task ingestLoop,
        Uri baseAddress, string dataDirectory)
    {
        (_dir, _database, _catalog, _app, _stop, _ingestLoop) = (dir, database, catalog, app, stop, ingestLoop);
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    /// <param name="user">A user to create first (name, role, password): login is then required, as in a real installation.
    /// Without one, the host runs in local operator mode and takes requests without credentials.</param>
    public static async Task<DicomWebHost> StartAsync(string bindUrl = "http://127.0.0.1:0", (string Name, string Role, string Password)? user = null)
    {
        var dir = Directory.CreateTempSubdirectory("conduit-dicomweb-").FullName;
        var database = await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = Path.Combine(dir, "conduit.db") });
        var store = new SqlInstanceStore(database);
        var jobs = new SqlJobRepository(database);
        var queue = new SqlJobQueue(database);
        var catalog = new FlowCatalog(Directory.CreateDirectory(Path.Combine(dir, "flows")).FullName);
        catalog.Start();
        var dataDirectory = Path.Combine(dir, "data");
        var layout = new LocalFileLayout(dataDirectory);
        var coordinator = new IngestCoordinator(store, new BatchTracker(),
            new JobCreator(store, jobs, queue, catalog, layout, NullLogger<JobCreator>.Instance), NullLogger<IngestCoordinator>.Instance);
        var stop = new CancellationTokenSource();
        var ingestLoop = coordinator.RunAsync(stop.Token);
        var ingestor = new InstanceIngestor(coordinator, catalog, layout, new GroupingOptions());

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls(bindUrl);
        builder.Services.AddSingleton<IInstanceStore>(store).AddSingleton<IJobRepository>(jobs).AddSingleton<IJobQueue>(queue)
            .AddSingleton(catalog).AddSingleton<IInstanceFileLayout>(layout).AddSingleton(ingestor)
            .AddSingleton(new FileImporter(layout, ingestor)).AddSingleton<IUploadStore>(new SqlUploadStore(database))
            .AddSingleton(TimeProvider.System);
        var auth = new SqlAuthStore(database);
        if (user is { } u) await auth.AddUserAsync(u.Name, u.Role, PasswordHasher.Hash(u.Password), CancellationToken.None);
        builder.Services.AddSingleton(auth);
        builder.Services.AddConduitApi(new ConduitAuthSettings(Path.Combine(dir, "keys"), StartedWithoutUsers: user is null));
        var app = builder.Build();
        app.MapConduitApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DicomWebHost(dir, database, catalog, app, stop, ingestLoop, new Uri(address), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stop.CancelAsync();
        await _ingestLoop;
        await _database.DisposeAsync();
        _catalog.Dispose();
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
