using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Tests.Auth;

/// <summary>
/// Issue 5, authentication, end to end: the real <c>conduit serve</c>, users and tokens made with the real CLI while it
/// runs, and HTTP requests as a browser and as scripts make them.
/// </summary>
public sealed class SignInTests : IDisposable
{
    private const string Password = "correct-horse-battery";
    private readonly AuthSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_user_added_with_the_CLI_signs_in_with_the_right_password_and_is_refused_with_a_wrong_one()
    {
        await _site.StartAsync();
        await _site.AddUserAsync("alice", "operator", Password);
        using var browser = _site.Browser();

        using var anonymous = await browser.GetAsync("/api/v1/session");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var wrong = await LoginForm.PostAsync(browser, "alice", "not-the-password");
        var wrongPage = await wrong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("id=\"login-error\"", wrongPage);
        Assert.Contains("Wrong user name or password", wrongPage);
        Assert.Contains("Failed sign-in for user 'alice' from 127.0.0.1", _site.Output);
        Assert.DoesNotContain("not-the-password", _site.Output);

        using var right = await LoginForm.PostAsync(browser, "alice", Password, returnUrl: "/jobs");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/jobs", right.Headers.Location?.OriginalString);
        var session = await LoginForm.SessionAsync(browser);
        Assert.Equal("alice", session.GetProperty("user").GetString());
        Assert.Equal("operator", session.GetProperty("role").GetString());
        Assert.True(session.GetProperty("authRequired").GetBoolean());
    }

    [Fact]
    public async Task Changing_a_password_or_removing_a_user_with_the_CLI_ends_their_session()
    {
        await _site.AddUserAsync("alice", "operator", Password);
        await _site.AddUserAsync("bob", "viewer", Password);
        await _site.StartAsync();
        using var alice = _site.Browser();
        using var bob = _site.Browser();
        using (var login = await LoginForm.PostAsync(alice, "alice", Password)) Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using (var login = await LoginForm.PostAsync(bob, "bob", Password)) Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var passwd = await _site.RunAsync("a-new-password-22\n", "user", "passwd", "alice", "--password-stdin");
        var remove = await _site.RunAsync(null, "user", "remove", "bob");
        var list = await _site.RunAsync(null, "user", "list");

        Assert.True(passwd.ExitCode == 0, passwd.Output);
        Assert.True(remove.ExitCode == 0, remove.Output);
        Assert.Contains("alice", list.Stdout);
        Assert.DoesNotContain("bob", list.Stdout);
        using (var session = await alice.GetAsync("/api/v1/session")) Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        using (var session = await bob.GetAsync("/api/v1/session")) Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        using (var old = await LoginForm.PostAsync(alice, "alice", Password)) Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        using (var renewed = await LoginForm.PostAsync(alice, "alice", "a-new-password-22")) Assert.Equal(HttpStatusCode.Redirect, renewed.StatusCode);
        var again = await _site.RunAsync(null, "user", "remove", "bob");
        Assert.Equal(ExitCodes.NameConflict, again.ExitCode);
    }

    [Fact]
    public async Task A_session_survives_a_restart_of_serve()
    {
        await _site.AddUserAsync("alice", "viewer", Password);
        await _site.StartAsync();
        using var browser = _site.Browser();
        using (var login = await LoginForm.PostAsync(browser, "alice", Password)) Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        await _site.RestartAsync();

        Assert.Equal("alice", (await LoginForm.SessionAsync(browser)).GetProperty("user").GetString());
    }

