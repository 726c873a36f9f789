using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conduit.Tests.Support;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Dashboard;

/// <summary>
/// What the dashboard reads and does, against a real <c>conduit serve</c>: the server-sent change feed, the job cancel
/// (a running step's process is killed), the live association registry, and the embedded pages and assets.
/// </summary>
[Collection(DashboardSite.Name)]
public sealed class DashboardApiTests(DashboardSite site) : IDisposable
{
    private readonly HttpClient _http = site.ApiClient();

    [Fact]
    public async Task The_event_stream_reports_the_association_each_instance_the_batch_and_the_job_until_it_is_sent()
    {
        var series = site.NewSeries("Live", count: 3);
        using var stream = await ServerSentEvents.OpenAsync(_http, "api/v1/events");
        Assert.Equal("text/event-stream", stream.MediaType);

        await site.Site.SendAsync(series);
        var seen = await stream.ReadUntilAsync(e => e.Name == "job" && (string?)e.Data["status"] == "sent"
            && (string?)e.Data["studyInstanceUid"] == series.StudyInstanceUid, TimeSpan.FromSeconds(60));

        Assert.Contains(seen, e => e.Name == "association" && (string?)e.Data["status"] == "opened" && (string?)e.Data["name"] == "STORESCU");
        var instances = seen.Where(e => e.Name == "instance" && (string?)e.Data["seriesInstanceUid"] == series.SeriesInstanceUid)
            .Select(e => (string)e.Data["id"]!).Order(StringComparer.Ordinal);
        Assert.Equal(series.SopInstanceUids.Order(StringComparer.Ordinal), instances);
        Assert.Contains(seen, e => e.Name == "batch" && (string?)e.Data["status"] == "closed");
        var jobId = (string)seen[^1].Data["id"]!;
        Assert.Equal(["pending", "running", "finished", "sending", "sent"],
            seen.Where(e => e.Name == "job" && (string?)e.Data["id"] == jobId).Select(e => (string)e.Data["status"]!));
        Assert.Contains(seen, e => e.Name == "step" && (string?)e.Data["id"] == jobId && (string?)e.Data["name"] == "live-step"
            && (string?)e.Data["status"] == "finished");
        Assert.Contains(seen, e => e.Name == "destination" && (string?)e.Data["id"] == jobId && (string?)e.Data["status"] == "sent");
        var job = await site.Api.JobAsync(jobId);
        Assert.Equal(4, (int)Job(job)["statusCode"]!);
    }

    [Fact]
    public async Task A_client_that_disconnects_from_the_event_stream_is_forgotten()
    {
        var before = await LiveClientsAsync();
        var streams = new List<ServerSentEvents>();
        try
        {
            for (var i = 0; i < 3; i++) streams.Add(await ServerSentEvents.OpenAsync(_http, "api/v1/events"));
            Assert.Equal(before + 3, await LiveClientsAsync());
        }
        finally
        {
            foreach (var stream in streams) stream.Dispose();
        }
        // Kestrel sees the closed connections (at the latest at the next heartbeat) and the subscriptions are disposed.
        await site.Api.WaitUntilAsync(async () => await LiveClientsAsync() == before, "the closed streams' subscriptions to go",
            Conduit.Api.EventsEndpoint.Heartbeat * 2);
    }

