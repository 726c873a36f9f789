namespace Conduit.Pipeline.Configuration;

/// <summary><c>http:</c> the HTTP API, the dashboard and the ingestion endpoints.</summary>
public sealed class HttpOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Absolute http:// or https:// URLs to listen on; loopback by default. While no user exists, serve forces them to loopback.</summary>
    public List<string> Urls { get; set; } = [DefaultUrl];
}
