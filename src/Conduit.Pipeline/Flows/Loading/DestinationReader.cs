using Conduit.Pipeline.Configuration.Values;
using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Model;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>Reads a Conduit flow's <c>destinations:</c> and <c>webhooks:</c> lists.</summary>
internal static class DestinationReader
{
    private static readonly string[] Common = ["name", "type", "retries", "backoff"];
    private static readonly Dictionary<string, string[]> ByType = new(StringComparer.Ordinal)
    {
        ["dicom"] = ["host", "port", "called_ae", "calling_ae"],
        ["folder"] = ["path"],
        ["dicomweb"] = ["url", "auth", "max_instances", "max_request_size", "timeout"],
    };

    public static IReadOnlyList<DestinationDefinition> ReadList(YamlNode? node, string path, FlowReadContext context)
    {
        var result = new List<DestinationDefinition>();
        if (node is null || node is YamlScalarNode s && s.IsNull()) return result;
        if (node is not YamlSequenceNode list)
        {
            context.Error(node, path, "expected a list of destinations");
            return result;
        }
        var index = 0;
        foreach (var item in list.Children)
        {
            var itemPath = $"{path}[{index++}]";
            if (Read(item, itemPath, context, index) is { } d)
            {
                if (result.Any(x => x.Name == d.Name)) context.Error(item, itemPath, $"a second destination named '{d.Name}'; give each a unique name");
                else result.Add(d);
            }
        }
        return result;
    }

