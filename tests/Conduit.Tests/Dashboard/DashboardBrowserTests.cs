using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Conduit.Tests.Serve.Support.ServeApi;
using static Microsoft.Playwright.Assertions;

namespace Conduit.Tests.Dashboard;

/// <summary>
/// Issue 5, "must show" 1: the dashboard in Debian's Chromium against a real <c>conduit serve</c> (shared with
/// <see cref="DashboardApiTests"/>): sign in, see a series sent with dcmtk's storescu appear and its job reach "sent"
/// without a reload, read a step's log on the job page, retry a failed job, and a wrong password refused.
/// Screenshots of the overview and a job page go to <c>artifacts/screenshots/</c>.
/// </summary>
[Collection(DashboardSite.Name)]
public sealed partial class DashboardBrowserTests(DashboardSite site) : IAsyncLifetime
{
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 60_000 };
    private ChromiumBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await ChromiumBrowser.LaunchAsync(site.BaseUri);

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_series_sent_with_storescu_appears_and_its_job_reaches_sent_without_a_reload_and_its_page_shows_the_step_log()
    {
        var studies = await _browser.NewPageAsync();
        await SignInAsync(studies);
        await studies.GotoAsync("/studies");
        var jobs = await _browser.NewPageAsync();
        await jobs.GotoAsync("/jobs");
        foreach (var page in new[] { studies, jobs })
        {
            await Expect(page.Locator("#live-status")).ToHaveTextAsync("Live");
            await MarkAsync(page);
        }

        var series = site.NewSeries("Live", count: 5);
        await site.Site.SendAsync(series);

        var study = studies.Locator($"[data-study='{series.StudyInstanceUid}']");
        await Expect(study).ToBeVisibleAsync();
        await study.GetByRole(AriaRole.Button, new() { NameRegex = ShowSeries() }).ClickAsync();
        var row = study.Locator($"[data-series='{series.SeriesInstanceUid}']");
        await Expect(row).ToContainTextAsync("Live");
        await Expect(study.Locator(".study-instances")).ToHaveTextAsync("5");
        var jobId = Id(await site.Api.WaitForJobAsync(series.StudyInstanceUid));
        var jobRow = jobs.Locator($"tr[data-job='{jobId}']");
        await Expect(jobRow.Locator(".status")).ToHaveTextAsync("sent", Slow);
        await Expect(jobRow).ToContainTextAsync("live 1");
        await AssertNotReloadedAsync(studies);
        await AssertNotReloadedAsync(jobs);

        await jobRow.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(jobs).ToHaveURLAsync(new Regex($"/jobs/{jobId}$"));
        await Expect(jobs.Locator("#job-status .status")).ToHaveTextAsync("sent");
        var step = jobs.Locator("[data-step='live-step']");
        await step.Locator("summary").ClickAsync();
        await Expect(step.Locator(".log-tail")).ToBeVisibleAsync();
        await Expect(step.Locator(".log-tail")).ToContainTextAsync(DashboardSite.StepLine);
        await Expect(step.Locator(".exit-code")).ToHaveTextAsync("0");
        await Expect(jobs.Locator("#destinations-table")).ToContainTextAsync("live-folder");
        await jobs.ScreenshotAsync(new() { Path = Screenshots.PathFor("job"), FullPage = true });

        var overview = await _browser.NewPageAsync();
        await overview.GotoAsync("/");
        await Expect(overview.Locator("#jobs-by-status strong[data-status='sent']")).Not.ToHaveTextAsync("0");
        await Expect(overview.Locator("svg.chart")).ToBeVisibleAsync();
        await Expect(overview.Locator("svg.chart rect.bar-instances").First).ToBeVisibleAsync();
        await overview.ScreenshotAsync(new() { Path = Screenshots.PathFor("overview"), FullPage = true });
        Assert.True(_browser.Errors.Count == 0, string.Join("\n", _browser.Errors));
    }

    [Fact]
    public async Task A_failed_job_is_retried_from_its_page_and_reaches_sent_once_its_step_can_succeed()
    {
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        var series = site.NewSeries("Gate", count: 2);
        await site.Site.SendAsync(series);
        var jobId = Id(await site.Api.WaitForJobAsync(series.StudyInstanceUid, j => Status(j) == "failed"));

        await page.GotoAsync($"/jobs/{jobId}");
        await Expect(page.Locator("#job-status .status")).ToHaveTextAsync("failed");
        await Expect(page.Locator("[data-step='gate-step'] .log-tail")).ToContainTextAsync("gate file missing");
        await Expect(page.Locator("[data-step='gate-step'] .exit-code")).ToHaveTextAsync("4");
        await Expect(page.Locator("#cancel-job")).ToBeDisabledAsync();
        await MarkAsync(page);

        await File.WriteAllTextAsync(site.GateFile, "open");
        await page.Locator("#retry-job").ClickAsync();

        await Expect(page.Locator("#action-message")).ToContainTextAsync("Retry requested");
        await Expect(page.Locator("#job-status .status")).ToHaveTextAsync("sent", Slow);
        await Expect(page.Locator("[data-step='gate-step'] .exit-code")).ToHaveTextAsync("0");
        await Expect(page.Locator("#retry-job")).ToBeDisabledAsync();
        await AssertNotReloadedAsync(page);
        Assert.True(_browser.Errors.Count == 0, string.Join("\n", _browser.Errors));
    }

    [Fact]
    public async Task The_jobs_page_shows_a_page_of_jobs_and_its_older_and_newer_links_move_between_pages()
    {
        var (study, jobs) = await site.ThreeJobStudyAsync();
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync($"/jobs?study={study}&limit=2");
        var rows = page.Locator("#jobs-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal(jobs.Take(2), await RowJobsAsync(rows));
        await Expect(page.Locator("a#jobs-newer")).ToHaveCountAsync(0);

        await page.Locator("a#jobs-older").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"before={jobs[1]}"));
        await Expect(rows).ToHaveCountAsync(1);
        Assert.Equal(jobs.Skip(2), await RowJobsAsync(rows));
        await Expect(page.Locator("a#jobs-older")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("jobs-older-page"), FullPage = true });

        await page.Locator("a#jobs-newer").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"after={jobs[2]}"));
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal(jobs.Take(2), await RowJobsAsync(rows));
        Assert.True(_browser.Errors.Count == 0, string.Join("\n", _browser.Errors));
    }

    [Fact]
    public async Task A_job_made_and_sent_while_the_jobs_page_fetches_its_list_appears_without_a_reload()
    {
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        var series = site.NewSeries("Live", count: 1);
        var jobId = "";
        var fetches = 0;
        // The page's first fetch of the list is answered from the server and then held while a job is made and runs
        // to "sent": every change of that job is committed after the snapshot and before the page has drawn it. A page
        // that listened to the change feed only after drawing would miss them all and show the empty snapshot for good.
        await page.RouteAsync(url => url.Contains("/api/v1/jobs?", StringComparison.Ordinal) && url.Contains(series.StudyInstanceUid, StringComparison.Ordinal), async route =>
        {
            if (Interlocked.Increment(ref fetches) != 1)
            {
                await route.ContinueAsync();
                return;
            }
            var snapshot = await route.FetchAsync();
            await site.Site.SendAsync(series);
            jobId = Id(await site.Api.WaitForJobAsync(series.StudyInstanceUid, j => Status(j) == "sent"));
            await route.FulfillAsync(new() { Response = snapshot });
        });

        // The held fetch may last while the job runs: wait for the navigation only, then for the page to be drawn.
        await page.GotoAsync($"/jobs?study={series.StudyInstanceUid}", new() { WaitUntil = WaitUntilState.Commit });

        await Expect(page.Locator("#page")).ToHaveAttributeAsync("aria-busy", "false", new() { Timeout = 60_000 });
        await MarkAsync(page);
        Assert.NotEqual("", jobId);
        await Expect(page.Locator($"tr[data-job='{jobId}'] .status")).ToHaveTextAsync("sent", new() { Timeout = 15_000 });
        Assert.True(fetches >= 2, $"the list was fetched {fetches} time(s)");
        await AssertNotReloadedAsync(page);
        Assert.True(_browser.Errors.Count == 0, string.Join("\n", _browser.Errors));
    }

    private static async Task<IReadOnlyList<string?>> RowJobsAsync(ILocator rows) =>
        [.. await Task.WhenAll((await rows.AllAsync()).Select(r => r.GetAttributeAsync("data-job")))];

    [Fact]
    public async Task An_echo_from_echoscu_appears_on_the_associations_page_without_a_reload()
    {
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync("/associations");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("Live");
        await MarkAsync(page);
        var callingAe = "ECHO" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        await site.EchoAsync(callingAe);

        var row = page.Locator($"#ended-associations tr[data-calling-ae='{callingAe}']");
        await Expect(row.Locator(".echoes")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        await Expect(row).ToContainTextAsync("CONDUIT");
        await AssertNotReloadedAsync(page);
        Assert.True(_browser.Errors.Count == 0, string.Join("\n", _browser.Errors));
    }

    [Fact]
    public async Task The_flows_page_shows_each_flow_valid_with_its_yaml_and_a_flow_file_made_invalid_appears_without_a_reload()
    {
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync("/flows");
        var live = page.Locator("article[data-flow='live']");
        await Expect(live.Locator(".status")).ToHaveTextAsync("valid");
        await live.Locator("details.yaml summary").ClickAsync();
        await Expect(live.Locator("details.yaml pre")).ToContainTextAsync("SeriesDescription: \"^Live$\"");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("Live");
        await MarkAsync(page);

        site.Site.WriteFlow("broken.yaml", "name: broken\npriority: 9\nsteps: nope\n");

        var broken = page.Locator("article.flow-invalid");
        await Expect(broken.Locator("h2")).ToContainTextAsync("broken.yaml", new() { Timeout = 30_000 });
        await Expect(broken.Locator(".status")).ToHaveTextAsync("invalid");
        await Expect(broken.Locator(".errors li").First).ToContainTextAsync("broken.yaml:");
        await AssertNotReloadedAsync(page);
        File.Delete(Path.Combine(site.Site.FlowsDirectory, "broken.yaml"));
        Assert.True(_browser.Errors.Count == 0, string.Join("\n", _browser.Errors));
    }

    [Fact]
    public async Task Every_page_renders_its_content_without_an_error_and_signing_out_closes_the_dashboard()
    {
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        foreach (var (path, name, content) in new[]
        {
            ("/associations", "associations", "#page p, #page table"),
            ("/studies", "studies", "#study-results p"),
            ("/jobs", "jobs", "#job-results table, #job-results .empty"),
            ("/flows", "flows", "article.flow"),
            ("/destinations", "destinations", "#destinations-table"),
            ("/folders", "folders", "#page .empty, #page article"),
        })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("#page")).ToHaveAttributeAsync("aria-busy", "false");
            await Expect(page.Locator(content).First).ToBeVisibleAsync();
            await Expect(page.Locator("#page .error")).ToHaveCountAsync(0);
            await Expect(page.Locator($"nav a[aria-current='page']")).ToHaveAttributeAsync("href", path);
            await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("page-" + name), FullPage = true });
        }
        Assert.True(_browser.Errors.Count == 0, string.Join("\n", _browser.Errors));

        // Signing out (a CSRF-checked POST) ends the session: the dashboard sends the browser back to the login page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await page.GotoAsync("/jobs");
        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?returnUrl=%2Fjobs$"));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_dashboard_stays_closed()
    {
        var page = await _browser.NewPageAsync();
        var login = await page.GotoAsync("/jobs");
        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?returnUrl=%2Fjobs$"));

        await page.Locator("#username").FillAsync(site.Credentials.User);
        await page.Locator("#password").FillAsync("not-the-password");
        var answer = await page.RunAndWaitForResponseAsync(() => page.Locator("#login-submit").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/login", StringComparison.Ordinal));

        Assert.Equal(401, answer.Status);
        await Expect(page.Locator("#login-error")).ToHaveTextAsync(new Regex("Wrong user name or password"));
        await page.GotoAsync("/jobs");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        Assert.NotNull(login);
        // The refused sign-in is the only failed request (401), and nothing failed on the pages.
        Assert.True(_browser.Errors.All(e => e.Contains("HTTP 401 for POST", StringComparison.Ordinal)), string.Join("\n", _browser.Errors));
    }

    /// <summary>Signs in through the login page (an operator exists on the site, so sign-in is enforced).</summary>
    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/login");
        await page.Locator("#username").FillAsync(site.Credentials.User);
        await page.Locator("#password").FillAsync(site.Credentials.Password);
        await page.Locator("#login-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/$"));
        await Expect(page.Locator("#session-user")).ToHaveTextAsync($"{site.Credentials.User} (operator)");
    }

    /// <summary>A mark in the page's window: a reload or a navigation would lose it.</summary>
    private static Task MarkAsync(IPage page) => page.EvaluateAsync("() => { window.conduitTestMark = 'not reloaded'; }");

    private static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.Equal("not reloaded", await page.EvaluateAsync<string?>("() => window.conduitTestMark ?? null"));

    [GeneratedRegex("series", RegexOptions.IgnoreCase)]
    private static partial Regex ShowSeries();
}
