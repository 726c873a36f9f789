namespace Conduit.Pipeline.Configuration;

/// <summary><c>http:</c> the HTTP API (and later the dashboard and ingestion endpoints).</summary>
public sealed class HttpOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Absolute http:// or https:// URLs to listen on; loopback only by default, because the API has no authentication yet.</summary>
    public List<string> Urls { get; set; } = [DefaultUrl];
}
