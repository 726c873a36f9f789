using Microsoft.Playwright;

namespace Conduit.Tests.Dashboard;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by test.sh) driven by Playwright, headless, with a fresh
/// profile folder that Dispose deletes; nothing is downloaded (no <c>playwright install</c>). Console errors and page
/// errors of every page are collected, and failed requests: a Content-Security-Policy violation shows up there.
/// </summary>
internal sealed class ChromiumBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;
    private readonly DirectoryInfo _profile;
    private readonly List<string> _errors = [];

    private ChromiumBrowser(IPlaywright playwright, DirectoryInfo profile, IBrowserContext context)
    {
        _playwright = playwright;
        _profile = profile;
        Context = context;
    }

    public IBrowserContext Context { get; }

    /// <summary>Console errors and uncaught page errors so far, each with the page's URL.</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return [.. _errors]; }
    }

    public static async Task<ChromiumBrowser> LaunchAsync(Uri baseUri)
    {
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("conduit-chromium-");
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                BaseURL = baseUri.ToString(),
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
                Timeout = 60_000,
            });
            var browser = new ChromiumBrowser(playwright, profile, context);
            context.Page += (_, page) => browser.Watch(page);
            foreach (var page in context.Pages) browser.Watch(page);
            return browser;
        }
        catch
        {
            playwright.Dispose();
            profile.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>A new tab.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var page = await Context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    private void Watch(IPage page)
    {
        page.Console += (_, message) =>
        {
            // A failed request is logged as "Failed to load resource" without its URL: the Response handler records it with one.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                lock (_errors) _errors.Add($"{page.Url}: console error: {message.Text}");
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                lock (_errors) _errors.Add($"{page.Url}: HTTP {response.Status} for {response.Request.Method} {response.Url}");
        };
        page.PageError += (_, error) =>
        {
            lock (_errors) _errors.Add($"{page.Url}: page error: {error}");
        };
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Context.CloseAsync();
        }
        finally
        {
            _playwright.Dispose();
            try
            {
                _profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be writing its last files; the folder is in /tmp.
            }
        }
    }
}