    [Fact]
    public async Task A_login_never_redirects_off_site()
    {
        await _site.AddUserAsync("alice", "viewer", Password);
        await _site.StartAsync();
        using var browser = _site.Browser();

        using var response = await LoginForm.PostAsync(browser, "alice", Password, returnUrl: "//evil.example/steal");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_token_from_the_CLI_works_as_Bearer_and_as_Basic_password_until_revoked()
    {
        await _site.AddUserAsync("alice", "operator", Password);
        await _site.StartAsync();
        var token = await _site.CreateTokenAsync("ci", "viewer");
        Assert.StartsWith("cdt_", token);
        using var http = new HttpClient { BaseAddress = _site.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/api/v1/jobs", null));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/api/v1/jobs", new AuthenticationHeaderValue("Bearer", token)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/api/v1/jobs", Basic("any-name", token)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/api/v1/jobs", Basic("alice", Password)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/api/v1/jobs", Basic("alice", "wrong-password")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/api/v1/jobs", new AuthenticationHeaderValue("Bearer", token + "x")));

        var list = await _site.RunAsync(null, "token", "list");
        Assert.Contains("ci", list.Stdout);
        Assert.DoesNotContain(token, list.Stdout);
        var revoke = await _site.RunAsync(null, "token", "revoke", "ci");
        Assert.True(revoke.ExitCode == 0, revoke.Output);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/api/v1/jobs", new AuthenticationHeaderValue("Bearer", token)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/api/v1/jobs", Basic("any-name", token)));
    }

    [Fact]
    public async Task A_viewer_is_forbidden_to_retry_a_job_and_an_operator_is_not()
    {
        await _site.AddUserAsync("vera", "viewer", Password);
        await _site.AddUserAsync("otto", "operator", Password);
        await _site.StartAsync();
        using var http = new HttpClient { BaseAddress = _site.BaseAddress };

        using var asViewer = await PostAsync(http, "/api/v1/jobs/01NOSUCHJOB/retry", Basic("vera", Password));
        using var asOperator = await PostAsync(http, "/api/v1/jobs/01NOSUCHJOB/retry", Basic("otto", Password));

        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        // Past authorization: the job does not exist.
        Assert.Equal(HttpStatusCode.NotFound, asOperator.StatusCode);
    }

    [Fact]
    public async Task A_cookie_POST_needs_the_session_CSRF_token_in_a_header()
    {
        await _site.AddUserAsync("alice", "operator", Password);
        await _site.StartAsync();
        using var browser = _site.Browser();
        using var login = await LoginForm.PostAsync(browser, "alice", Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var csrf = (await LoginForm.SessionAsync(browser)).GetProperty("csrfToken").GetString()!;

        using var without = await browser.PostAsync("/api/v1/files", DicomUpload());
        using var wrong = await browser.SendAsync(WithCsrf(new HttpRequestMessage(HttpMethod.Post, "/api/v1/files") { Content = DicomUpload() }, csrf + "x"));
        using var with = await browser.SendAsync(WithCsrf(new HttpRequestMessage(HttpMethod.Post, "/api/v1/files") { Content = DicomUpload() }, csrf));

        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        Assert.Contains("CSRF", await without.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.True(with.StatusCode == HttpStatusCode.Created, $"{(int)with.StatusCode} {await with.Content.ReadAsStringAsync()}\n{_site.Output}");
    }

    [Fact]
    public async Task A_page_request_without_credentials_is_sent_to_the_login_page_and_an_API_request_gets_401()
    {
        await _site.AddUserAsync("alice", "operator", Password);
        await _site.StartAsync();
        using var browser = _site.Browser();

        using var page = new HttpRequestMessage(HttpMethod.Get, "/jobs?status=failed");
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        using var redirected = await browser.SendAsync(page);
        using var api = await browser.GetAsync("/api/v1/jobs");

        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/login?returnUrl=" + Uri.EscapeDataString("/jobs?status=failed"), redirected.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("default-src 'self'; frame-ancestors 'none'", string.Join(",", api.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", api.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join(",", api.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Without_users_serve_forces_loopback_and_every_request_is_the_local_operator()
    {
        using var site = new AuthSite(httpHost: "0.0.0.0");
        await site.StartAsync();
        using var http = new HttpClient { BaseAddress = site.BaseAddress };

        Assert.Equal([$"http://127.0.0.1:{site.HttpPort}"], site.HttpUrls);
        Assert.Contains("conduit user add NAME --role operator", site.Output);
        var session = await LoginForm.SessionAsync(http);
        Assert.Equal("local", session.GetProperty("user").GetString());
        Assert.Equal("operator", session.GetProperty("role").GetString());
        Assert.False(session.GetProperty("authRequired").GetBoolean());
        using var upload = await http.PostAsync("/api/v1/files", DicomUpload());
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        // The first user ends the mode at once, without a restart.
        await site.AddUserAsync("alice", "operator", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/api/v1/jobs", null));
    }

    private static ByteArrayContent DicomUpload()
    {
        var content = new ByteArrayContent(File.ReadAllBytes(Samples.Get("dicomdir/pydicom-dicomdirtests/TINY_ALPHA/PT000000/ST000000/SE000000/IM000000").FullPath));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        return content;
    }

    private static HttpRequestMessage WithCsrf(HttpRequestMessage request, string token)
    {
        request.Headers.Add("X-CSRF-TOKEN", token);
        return request;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, AuthenticationHeaderValue authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent([]) };
        request.Headers.Authorization = authorization;
        return http.SendAsync(request);
    }
}
