using System.Net;

namespace Conduit.Hosting;

/// <summary>Rewrites a listen URL to the loopback address, for <c>conduit serve</c> without any user.</summary>
internal static class LoopbackUrls
{
    /// <summary>The URL unchanged when its host is already loopback (127.0.0.0/8, ::1, localhost); else 127.0.0.1 on its port.</summary>
    public static string Force(string url)
    {
        var uri = new Uri(url.Trim());
        if (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))) return url;
        return new UriBuilder(uri) { Host = "127.0.0.1" }.Uri.ToString().TrimEnd('/');
    }
}
