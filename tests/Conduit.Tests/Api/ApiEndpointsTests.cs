using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conduit.Api;
using Conduit.Auth;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Orchestration;
using Microsoft.Extensions.Logging.Abstractions;
using Conduit.Dicom.Tests.Support;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Conduit.Tests.Api;

/// <summary>The HTTP API on a real Kestrel server over a real SQLite store and queue.</summary>
public sealed class ApiEndpointsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-api-").FullName;
    private SqliteDatabase _database = null!;
    private SqlJobRepository _jobs = null!;
    private SqlJobQueue _queue = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private FlowCatalog _catalog = null!;
    private readonly CancellationTokenSource _stop = new();
    private Task _ingestLoop = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = Path.Combine(_dir, "conduit.db") });
        _jobs = new SqlJobRepository(_database);
        _queue = new SqlJobQueue(_database);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IJobRepository>(_jobs);
        builder.Services.AddSingleton<IJobQueue>(_queue);
        var store = new SqlInstanceStore(_database);
        builder.Services.AddSingleton<IInstanceStore>(store);
        var flows = Directory.CreateDirectory(Path.Combine(_dir, "flows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "ct.yaml"), "name: ct\nversion: '2'\npriority: 4\ntriggers:\n  - Modality: CT\n");
        await File.WriteAllTextAsync(Path.Combine(flows, "broken.yaml"), "name: broken\npriority: 9\n");
        _catalog = new FlowCatalog(flows);
        _catalog.Start();
        builder.Services.AddSingleton(_catalog);
        // The ingest path of conduit serve, without workers: uploads are recorded, batches close and jobs are queued.
        var layout = new LocalFileLayout(Path.Combine(_dir, "data"));
        var tracker = new BatchTracker();
        var coordinator = new IngestCoordinator(store, tracker, new JobCreator(store, _jobs, _queue, _catalog, layout, NullLogger<JobCreator>.Instance),
            NullLogger<IngestCoordinator>.Instance);
        _ingestLoop = coordinator.RunAsync(_stop.Token);
        var ingestor = new InstanceIngestor(coordinator, _catalog, layout, new GroupingOptions());
        builder.Services.AddSingleton<IInstanceFileLayout>(layout).AddSingleton(ingestor).AddSingleton(new FileImporter(layout, ingestor))
            .AddSingleton<IUploadStore>(new SqlUploadStore(_database))
            .AddSingleton<IFolderBatchStore>(new SqlFolderBatchStore(_database)).AddSingleton(TimeProvider.System);
        // No user: the local operator mode of a first run, so these requests need no credentials (the Auth tests cover the rest).
        builder.Services.AddSingleton(new SqlAuthStore(_database));
        builder.Services.AddConduitApi(new ConduitAuthSettings(Path.Combine(_dir, "keys"), StartedWithoutUsers: true));
        _app = builder.Build();
        _app.MapConduitApi();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _stop.CancelAsync();
        await _ingestLoop;
        await _database.DisposeAsync();
        _catalog.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<JobRecord> NewJobAsync(string flow = "ct-flow", string study = "1.2.3") =>
        _jobs.CreateAsync(new NewJob(flow, "1", 3, null, study, ["copy", "report"], ["pacs"]), CancellationToken.None);

    [Fact]
    public async Task Health_answers_with_the_queue_depth()
    {
        var job = await NewJobAsync();
        await _queue.EnqueueAsync(job.Id, job.Priority, null, CancellationToken.None);

        using var health = JsonDocument.Parse(await _http.GetStringAsync("/healthz"));

        Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, health.RootElement.GetProperty("queue").GetProperty("ready").GetInt32());
    }

    [Fact]
    public async Task Jobs_are_listed_and_filtered_by_status_flow_and_study()
    {
        var a = await NewJobAsync("ct-flow", "1.2.3");
        await NewJobAsync("mr-flow", "1.2.4");
        await _jobs.TransitionAsync(a.Id, JobStatus.Running, null, CancellationToken.None);

        using var all = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/jobs"));
        using var running = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/jobs?status=running"));
        using var byFlow = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/jobs?flow=mr-flow"));
        using var byStudy = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/jobs?study=1.2.3"));

        Assert.Equal(2, all.RootElement.GetArrayLength());
        Assert.Equal(a.Id, Assert.Single(running.RootElement.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("running", running.RootElement[0].GetProperty("status").GetString());
        Assert.Equal("mr-flow", Assert.Single(byFlow.RootElement.EnumerateArray()).GetProperty("flowName").GetString());
        Assert.Equal(a.Id, Assert.Single(byStudy.RootElement.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_unknown_status_filter_is_a_400_problem_naming_the_choices()
    {
        using var response = await _http.GetAsync("/api/v1/jobs?status=done");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("pending, running", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_job_shows_its_steps_destinations_and_history()
    {
        var job = await NewJobAsync();
        await _jobs.TransitionAsync(job.Id, JobStatus.Running, null, CancellationToken.None);
        await _jobs.StartStepAsync(job.Id, "copy", CancellationToken.None);

        using var details = JsonDocument.Parse(await _http.GetStringAsync($"/api/v1/jobs/{job.Id}"));

        var root = details.RootElement;
        Assert.Equal(job.Id, root.GetProperty("job").GetProperty("id").GetString());
        Assert.Equal(["copy", "report"], root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("running", root.GetProperty("steps")[0].GetProperty("status").GetString());
        Assert.Equal("pacs", Assert.Single(root.GetProperty("destinations").EnumerateArray()).GetProperty("name").GetString());
        Assert.True(root.GetProperty("events").GetArrayLength() >= 2);
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_problem()
    {
        using var response = await _http.GetAsync("/api/v1/jobs/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_failed_job_is_retried_into_the_queue_and_a_running_one_is_not()
    {
        var failed = await NewJobAsync();
        await _jobs.TransitionAsync(failed.Id, JobStatus.Running, null, CancellationToken.None);
        await _jobs.TransitionAsync(failed.Id, JobStatus.Failed, "step copy exited with 1", CancellationToken.None);
        var running = await NewJobAsync();
        await _jobs.TransitionAsync(running.Id, JobStatus.Running, null, CancellationToken.None);

        using var retried = await _http.PostAsync($"/api/v1/jobs/{failed.Id}/retry", null);
        using var refused = await _http.PostAsync($"/api/v1/jobs/{running.Id}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal("pending", (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var lease = await _queue.TryDequeueAsync("test-worker", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(failed.Id, lease?.JobId);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("running", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Studies_and_series_come_from_the_instance_store()
    {
        var store = _app.Services.GetRequiredService<IInstanceStore>();
        await store.RecordAsync(new InstanceRecord
        {
            StudyInstanceUid = "1.2.3", SeriesInstanceUid = "1.2.3.4", SopInstanceUid = "1.2.3.4.5", SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            TransferSyntaxUid = "1.2.840.10008.1.2.1", Modality = "CT", PatientId = "P1", Source = InstanceSource.Scp,
            ReceivedAt = DateTimeOffset.UtcNow, SizeBytes = 1234, Path = "instances/1.2.3/1.2.3.4/1.2.3.4.5.dcm",
        }, [], CancellationToken.None);

        using var studies = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/studies"));
        using var series = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/series/1.2.3.4"));
        using var missing = await _http.GetAsync("/api/v1/series/9.9");

        Assert.Equal("1.2.3", Assert.Single(studies.RootElement.EnumerateArray()).GetProperty("studyInstanceUid").GetString());
        Assert.Equal("CT", series.RootElement.GetProperty("modality").GetString());
        Assert.Equal(1, series.RootElement.GetProperty("instanceCount").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Flows_lists_the_loaded_flows_and_the_files_that_failed_with_their_line()
    {
        using var flows = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/flows"));

        var flow = Assert.Single(flows.RootElement.GetProperty("flows").EnumerateArray());
        Assert.Equal("ct", flow.GetProperty("name").GetString());
        Assert.Equal(4, flow.GetProperty("priority").GetInt32());
        var error = Assert.Single(flows.RootElement.GetProperty("errors").EnumerateArray());
        Assert.EndsWith("broken.yaml", error.GetProperty("file").GetString());
        Assert.Contains("broken.yaml:2:", error.GetProperty("messages")[0].GetString());
    }

    [Fact]
    public async Task An_upload_of_a_zip_and_a_broken_file_stores_the_good_ones_and_its_series_becomes_a_queued_job()
    {
        var ct = Path.Combine(Samples.Directory, "dicomdir/pydicom-dicomdirtests/77654033/CT2/17106");
        var zipPath = Path.Combine(_dir, "series.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(zipPath, System.IO.Compression.ZipArchiveMode.Create))
            System.IO.Compression.ZipFileExtensions.CreateEntryFromFile(zip, ct, "ct/17106.dcm");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(zipPath)) { Headers = { ContentType = new("application/zip") } }, "files", "series.zip" },
            { new ByteArrayContent("not DICOM"u8.ToArray()) { Headers = { ContentType = new("application/dicom") } }, "files", "broken.dcm" },
        };

        using var response = await _http.PostAsync("/api/v1/files", form);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var upload = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = upload.GetProperty("id").GetString()!;
        var files = upload.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        Assert.True(files[0].GetProperty("stored").GetBoolean());
        Assert.Equal("series.zip/ct/17106.dcm", files[0].GetProperty("name").GetString());
        Assert.False(files[1].GetProperty("stored").GetBoolean());
        Assert.Contains("DICOM", files[1].GetProperty("error").GetString());
        var sop = files[0].GetProperty("sopInstanceUid").GetString()!;
        Assert.NotNull(await _app.Services.GetRequiredService<IInstanceStore>().GetInstanceAsync(sop, CancellationToken.None));

        // The upload's end closes its series after the grace period; the CT flow's job is then queued (no workers here).
        JsonElement prediction = default;
        for (var i = 0; i < 100; i++)
        {
            prediction = JsonDocument.Parse(await _http.GetStringAsync($"/api/v1/predict/{id}")).RootElement;
            if (prediction.GetProperty("jobs").GetArrayLength() > 0) break;
            await Task.Delay(100);
        }
        var job = Assert.Single(prediction.GetProperty("jobs").EnumerateArray());
        Assert.Equal("ct", job.GetProperty("flow").GetString());
        Assert.Equal("processing", prediction.GetProperty("status").GetString());
        Assert.Equal(0, job.GetProperty("statusCode").GetInt32());
        using var noOutputYet = await _http.GetAsync(job.GetProperty("outputUrl").GetString());
        Assert.Equal(HttpStatusCode.Conflict, noOutputYet.StatusCode);
    }

    [Fact]
    public async Task An_upload_in_an_unsupported_media_type_is_a_415_problem()
    {
        using var response = await _http.PostAsync("/api/v1/files", new StringContent("hello"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
