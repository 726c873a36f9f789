using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Conduit.Pipeline.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;

namespace Conduit.Hosting;

/// <summary>
/// How requests reach the HTTP side: TLS on the <c>https://</c> URLs with the PEM certificate of <c>http.certificate</c>,
/// and the client's address and scheme from <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> when, and only when, the
/// connection comes from one of <c>http.trusted_proxies</c>. Behind a TLS-terminating proxy the request then counts as
/// https, so the session and CSRF cookies (secure policy "same as request") are marked Secure; from anyone else the
/// headers are ignored, so a client cannot pose as another address or scheme.
/// </summary>
internal static class HttpFrontDoor
{
    public static void Configure(WebApplicationBuilder builder, HttpOptions http)
    {
        var certificate = LoadCertificate(http);
        builder.WebHost.UseKestrel(kestrel =>
        {
            if (certificate is not null) kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
        });
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET trusts loopback by default; here only what the configuration names.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in http.TrustedProxies)
            {
                if (IPAddress.TryParse(proxy, out var address)) forwarded.KnownProxies.Add(address);
                else forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
            // A chain of trusted proxies is unwound hop by hop; the walk stops at the first sender not trusted.
            forwarded.ForwardLimit = null;
        });
    }

    /// <summary>The certificate with its private key, or null without <c>http.certificate</c>.</summary>
    private static X509Certificate2? LoadCertificate(HttpOptions http)
    {
        if (http.Certificate is not { } certificatePath) return null;
        try
        {
            return X509Certificate2.CreateFromPemFile(Path.GetFullPath(certificatePath),
                http.CertificateKey is { } keyPath ? Path.GetFullPath(keyPath) : null);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            var files = http.CertificateKey is null ? certificatePath : $"{certificatePath} with the key {http.CertificateKey}";
            throw new ServeException($"http.certificate: cannot load the PEM certificate {files}: {ex.Message}");
        }
    }
}
