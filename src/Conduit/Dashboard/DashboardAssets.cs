using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Conduit.Dashboard;

/// <summary>
/// The dashboard's files, embedded in the assembly (<c>Dashboard/Assets/**</c>, logical names <c>dashboard/…</c>) and
/// read once at start. Every answer carries an ETag (RFC 9110 §8.8.3) and <c>Cache-Control: no-cache</c>: browsers keep
/// their copy and revalidate it, so a new Conduit never runs with an old script, and an unchanged file costs a 304.
/// </summary>
internal sealed class DashboardAssets
{
    private const string ResourcePrefix = "dashboard/";
    private const string PageTemplate = "page.html";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".json"] = "application/json",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, EmbeddedAsset> _assets;
    private readonly FrozenDictionary<string, EmbeddedAsset> _pages;

    private DashboardAssets(FrozenDictionary<string, EmbeddedAsset> assets, FrozenDictionary<string, EmbeddedAsset> pages)
    {
        _assets = assets;
        _pages = pages;
    }

    public static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
            files[name[ResourcePrefix.Length..].Replace('\\', '/')] = Read(assembly, name);
        if (!files.TryGetValue(PageTemplate, out var template))
            throw new InvalidOperationException($"the dashboard's {PageTemplate} is not embedded in {assembly.GetName().Name}");

        var assets = files.Where(f => f.Key != PageTemplate && ContentTypes.ContainsKey(System.IO.Path.GetExtension(f.Key)))
            .ToFrozenDictionary(f => f.Key, f => Asset(f.Key, f.Value), StringComparer.Ordinal);
        var text = Encoding.UTF8.GetString(template);
        var pages = DashboardPage.All.ToFrozenDictionary(p => p.Module, p => Asset(p.Module + ".html", Encoding.UTF8.GetBytes(
            text.Replace("{{title}}", p.Title, StringComparison.Ordinal).Replace("{{page}}", p.Module, StringComparison.Ordinal))), StringComparer.Ordinal);
        return new DashboardAssets(assets, pages);
    }

    public IEnumerable<string> AssetPaths => _assets.Keys;

    public IResult Page(HttpContext context, DashboardPage page) => Serve(context, _pages[page.Module]);

    public IResult Asset(HttpContext context, string path) =>
        _assets.TryGetValue(path, out var asset) ? Serve(context, asset) : TypedResults.NotFound();

    private static IResult Serve(HttpContext context, EmbeddedAsset asset)
    {
        // The security headers (CSP default-src 'self', nosniff, no referrer) are set for every response by Auth/AuthSetup.
        var response = context.Response;
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = asset.ETag;
        var conditions = context.Request.GetTypedHeaders().IfNoneMatch;
        if (conditions.Any(tag => tag.Tag == asset.ETag || tag.Equals(EntityTagHeaderValue.Any)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static EmbeddedAsset Asset(string path, byte[] content) =>
        new(path, ContentTypes[System.IO.Path.GetExtension(path)], content, $"\"{Convert.ToHexStringLower(SHA256.HashData(content), 0, 12)}\"");

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
