using System.Net;
using Conduit.Api;
using Conduit.Auth;
using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Scp;
using Conduit.Logging;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Destinations;
using Conduit.Pipeline.Events;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Ingest.Folders;
using Conduit.Pipeline.Orchestration;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Steps;
using Conduit.Pipeline.Steps.BuiltIn;
using Conduit.Pipeline.Steps.Containers;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Hosting;

/// <summary>
/// <c>conduit serve</c>'s composition root and lifecycle: one process with the C-STORE SCP, the ingest loop, the job
/// workers, the webhook notifier and the HTTP API, over the store (SQLite embedded, or PostgreSQL shared by several nodes), its job queue and local disk. Start-up
/// recovers what a crash left: leases of this node's previous run, its open batches (and those of nodes gone quiet),
/// closed batches without a job, and jobs that were not finished.
/// </summary>
internal sealed partial class ConduitServer(ConduitOptions options, ILoggerFactory loggerFactory)
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);
    /// <summary>The data-protection keys (sessions and CSRF tokens survive a restart), under the data directory.</summary>
    public const string KeysFolder = "keys";
    private readonly ILogger _logger = loggerFactory.CreateLogger("Conduit.Serve");

    /// <summary>The HTTP side once built (the route-table test walks its endpoints).</summary>
    internal WebApplication? Web { get; private set; }

    /// <summary>Printed once everything listens: tests and scripts parse these lines.</summary>
    public event Action<string>? Ready;

    public async Task<int> RunAsync(CancellationToken stop)
    {
        var dataDirectory = Path.GetFullPath(options.Storage.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var layout = new LocalFileLayout(dataDirectory);
        await using var database = await StoreDatabases.OpenAsync(options, dataDirectory, loggerFactory, stop);
        // Every committed change of an instance, batch, job, step or destination goes to the change feed (the dashboard's live view).
        var changes = new ChangeFeed();
        var nodeId = options.Node.EffectiveId;
        var store = new PublishingInstanceStore(new SqlInstanceStore(database, nodeId), changes);
        var jobs = new PublishingJobRepository(new SqlJobRepository(database), changes);
        var queue = await JobQueues.OpenAsync(options, database, nodeId, loggerFactory, stop);
        // The broker connection closes after the workers stop (disposals run in reverse): their last acks still go out.
        await using var broker = queue as IAsyncDisposable;

        using var catalog = new FlowCatalog(options.Flows.Directory, loggerFactory.CreateLogger<FlowCatalog>());
        catalog.Start();
        foreach (var error in catalog.Current.Errors.SelectMany(f => f.Errors)) LogFlowError(_logger, error.ToString());
        LogFlows(_logger, catalog.Current.Flows.Count, catalog.Directory);

        catalog.Changed += snapshot => changes.Publish(new ChangeEvent(ChangeKind.Flows,
            snapshot.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), snapshot.Errors.Count == 0 ? "valid" : "errors"));
        var tracker = new BatchTracker();
        var jobCreator = new JobCreator(store, jobs, queue, catalog, layout, loggerFactory.CreateLogger<JobCreator>());
        var coordinator = new IngestCoordinator(store, tracker, jobCreator, loggerFactory.CreateLogger<IngestCoordinator>());
        var ingestor = new InstanceIngestor(coordinator, catalog, layout, options.Grouping);

        var settings = new JobRunnerSettings(options.Workers.StepTimeout, Path.GetFullPath(options.Flows.StaticDirectory));
        var batchOwnership = new BatchOwnership(nodeId, store, new SqlNodeRegistry(database), coordinator, catalog, options.Grouping, layout,
            loggerFactory.CreateLogger<BatchOwnership>(), options.Node.HeartbeatInterval, options.Node.Lapse);
        await RecoverAsync(jobs, queue, batchOwnership, jobCreator, nodeId + "/", stop);

        using var docker = new DockerEngineClient(DockerEngineOptions.FromEnvironment());
        var containers = new ContainerStepRunner(docker, loggerFactory.CreateLogger<ContainerStepRunner>(), nodeId: ContainerNodeId(nodeId, dataDirectory));
        await RemoveOrphanContainersAsync(containers, stop);
        IStepRunner[] runners =
        [
            containers,
            new ProcessStepRunner(loggerFactory.CreateLogger<ProcessStepRunner>()),
            new BuiltInStepRunner(),
        ];
        var destinationDefaults = options.Destinations;
        var delivery = new DeliveryRunner(new SqlDeliveryLedger(database),
            new CircuitBreakerRegistry(destinationDefaults.CircuitBreakerFailures, destinationDefaults.CircuitBreakerCooldown));
        using var webhookHttp = new HttpClient { Timeout = options.Webhooks.Timeout };
        var notifier = new WebhookNotifier(jobs, new SqlWebhookDeliveryStore(database), catalog,
            new WebhookSender(webhookHttp, loggerFactory.CreateLogger<WebhookSender>()), options.Webhooks, loggerFactory.CreateLogger<WebhookNotifier>());
        using var destinationFactory = new DestinationFactory(destinationDefaults, dataDirectory, loggerFactory);
        var runningJobs = new RunningJobs();
        var runner = new JobRunner(jobs, queue, store, layout, catalog, runners, delivery, destinationFactory, notifier, settings,
            loggerFactory.CreateLogger<JobRunner>(), running: runningJobs);
        var workers = new JobWorkerPool(queue, runner, nodeId, options.Workers.Concurrency, settings, loggerFactory.CreateLogger<JobWorkerPool>());

        var admission = new DiskWatermarkAdmission(dataDirectory, options.Storage.DiskUsageWatermarkPercent,
            loggerFactory.CreateLogger<DiskWatermarkAdmission>());
        await using var scp = new StoreScp(ScpOptions(dataDirectory, layout, ingestor, admission, new AssociationFeed(changes)), loggerFactory);
        var importer = new FileImporter(layout, ingestor, options.Receiver.Fsync);
        var folderBatches = new SqlFolderBatchStore(database);
        var live = new LiveServices(changes, scp.Associations, new SqlActivityStats(database), new JobCanceller(jobs, queue, runningJobs));
        var auth = new SqlAuthStore(database);
        var authSettings = new ConduitAuthSettings(Path.Combine(dataDirectory, KeysFolder), StartedWithoutUsers: !await auth.AnyUserAsync(stop));
        await using var web = BuildWeb(store, jobs, queue, catalog, admission, layout, ingestor, importer, new SqlUploadStore(database), folderBatches,
            auth, authSettings, live);
        Web = web;
        var folderImporter = new FolderBatchImporter(importer, ingestor, folderBatches, TimeProvider.System, loggerFactory.CreateLogger<FolderBatchImporter>());

        using var running = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task[] loops =
        [
            coordinator.RunAsync(running.Token),
            batchOwnership.RunAsync(running.Token),
            workers.RunAsync(running.Token),
            notifier.RunAsync(running.Token),
            new RetentionSweeper(jobs, layout, options.Retention.SucceededJobs, loggerFactory.CreateLogger<RetentionSweeper>()).RunAsync(running.Token),
            .. options.Folders.Watch.Select(folder =>
                new FolderWatcher(folder, folderImporter, TimeProvider.System, loggerFactory.CreateLogger<FolderWatcher>()).RunAsync(running.Token)),
        ];
        scp.Start();
        await web.StartAsync(stop);
        Ready?.Invoke($"listening on {options.Receiver.Bind}:{scp.LocalEndPoint.Port} as {options.Receiver.AeTitle}");
        foreach (var url in web.Urls) Ready?.Invoke($"http on {url}");

        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
        LogStopping(_logger);
        // Stop taking new work first; instances in flight on open associations are still recorded.
        await scp.StopAsync(ShutdownGrace, CancellationToken.None);
        await running.CancelAsync();
        await Task.WhenAll(loops).ContinueWith(static _ => { }, TaskScheduler.Default);
        await web.StopAsync(CancellationToken.None);
        return ExitCodes.Success;
    }

    private async Task RecoverAsync(IJobRepository jobs, IJobQueue queue, BatchOwnership batchOwnership, JobCreator jobCreator,
        string workerPrefix, CancellationToken cancellationToken)
    {
        var released = await queue.RecoverAsync(workerPrefix, cancellationToken);
        // This node's open batches, and those of nodes gone quiet; never a live node's (it is still filling them).
        var restored = await batchOwnership.StartAsync(cancellationToken);
        var created = await jobCreator.RecoverAsync(cancellationToken);
        var requeued = 0;
        foreach (var job in await jobs.ListUnfinishedAsync(cancellationToken))
            if (await queue.EnqueueAsync(job.Id, job.Priority, null, cancellationToken)) requeued++;
        LogRecovered(_logger, released, restored, created, requeued);
    }

    /// <summary>
    /// The <c>conduit.node</c> label of this installation's step containers: the node id and the data directory, because
    /// several installations (and test runs) may share one container engine, and each must clear only its own leftovers;
    /// two nodes on one host may share one data directory (shared storage), so the node id is part of it.
    /// </summary>
    private static string ContainerNodeId(string nodeId, string dataDirectory)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory));
        return $"{nodeId}-{Convert.ToHexStringLower(hash, 0, 6)}";
    }

    /// <summary>
    /// Step containers a killed previous run left running are removed before any job starts. No container engine is
    /// not an error here: flows without container steps work without one, and container steps say so when they run.
    /// </summary>
    private async Task RemoveOrphanContainersAsync(ContainerStepRunner containers, CancellationToken cancellationToken)
    {
        try
        {
            var removed = await containers.RemoveOrphansAsync(cancellationToken);
            if (removed > 0) LogOrphansRemoved(_logger, removed);
        }
        catch (DockerEngineException ex)
        {
            LogNoContainerEngine(_logger, ex.Message);
        }
    }

    private StoreScpOptions ScpOptions(string dataDirectory, LocalFileLayout layout, InstanceIngestor ingestor, IAssociationAdmission admission,
        IAssociationObserver associations)
    {
        var receiver = options.Receiver;
        return new StoreScpOptions
        {
            Port = receiver.Port,
            BindAddress = IPAddress.Parse(receiver.Bind),
            AeTitle = receiver.AeTitle,
            OutputDirectory = dataDirectory,
            StorageLayout = new InstanceStoreLayout(layout),
            MaxAssociations = receiver.MaxAssociations,
            Durable = receiver.Fsync,
            AllowedCallingAeTitles = receiver.AllowedCallers.Count > 0 ? receiver.AllowedCallers.Select(CallingAeRule.Parse).ToArray() : null,
            TransferSyntaxPolicy = receiver.UncompressedOnly ? TransferSyntaxPolicy.UncompressedOnly : TransferSyntaxPolicy.AcceptCompressed,
            IdleTimeout = receiver.IdleTimeout,
            InstanceStoredHandler = new ScpIngestHandler(ingestor),
            Admission = admission,
            AssociationObserver = associations,
        };
    }

    private WebApplication BuildWeb(IInstanceStore store, IJobRepository jobs, IJobQueue queue, FlowCatalog catalog, DiskWatermarkAdmission admission,
        IInstanceFileLayout layout, InstanceIngestor ingestor, FileImporter importer, IUploadStore uploads, IFolderBatchStore folderBatches,
        SqlAuthStore auth, ConduitAuthSettings authSettings, LiveServices live)
    {
        var urls = options.Http.Urls;
        if (authSettings.StartedWithoutUsers)
        {
            // AUTH-DASHBOARD-CONTRACT: with nobody to sign in, nothing but this machine may reach the HTTP side.
            urls = [.. urls.Select(LoopbackUrls.Force)];
            LogNoUsers(_logger, string.Join(", ", urls));
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // ASP.NET's defaults read appsettings*.json from the content root (the working directory) and reload them
            // on change, which watches that directory recursively. Conduit's configuration is conduit.yaml, and its
            // data folder is under the working directory by default: the watch put an inotify watch on every study
            // and series folder (a host limit, fs.inotify.max_user_watches, runs out) and woke a thread for every file
            // received (about 11 % of serve's CPU while receiving, profiled). So: no reload, and the content root is
            // the installation folder, where nothing is written.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // ASP.NET's own per-request chatter stays out of the log unless something goes wrong.
        builder.Logging.ClearProviders().AddProvider(new StderrLoggerProvider(options.Logging.Level))
            .AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning)
            // The keys folder is private to Conduit's user (mode 0700); the warning that keys are stored unencrypted says nothing more.
            .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error)
            // Its base class logs every unauthenticated request; failed sign-ins have their own warning (CredentialChecker).
            .AddFilter(typeof(ConduitAuthenticationHandler).FullName, LogLevel.Warning);
        HttpFrontDoor.Configure(builder, options.Http);
        builder.WebHost.UseUrls([.. urls]);
        builder.Services.AddSingleton(store).AddSingleton(jobs).AddSingleton(queue).AddSingleton(catalog).AddSingleton(admission)
            .AddSingleton(layout).AddSingleton(ingestor).AddSingleton(importer).AddSingleton(uploads).AddSingleton(folderBatches)
            .AddSingleton(auth).AddSingleton(TimeProvider.System)
            .AddSingleton(live.Changes).AddSingleton(live.Associations).AddSingleton(live.Stats).AddSingleton(live.Canceller);
        builder.Services.AddConduitApi(authSettings);
        var app = builder.Build();
        app.MapConduitApi();
        return app;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Count} flow(s) loaded from {Directory}")]
    private static partial void LogFlows(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Flow file not loaded: {Error}")]
    private static partial void LogFlowError(ILogger logger, string error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Recovered: {Released} job lease(s) of the previous run released, {Restored} open batch(es) restored, {Created} job(s) created for closed batches, {Requeued} unfinished job(s) queued")]
    private static partial void LogRecovered(ILogger logger, int released, int restored, int created, int requeued);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Stopping: no new associations; finishing what is in flight")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Removed {Count} step container(s) left running by the previous run")]
    private static partial void LogOrphansRemoved(ILogger logger, int count);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "No users yet: HTTP serves loopback only ({Urls}) and every request acts as the local operator. Create one with: conduit user add NAME --role operator")]
    private static partial void LogNoUsers(ILogger logger, string urls);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "No container engine answered ({Reason}); container steps fail until one does (DOCKER_HOST=unix:///path/to/socket)")]
    private static partial void LogNoContainerEngine(ILogger logger, string reason);
}

/// <summary>What the dashboard's API reads besides the store: the change feed, open associations, counts, and the job canceller.</summary>
internal sealed record LiveServices(ChangeFeed Changes, AssociationRegistry Associations, SqlActivityStats Stats, JobCanceller Canceller);

/// <summary>A reason <c>conduit serve</c> cannot start, for a one-line error.</summary>
internal sealed class ServeException(string message) : Exception(message);