    private static DestinationDefinition? Read(YamlNode node, string path, FlowReadContext context, int index)
    {
        var type = (node as YamlMappingNode)?.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: "type" }).Value is YamlScalarNode t ? t.Value : null;
        var allowed = Common.Concat(type is not null && ByType.TryGetValue(type, out var specific) ? specific : ByType.Values.SelectMany(v => v).Distinct()).ToArray();
        var r = MapReader.Open(node, path, context, allowed, "a destination");
        if (r is null) return null;
        var typeText = r.String("type", required: true);
        if (typeText is null) return null;
        if (!ByType.ContainsKey(typeText))
        {
            r.Error("type", $"'{typeText}' is not a destination type (dicom, folder or dicomweb)");
            return null;
        }
        var name = r.String("name") ?? $"{typeText}-{index}";
        if (!StepReader.NamePattern().IsMatch(name)) r.Error("name", $"'{name}' is not a destination name (letters, digits, '.', '_', '-')");
        var retry = new RetryOverride(r.Int("retries", 0, 100, "a number from 0 to 100"), r.Duration("backoff"));
        var location = node.LocationOf(context.DisplayPath);

        switch (typeText)
        {
            case "dicom":
            {
                var host = r.String("host", required: true);
                var port = r.Int("port", 1, 65535, "a port (1-65535)");
                if (!r.Has("port")) context.Error(node, path, "'port' is required");
                var called = AeTitle(r, "called_ae", required: true);
                var calling = AeTitle(r, "calling_ae", required: false);
                if (host is null || port is null || called is null) return null;
                return new DicomDestinationDefinition { Name = name, Host = host, Port = port.Value, CalledAeTitle = called, CallingAeTitle = calling, Retry = retry, Location = location };
            }
            case "folder":
            {
                var folder = r.String("path", required: true);
                if (folder is null) return null;
                if (folder.Trim().Length == 0 || folder.Contains('\0', StringComparison.Ordinal)) { r.Error("path", "expected a folder path"); return null; }
                return new FolderDestinationDefinition { Name = name, Path = folder, Retry = retry, Location = location };
            }
            default:
            {
                var urlText = r.String("url", required: true);
                var auth = Auth(r.Value("auth"), r.PathOf("auth"), context);
                var maxInstances = r.Int("max_instances", 1, 10_000, "a number of instances from 1 to 10000");
                long? maxBytes = null;
                if (r.String("max_request_size") is { } sizeText)
                {
                    if (ByteSizes.TryParse(sizeText, out var bytes) && bytes >= 1024) maxBytes = bytes;
                    else r.Error("max_request_size", $"{MapReader.Quote(sizeText)} is not a size of at least 1k ({ByteSizes.Examples})");
                }
                var timeout = r.Duration("timeout");
                if (urlText is null) return null;
                if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    r.Error("url", $"'{urlText}' is not an absolute http:// or https:// URL");
                    return null;
                }
                if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
                {
                    r.Error("url", $"'{urlText}' must be the DICOMweb base URL alone: no query, fragment or user:password@ (credentials go in 'auth')");
                    return null;
                }
                return new DicomWebDestinationDefinition
                {
                    Name = name, Url = url, Auth = auth, Retry = retry, Location = location,
                    MaxInstances = maxInstances ?? DicomWebDestinationDefinition.DefaultMaxInstances,
                    MaxRequestBytes = maxBytes ?? DicomWebDestinationDefinition.DefaultMaxRequestBytes,
                    Timeout = timeout ?? DicomWebDestinationDefinition.DefaultTimeout,
                };
            }
        }
    }

    private static string? AeTitle(MapReader r, string key, bool required)
    {
        var text = r.String(key, required);
        if (text is null) return null;
        if (AeTitles.Problem(text) is { } problem)
        {
            r.Error(key, problem);
            return null;
        }
        return text.Trim();
    }

    /// <summary>
    /// <c>auth:</c> as <c>{type: basic, username: u, password_env: V}</c>, or keyed by the type:
    /// <c>{basic: {username: u, password_env: V}}</c>, <c>{bearer: {token_env: V}}</c>.
    /// </summary>
    private static DicomWebAuth Auth(YamlNode? node, string path, FlowReadContext context)
    {
        if (node is null) return DicomWebAuth.None;
        if (node is YamlMappingNode { Children.Count: 1 } keyed && keyed.Children.First().Key is YamlScalarNode { Value: "basic" or "bearer" or "none" } kind)
            return Credentials(kind.Value!, keyed.Children.First().Value, $"{path}.{kind.Value}", context, kind);
        var r = MapReader.Open(node, path, context, ["type", "username", "password", "password_env", "token", "token_env"], "DICOMweb credentials");
        if (r is null) return DicomWebAuth.None;
        var type = r.String("type", required: true);
        if (type is not (null or "none" or "basic" or "bearer"))
        {
            r.Error("type", $"'{type}' is not an auth type (none, basic or bearer)");
            return DicomWebAuth.None;
        }
        return type is null ? DicomWebAuth.None : Credentials(type, node, path, context, node);
    }

    private static DicomWebAuth Credentials(string type, YamlNode node, string path, FlowReadContext context, YamlNode at)
    {
        if (type == "none") return DicomWebAuth.None;
        string[] keys = type == "basic" ? ["username", "password", "password_env"] : ["token", "token_env"];
        if (node == at) keys = ["type", .. keys];
        var r = MapReader.Open(node, path, context, keys, $"{type} credentials");
        if (r is null) return DicomWebAuth.None;
        if (type == "basic")
        {
            var user = r.String("username", required: true);
            if (user is not null && user.Contains(':', StringComparison.Ordinal)) r.Error("username", "a user name for basic auth cannot contain ':' (RFC 7617 §2)");
            if (r.Has("password") == r.Has("password_env")) context.Error(at, path, "basic auth needs 'password' or 'password_env' (one of them)");
            return new DicomWebAuth(DicomWebAuthKind.Basic, user, r.String("password"), EnvironmentName(r, "password_env"));
        }
        if (r.Has("token") == r.Has("token_env")) context.Error(at, path, "bearer auth needs 'token' or 'token_env' (one of them)");
        return new DicomWebAuth(DicomWebAuthKind.Bearer, Token: r.String("token"), TokenEnvironmentVariable: EnvironmentName(r, "token_env"));
    }

    private static string? EnvironmentName(MapReader r, string key)
    {
        var name = r.String(key);
        if (name is null) return null;
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(name[0]))
        {
            r.Error(key, $"'{name}' is not an environment variable name (letters, digits, '_')");
            return null;
        }
        return name;
    }

    public static IReadOnlyList<WebhookDefinition> ReadWebhooks(YamlNode? node, string path, FlowReadContext context)
    {
        var result = new List<WebhookDefinition>();
        if (node is null || node is YamlScalarNode s && s.IsNull()) return result;
        var index = 0;
        foreach (var item in node is YamlSequenceNode seq ? seq.Children : [node])
        {
            var itemPath = $"{path}[{index++}]";
            string? urlText;
            var on = WebhookEvents.All;
            IReadOnlyDictionary<string, string> headers = new Dictionary<string, string>();
            if (item is YamlScalarNode scalar) urlText = scalar.Value;
            else
            {
                var r = MapReader.Open(item, itemPath, context, ["url", "on", "headers"], "a webhook (a URL, or a map with url, on, headers)");
                if (r is null) continue;
                urlText = r.String("url", required: true);
                headers = r.StringMap("headers");
                if (r.Has("on"))
                {
                    on = 0;
                    foreach (var (n, text) in r.StringList("on"))
                    {
                        if (text == "succeeded") on |= WebhookEvents.Succeeded;
                        else if (text == "failed") on |= WebhookEvents.Failed;
                        else context.Error(n, r.PathOf("on"), $"'{text}' is not a job outcome (succeeded or failed)");
                    }
                }
            }
            if (urlText is null) continue;
            if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                context.Error(item, itemPath, $"'{urlText}' is not an absolute http:// or https:// URL");
                continue;
            }
            result.Add(new WebhookDefinition(url, on == 0 ? WebhookEvents.All : on, headers));
        }
        return result;
    }
}
