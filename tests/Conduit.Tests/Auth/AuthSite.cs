using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Conduit.Tests.Cli;
using Conduit.Tests.Serve.Support;
using Conduit.Tests.Support;

namespace Conduit.Tests.Auth;

/// <summary>
/// A Conduit installation for the authentication tests: a temporary folder with <c>conduit.yaml</c> (receiver on a free
/// loopback port, the given HTTP URL), the real <c>conduit</c> CLI run in it (<c>user</c>, <c>token</c>) and
/// <c>conduit serve</c> started there. Dispose stops serve and deletes the folder.
/// </summary>
internal sealed partial class AuthSite : IDisposable
{
    private readonly TempDirectory _directory = new("conduit-auth");
    private ServeProcess? _serve;

    /// <param name="httpHost">The host of the configured HTTP URL (a free port is added).</param>
    /// <param name="scheme">The URL's scheme: http, or https (with <paramref name="httpSettings"/> naming the certificate).</param>
    /// <param name="httpSettings">More keys of the <c>http:</c> section, each line indented by two spaces.</param>
    public AuthSite(string httpHost = "127.0.0.1", string scheme = "http", string httpSettings = "")
    {
        HttpPort = FreePort.Next();
        var receiverPort = FreePort.Next();
        while (receiverPort == HttpPort) receiverPort = FreePort.Next();
        File.WriteAllText(Path.Combine(Directory, "conduit.yaml"), $"""
            receiver:
              port: {receiverPort.ToString(CultureInfo.InvariantCulture)}
              bind: 127.0.0.1
            http:
              urls: [{scheme}://{httpHost}:{HttpPort.ToString(CultureInfo.InvariantCulture)}]
            {httpSettings}
            """);
    }

    public string Directory => _directory.Path;

    public int HttpPort { get; }

    /// <summary>Where serve listens, from its "http on URL" lines (what it printed, not what was configured).</summary>
    public IReadOnlyList<string> HttpUrls => HttpLine().Matches(Serve.Output).Select(m => m.Groups[1].Value).ToList();

    public Uri BaseAddress => new(HttpUrls[0] + "/");

    public ServeProcess Serve => _serve ?? throw new InvalidOperationException("conduit serve was not started");

    public string Output => $"{_serve?.Output}";

    [GeneratedRegex(@"^http on (\S+)$", RegexOptions.Multiline)]
    private static partial Regex HttpLine();

    public async Task StartAsync() => _serve = await ServeProcess.StartAsync(Directory, new Dictionary<string, string>());

    /// <summary>Stops serve gracefully and starts it again on the same folder and ports.</summary>
    public async Task RestartAsync()
    {
        var exit = await Serve.StopAsync();
        Assert.True(exit == 0, $"conduit serve exited with {exit}:\n{Serve.Output}");
        Serve.Dispose();
        await StartAsync();
    }

    /// <summary>Runs <c>conduit ARGS</c> in the site's folder, with <paramref name="standardInput"/> piped in.</summary>
    public async Task<ConduitRun> RunAsync(string? standardInput, params string[] args)
    {
        var run = await ProcessRunner.RunAsync("dotnet", [ConduitProcess.AssemblyPath, .. args], ConduitProcess.DefaultTimeout,
            workingDirectory: Directory, standardInput: standardInput);
        return new ConduitRun(run.ExitCode, run.Stdout, run.Stderr);
    }

    /// <summary><c>conduit user add NAME --role ROLE --password-stdin</c>, required to succeed.</summary>
    public async Task AddUserAsync(string name, string role, string password)
    {
        var run = await RunAsync(password + "\n", "user", "add", name, "--role", role, "--password-stdin");
        Assert.True(run.ExitCode == 0, run.Output);
    }

    /// <summary><c>conduit token create</c>, required to succeed; the token it printed.</summary>
    public async Task<string> CreateTokenAsync(string name, string role)
    {
        var run = await RunAsync(null, "token", "create", "--name", name, "--role", role);
        Assert.True(run.ExitCode == 0, run.Output);
        return run.Stdout.Trim();
    }

    /// <summary>A client that keeps cookies and does not follow redirects (the tests look at them).</summary>
    public HttpClient Browser(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    public void Dispose()
    {
        _serve?.Dispose();
        _directory.Dispose();
    }
}