    [Fact]
    public async Task Cancelling_a_running_job_kills_its_step_process_and_records_the_job_cancelled_and_the_step_failed()
    {
        var series = site.NewSeries("Slow", count: 2);
        await site.Site.SendAsync(series);
        var job = await site.Api.WaitForJobAsync(series.StudyInstanceUid, j => Status(j) == "running");
        await site.Api.WaitForRunningStepAsync(Id(job), "slow-step");
        await site.Api.WaitUntilAsync(() => Task.FromResult(File.Exists(site.SlowPidFile) && File.ReadAllText(site.SlowPidFile).Trim().Length > 0),
            "the slow step's pid file");
        var pid = int.Parse(File.ReadAllText(site.SlowPidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ProcessAlive(pid), "the step's shell should be running before the cancel");

        using var response = await _http.PostAsync($"api/v1/jobs/{Id(job)}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("cancelled", Status(answer));
        Assert.Equal(400, (int)answer["statusCode"]!);
        await site.Api.WaitUntilAsync(async () => Steps(await site.Api.JobAsync(Id(job))).Single().ToJsonString().Contains("\"failed\"", StringComparison.Ordinal),
            "the cancelled step recorded as failed", TimeSpan.FromSeconds(30));
        var details = await site.Api.JobAsync(Id(job));
        Assert.Equal("cancelled", Status(Job(details)));
        var step = Steps(details).Single();
        Assert.Contains("cancelled", (string?)step["error"]);
        await site.Api.WaitUntilAsync(() => Task.FromResult(!ProcessAlive(pid)), $"the step's process {pid} to be gone", TimeSpan.FromSeconds(15));
        Assert.Equal("pending", Status(Destinations(details).Single()));

        using var again = await _http.PostAsync($"api/v1/jobs/{Id(job)}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var missing = await _http.PostAsync("api/v1/jobs/NOSUCHJOB/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_open_association_is_listed_with_its_calling_ae_and_instance_count_until_it_is_released()
    {
        using var peer = await RawDicomPeer.ConnectAsync(site.Site.ReceiverPort);
        var accepted = await peer.AssociateAsync("CONDUIT", RawDicomPeer.Verification);
        Assert.NotNull(accepted);

        var open = await AssociationsAsync();
        var mine = open.Single(a => (string?)a["callingAeTitle"] == RawDicomPeer.CallingAe);
        Assert.Equal("CONDUIT", (string?)mine["calledAeTitle"]);
        Assert.Equal(0, (int)mine["instancesStored"]!);
        Assert.StartsWith("127.0.0.1:", (string?)mine["peer"]);

        Assert.True(await peer.ReleaseAsync());
        await site.Api.WaitUntilAsync(async () => (await AssociationsAsync()).All(a => (string?)a["callingAeTitle"] != RawDicomPeer.CallingAe),
            "the released association to leave the list", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_job_list_pages_by_job_older_and_newer_through_its_link_header()
    {
        var (study, jobs) = await site.ThreeJobStudyAsync();

        var newest = await JobPageAsync($"api/v1/jobs?study={study}&limit=2");
        Assert.Equal(jobs.Take(2), newest.Ids);
        Assert.Equal(["next"], newest.Links.Keys);
        var older = await JobPageAsync(newest.Links["next"]);
        Assert.Equal(jobs.Skip(2), older.Ids);
        Assert.Equal(["prev"], older.Links.Keys);
        // The link keeps the filter and the page size, and moves the cursor to the last job on the page.
        Assert.Equal($"/api/v1/jobs?study={study}&limit=2&before={jobs[1]}", newest.Links["next"]);
        var back = await JobPageAsync(older.Links["prev"]);
        Assert.Equal(jobs.Take(2), back.Ids);
        Assert.Equal(["next"], back.Links.Keys);
        // Past the end: an empty page that links to the newest.
        var beyond = await JobPageAsync($"api/v1/jobs?study={study}&before={jobs[2]}");
        Assert.Empty(beyond.Ids);
        Assert.Equal($"/api/v1/jobs?study={study}", beyond.Links["first"]);
    }

    [Theory]
    [InlineData("limit=0", "Bad page size")]
    [InlineData("limit=1001", "Bad page size")]
    [InlineData("before=no-such-job", "Bad page cursor")]
    [InlineData("before=a&after=b", "Bad page cursor")]
    [InlineData("status=lost", "Unknown job status")]
    public async Task A_bad_paging_value_is_a_400_problem_that_says_what_is_wrong(string query, string title)
    {
        using var response = await _http.GetAsync("api/v1/jobs?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]);
    }

    [Fact]
    public async Task A_limit_that_is_not_a_number_is_a_400()
    {
        using var response = await _http.GetAsync("api/v1/jobs?limit=many");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<(IReadOnlyList<string> Ids, Dictionary<string, string> Links)> JobPageAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = (await response.Content.ReadFromJsonAsync<JsonArray>())!.Select(j => Id(j!)).ToList();
        var links = (response.Headers.TryGetValues("Link", out var values) ? values : [])
            .Select(v => System.Text.RegularExpressions.Regex.Match(v, "^<([^>]*)>; rel=\"([a-z]+)\"$"))
            .ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
        return (ids, links);
    }

    [Fact]
    public async Task An_echoscu_association_is_published_live_and_listed_among_the_recently_ended_with_its_echo()
    {
        var callingAe = "ECHO" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var stream = await ServerSentEvents.OpenAsync(_http, "api/v1/events");

        await site.EchoAsync(callingAe);

        var seen = await stream.ReadUntilAsync(e => e.Name == "association" && (string?)e.Data["name"] == callingAe
            && (string?)e.Data["status"] == "closed", TimeSpan.FromSeconds(30));
        Assert.Contains(seen, e => e.Name == "association" && (string?)e.Data["name"] == callingAe && (string?)e.Data["status"] == "opened");
        var recent = (await _http.GetFromJsonAsync<JsonArray>("api/v1/associations/recent"))!.Select(a => a!.AsObject()).ToList();
        var echo = recent.Single(a => (string?)a["callingAeTitle"] == callingAe);
        Assert.Equal(("CONDUIT", 1, 0), ((string?)echo["calledAeTitle"], (int)echo["echoesAnswered"]!, (int)echo["instancesStored"]!));
        Assert.True(Time(echo, "endedAt") >= Time(echo, "startedAt"), $"{echo}");
        Assert.DoesNotContain(await AssociationsAsync(), a => (string?)a["callingAeTitle"] == callingAe);
    }

    [Fact]
    public async Task Pages_assets_and_the_event_stream_need_credentials()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = site.BaseUri };
        using var page = new HttpRequestMessage(HttpMethod.Get, "/jobs");
        page.Headers.Accept.ParseAdd("text/html");

        using var toLogin = await anonymous.SendAsync(page);
        using var events = await anonymous.GetAsync("api/v1/events");
        using var asset = await anonymous.GetAsync("/assets/app.js");

        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.StartsWith("/login", toLogin.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asset.StatusCode);
    }

    [Fact]
    public async Task Every_page_is_served_with_the_security_headers_and_its_script_module_exists()
    {
        foreach (var page in new[] { "/", "/associations", "/studies", "/jobs", "/jobs/SOMEJOB", "/flows", "/destinations", "/folders" })
        {
            using var response = await _http.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("default-src 'self'; frame-ancestors 'none'", string.Join("", response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
            var module = System.Text.RegularExpressions.Regex.Match(html, "data-page=\"([a-z]+)\"").Groups[1].Value;
            using var script = await _http.GetAsync($"/assets/pages/{module}.js");
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{page}: /assets/pages/{module}.js is {script.StatusCode}");
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Assets_carry_their_media_type_and_an_etag_that_answers_304_and_unknown_paths_are_404()
    {
        using var css = await _http.GetAsync("/assets/dashboard.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", css.Headers.CacheControl?.ToString());
        var etag = css.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/assets/dashboard.css");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await _http.SendAsync(conditional);
        using var svg = await _http.GetAsync("/assets/favicon.svg");
        using var missing = await _http.GetAsync("/assets/nothing-here.js");
        using var escape = await _http.GetAsync("/assets/%2e%2e/conduit.yaml");

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, escape.StatusCode);
    }

    [Fact]
    public async Task The_overview_counts_jobs_by_status_with_dicomflow_numbers_and_the_throughput_has_a_slice_per_minute()
    {
        var overview = (await _http.GetFromJsonAsync<JsonObject>("api/v1/overview"))!;
        var statuses = overview["jobsByStatus"]!.AsArray().ToDictionary(s => (string)s!["status"]!, s => (int)s!["statusCode"]!);
        Assert.Equal(new Dictionary<string, int>
        {
            ["pending"] = 0, ["running"] = 1, ["finished"] = 2, ["sending"] = 3, ["sent"] = 4, ["failed"] = 400, ["cancelled"] = 400,
        }, statuses);
        Assert.NotNull(overview["queue"]!["depth"]);

        var hour = (await _http.GetFromJsonAsync<JsonObject>("api/v1/throughput?range=hour"))!;
        var day = (await _http.GetFromJsonAsync<JsonObject>("api/v1/throughput?range=day"))!;
        using var bad = await _http.GetAsync("api/v1/throughput?range=week");

        Assert.Equal(60, hour["buckets"]!.AsArray().Count);
        Assert.Equal(60, (int)hour["bucketSeconds"]!);
        Assert.Equal(96, day["buckets"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private async Task<int> LiveClientsAsync() => (int)(await _http.GetFromJsonAsync<JsonObject>("api/v1/overview"))!["liveClients"]!;

    private async Task<IReadOnlyList<JsonObject>> AssociationsAsync() =>
        (await _http.GetFromJsonAsync<JsonArray>("api/v1/associations"))!.Select(a => a!.AsObject()).ToList();

    private static bool ProcessAlive(int pid)
    {
        // A zombie (exited, not yet reaped) counts as gone: its program no longer runs.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();
}
