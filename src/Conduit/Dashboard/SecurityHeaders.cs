namespace Conduit.Dashboard;

/// <summary>
/// The headers the contract with authentication puts on every response. Authentication's middleware sets them for the
/// whole application; the dashboard sets them on its own answers too when they are missing, so its pages are never
/// served without them (no inline script or style can run: everything comes from <c>/assets/</c>).
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        if (!headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (!headers.ContainsKey("X-Content-Type-Options")) headers.XContentTypeOptions = "nosniff";
        if (!headers.ContainsKey("Referrer-Policy")) headers["Referrer-Policy"] = "no-referrer";
    }
}
