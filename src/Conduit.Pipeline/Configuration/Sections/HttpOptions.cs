namespace Conduit.Pipeline.Configuration;

/// <summary><c>http:</c> the HTTP API, the dashboard and the ingestion endpoints.</summary>
public sealed class HttpOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Absolute http:// or https:// URLs to listen on; loopback by default. While no user exists, serve forces them to loopback.</summary>
    public List<string> Urls { get; set; } = [DefaultUrl];

    /// <summary>PEM file of the certificate (and its chain) served on the https:// URLs; null: no HTTPS.</summary>
    public string? Certificate { get; set; }

    /// <summary>PEM file of the certificate's private key; null: the key is in <see cref="Certificate"/>'s file.</summary>
    public string? CertificateKey { get; set; }

    /// <summary>
    /// Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are
    /// believed; from anyone else those headers are ignored. Empty: believed from nobody.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}
