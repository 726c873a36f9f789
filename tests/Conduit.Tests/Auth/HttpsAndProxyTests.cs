using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Conduit.Tests.Cli;

namespace Conduit.Tests.Auth;

/// <summary>
/// The HTTP side's front door on the real <c>conduit serve</c>: HTTPS from a PEM certificate and key named in
/// conduit.yaml (a self-signed certificate made here, trusted by the test's client only), and X-Forwarded-Proto/-For
/// believed from <c>http.trusted_proxies</c> only, which decides whether the session and CSRF cookies are Secure.
/// </summary>
public sealed partial class HttpsAndProxyTests
{
    private const string Password = "correct-horse-battery";
    private static readonly IPAddress TrustedProxy = IPAddress.Parse("127.0.0.2");
    [Fact]
    public async Task Serve_answers_https_with_the_configured_pem_certificate_and_its_cookies_are_secure()
    {
        using var certificate = SelfSignedCertificate();
        using var site = new AuthSite(scheme: "https", httpSettings: "  certificate: cert.pem\n  certificate_key: key.pem");
        File.WriteAllText(Path.Combine(site.Directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(site.Directory, "key.pem"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await site.AddUserAsync("alice", "operator", Password);
        await site.StartAsync();
        Assert.StartsWith("https://127.0.0.1:", site.HttpUrls.Single());

        // A client trusting only this certificate (as its root) signs in over TLS.
        using var trusting = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { certificate },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        }) { BaseAddress = site.BaseAddress };
        using (var health = await trusting.GetAsync("/healthz")) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var cookies = await SignInAsync(trusting, forwardedProto: null);
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cookies, c => c.StartsWith("conduit.session=", StringComparison.Ordinal));

        // A client with the system's trust store refuses the unknown certificate: this is TLS with our certificate.
        using var stranger = new HttpClient { BaseAddress = site.BaseAddress };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => stranger.GetAsync("/healthz"));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.InnerException);
    }

    [Fact]
    public async Task X_Forwarded_Proto_makes_the_cookies_secure_only_from_a_trusted_proxy_and_X_Forwarded_For_names_the_client_only_then()
    {
        using var site = new AuthSite(httpSettings: $"  trusted_proxies: [{TrustedProxy}]");
        await site.AddUserAsync("alice", "operator", Password);
        await site.StartAsync();
        using var direct = Client(site, from: IPAddress.Loopback);
        using var proxy = Client(site, from: TrustedProxy);

        var fromUntrusted = await SignInAsync(direct, forwardedProto: "https", forwardedFor: "203.0.113.7");
        var fromTrusted = await SignInAsync(proxy, forwardedProto: "https", forwardedFor: "203.0.113.9");
        var plainFromTrusted = await SignInAsync(proxy, forwardedProto: "http", forwardedFor: "203.0.113.10");

        Assert.Contains(fromUntrusted, c => c.StartsWith("conduit.session=", StringComparison.Ordinal));
        Assert.All(fromUntrusted, c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(fromTrusted, c => c.StartsWith("conduit.session=", StringComparison.Ordinal));
        Assert.All(fromTrusted, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(plainFromTrusted, c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
        // Each sign-in above began with a wrong password: the log names the proxy's client only when the proxy is trusted.
        Assert.Contains("Failed sign-in for user 'alice' from 127.0.0.1", site.Output);
        Assert.DoesNotContain("203.0.113.7", site.Output);
        Assert.Contains("Failed sign-in for user 'alice' from 203.0.113.9", site.Output);
    }

    [Fact]
    public async Task A_certificate_file_that_is_not_pem_stops_serve_with_the_setting_and_the_file()
    {
        using var site = new AuthSite(scheme: "https", httpSettings: "  certificate: cert.pem");
        File.WriteAllText(Path.Combine(site.Directory, "cert.pem"), "not a certificate\n");

        var run = await ConduitProcess.RunInAsync(site.Directory, null, "serve");

        Assert.Equal(ExitCodes.NetworkFailure, run.ExitCode);
        Assert.Contains("error: conduit serve cannot start: http.certificate: cannot load the PEM certificate cert.pem:", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// GET /login, a wrong password, then the right one, as a browser behind a proxy would (cookies carried by hand:
    /// a Secure cookie is not sent back over plain HTTP by a cookie container). Returns the cookies set on the way.
    /// </summary>
    private static async Task<IReadOnlyList<string>> SignInAsync(HttpClient client, string? forwardedProto, string? forwardedFor = null)
    {
        var set = new List<string>();
        var formToken = "";
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string password = "")
        {
            var request = new HttpRequestMessage(method, "/login");
            if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
            if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
            var csrf = set.Select(c => c.Split(';')[0]).LastOrDefault(c => c.StartsWith("conduit.csrf=", StringComparison.Ordinal));
            if (csrf is not null) request.Headers.Add("Cookie", csrf);
            if (method == HttpMethod.Post) request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = formToken, ["username"] = "alice", ["password"] = password, ["returnUrl"] = "/",
            });
            var response = await client.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var cookies)) set.AddRange(cookies);
            return response;
        }

        using (var page = await SendAsync(HttpMethod.Get))
        {
            formToken = WebUtility.HtmlDecode(FormToken().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);
        }
        using (var wrong = await SendAsync(HttpMethod.Post, "not-the-password")) Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using (var right = await SendAsync(HttpMethod.Post, Password)) Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        return set;
    }

    /// <summary>A client whose connections come from <paramref name="from"/> (any 127.0.0.0/8 address is this machine).</summary>
    private static HttpClient Client(AuthSite site, IPAddress from) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = site.BaseAddress };

    /// <summary>A self-signed server certificate for 127.0.0.1 (P-256), valid from yesterday to tomorrow.</summary>
    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=conduit test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
