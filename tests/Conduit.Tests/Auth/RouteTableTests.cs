using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Conduit.Auth;
using Conduit.Hosting;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Tests.Auth;

/// <summary>
/// Issue 5, "Must show" 5: the real <c>conduit serve</c> host (in-process, with a user in its database) is asked for
/// every route it maps and every method each accepts; each is requested without credentials and must answer 401,
/// except the few anonymous by design. A new endpoint that forgets authorization, or an AllowAnonymous added
/// anywhere, fails here. Every state-changing endpoint must also refuse a viewer (403).
/// </summary>
public sealed class RouteTableTests : IAsyncLifetime
{
    /// <summary>Anonymous by design (issue 5; AUTH-DASHBOARD-CONTRACT): nothing else may answer without credentials.</summary>
    private static readonly string[] Anonymous = ["GET /healthz", "GET /login", "POST /login", "GET /login.css"];

    /// <summary>Unsafe endpoints any signed-in user may call.</summary>
    private static readonly string[] ForEveryUser = ["POST /logout"];

    private static readonly string[] AnyMethod = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-routes-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private ConduitServer _server = null!;
    private Task<int> _run = Task.FromResult(0);
    private HttpClient _http = null!;
    private string _viewerToken = "";
    private string _operatorToken = "";

    public async Task InitializeAsync()
    {
        var data = Path.Combine(_dir, "data");
        await using (var database = await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = Path.Combine(data, DatabaseOptions.DefaultSqliteFileName) }))
        {
            var store = new SqlAuthStore(database);
            await store.AddUserAsync("olga", ConduitRoles.Operator, PasswordHasher.Hash("olga-password"), CancellationToken.None);
            _viewerToken = ApiTokens.Generate();
            _operatorToken = ApiTokens.Generate();
            await store.AddTokenAsync("viewer", ConduitRoles.Viewer, ApiTokens.Hash(_viewerToken), CancellationToken.None);
            await store.AddTokenAsync("operator", ConduitRoles.Operator, ApiTokens.Hash(_operatorToken), CancellationToken.None);
        }
        var options = new ConduitOptions
        {
            Receiver = { Port = 0, Bind = "127.0.0.1" },
            Http = { Urls = ["http://127.0.0.1:0"] },
            Storage = { DataDirectory = data },
            Flows = { Directory = Directory.CreateDirectory(Path.Combine(_dir, "flows")).FullName, StaticDirectory = _dir },
            Logging = { Level = LogLevel.Warning },
        };
        _server = new ConduitServer(options, NullLoggerFactory.Instance);
        var http = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Ready += line =>
        {
            if (line.StartsWith("http on ", StringComparison.Ordinal)) http.TrySetResult(line["http on ".Length..]);
        };
        _run = Task.Run(() => _server.RunAsync(_stop.Token));
        var url = await await Task.WhenAny(http.Task, _run.ContinueWith(t => t.IsFaulted ? throw t.Exception! : "", TaskScheduler.Default))
            .WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(string.IsNullOrEmpty(url), "conduit serve stopped before listening");
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        await _stop.CancelAsync();
        await _run.ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Every_endpoint_but_the_anonymous_ones_answers_401_without_credentials()
    {
        var routes = Routes();
        Assert.Contains(routes, r => r.Key == "POST /api/v1/jobs/{id}/retry");
        Assert.Contains(routes, r => r.Key == "POST /dicomweb/studies");
        Assert.Contains(routes, r => r.Key == "GET /api/v1/session");

        var wrong = new List<string>();
        foreach (var route in routes)
        {
            var status = await SendAsync(route, null, "application/json");
            var anonymous = Anonymous.Contains(route.Key);
            if (anonymous == (status == HttpStatusCode.Unauthorized))
                wrong.Add($"{route.Key} ({route.Method} {route.Url}) answered {(int)status} without credentials{(anonymous ? " but is anonymous by design" : "")}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.All(Anonymous, a => Assert.Contains(routes, r => r.Key == a));
    }

    [Fact]
    public async Task A_path_no_endpoint_maps_is_behind_the_fallback_policy_too()
    {
        // Middleware that serves without an endpoint (static files, say) must sit after authorization: then the
        // fallback policy covers it, and an unknown path says 401 before 404.
        foreach (var path in new[] { "/no-such-page", "/assets/no-such-file.js", "/api/v1/no-such-resource" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await _http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public void Only_the_designed_anonymous_endpoints_carry_AllowAnonymous()
    {
        var marked = Routes().Where(r => r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(r => r.Key).Order();
        Assert.Equal(Anonymous.Order(), marked);
    }

    [Fact]
    public async Task A_browser_page_request_without_credentials_is_redirected_to_the_login_page()
    {
        var wrong = new List<string>();
        foreach (var route in Routes().Where(r => r.Method == "GET" && !Anonymous.Contains(r.Key)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, route.Url);
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var location = response.Headers.Location?.OriginalString ?? "";
            if (response.StatusCode != HttpStatusCode.Redirect || !location.StartsWith("/login?returnUrl=", StringComparison.Ordinal))
                wrong.Add($"{route.Key} answered {(int)response.StatusCode} {location}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Every_state_changing_endpoint_refuses_a_viewer_and_lets_an_operator_through()
    {
        var unsafeRoutes = Routes().Where(r => r.Method != "GET" && r.Method != "HEAD" && !Anonymous.Contains(r.Key) && !ForEveryUser.Contains(r.Key)).ToList();
        Assert.NotEmpty(unsafeRoutes);

        var wrong = new List<string>();
        foreach (var route in unsafeRoutes)
        {
            var asViewer = await SendAsync(route, new AuthenticationHeaderValue("Bearer", _viewerToken), "application/json");
            var asOperator = await SendAsync(route, new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes("script:" + _operatorToken))), "application/json");
            if (asViewer != HttpStatusCode.Forbidden) wrong.Add($"{route.Key}: a viewer got {(int)asViewer}, not 403");
            if (asOperator is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) wrong.Add($"{route.Key}: an operator got {(int)asOperator}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private sealed record Route(string Key, string Method, string Url, RouteEndpoint Endpoint);

    /// <summary>Every (method, route) the host maps, with its route parameters filled with plausible values.</summary>
    private List<Route> Routes()
    {
        var endpoints = _server.Web!.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count >= 15, $"only {endpoints.Count} endpoints found");
        return endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? AnyMethod)
                .Select(m => new Route($"{m} {Template(e.RoutePattern)}", m, Fill(e.RoutePattern), e)))
            .ToList();
    }

    private static string Template(RoutePattern pattern) => "/" + (pattern.RawText ?? "").Trim('/');

    private static string Fill(RoutePattern pattern)
    {
        if (pattern.PathSegments.Count == 0) return "/";
        return string.Concat(pattern.PathSegments.Select(segment => "/" + string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => Dummy(parameter),
            _ => throw new InvalidOperationException($"unknown route part in {pattern.RawText}"),
        }))));
    }

    /// <summary>A value each route parameter accepts: a number where constrained to one, else a UID (valid as an id too).</summary>
    private static string Dummy(RoutePatternParameterPart parameter)
    {
        var constraints = string.Join(' ', parameter.ParameterPolicies.Select(p => p.Content ?? ""));
        if (constraints.Contains("int", StringComparison.Ordinal) || constraints.Contains("long", StringComparison.Ordinal)) return "1";
        if (constraints.Contains("guid", StringComparison.Ordinal)) return Guid.Empty.ToString();
        return parameter.IsCatchAll ? "a/b.txt" : "1.2.826.0.1.3680043.2.1125.1";
    }

    private async Task<HttpStatusCode> SendAsync(Route route, AuthenticationHeaderValue? authorization, string accept)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url);
        request.Headers.Authorization = authorization;
        request.Headers.Accept.ParseAdd(accept);
        if (route.Method is not ("GET" or "HEAD" or "DELETE")) request.Content = new ByteArrayContent([]);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
