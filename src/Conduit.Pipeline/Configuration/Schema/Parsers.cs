using System.Globalization;
using System.Net;
using Conduit.Pipeline.Configuration.Values;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Configuration.Schema;

/// <summary>Value parsers and formats shared by the schema's keys.</summary>
internal static class Parsers
{
    public static bool Int(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>A percentage: 90 or 90%.</summary>
    public static bool Percent(string text, out int value) => Int(text.TrimEnd('%').TrimEnd(), out value);

    public static bool Bool(string text, out bool value)
    {
        // YAML 1.1's spellings as well as 1.2's, because hospital integrators write "yes".
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on": value = true; return true;
            case "false" or "no" or "off": value = false; return true;
            default: value = false; return false;
        }
    }

    public static bool Duration(string text, out TimeSpan value) => Durations.TryParse(text, out value);

    public static bool Text(string text, out string value)
    {
        value = text;
        return true;
    }

    public static bool IpAddress(string text, out string value)
    {
        value = text;
        return IPAddress.TryParse(text, out _);
    }

    public static bool AeTitle(string text, out string value)
    {
        value = text.Trim();
        return AeTitles.Problem(text) is null;
    }

    public static bool NodeId(string text, out string value)
    {
        value = text.Trim();
        return NodeIds.Problem(value) is null;
    }

    /// <summary>A path: any non-empty text without NUL (the OS decides the rest when the folder is created).</summary>
    public static bool PathText(string text, out string value)
    {
        value = text;
        return text.Trim().Length > 0 && !text.Contains('\0', StringComparison.Ordinal);
    }

    public static ValueParser<TEnum> Enum<TEnum>(IReadOnlyDictionary<string, TEnum> names) =>
        (string text, out TEnum value) => names.TryGetValue(text.ToLowerInvariant(), out value!);

    public static string? UrlProblem(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : $"{(text.Length == 0 ? "''" : $"'{text}'")} is not an absolute http:// or https:// URL";

    public static string? AeTitleProblem(string text) => AeTitles.Problem(text);

    /// <summary>A proxy: one IP address, or a network in CIDR notation (10.0.0.0/8, fd00::/8).</summary>
    public static string? ProxyProblem(string text) =>
        IPAddress.TryParse(text.Trim(), out _) || IPNetwork.TryParse(text.Trim(), out _)
            ? null
            : $"{(text.Length == 0 ? "''" : $"'{text}'")} is not an IP address or a network (e.g. 10.0.0.5, 10.0.0.0/8)";

    /// <summary>Modality values are CS: upper-case letters, digits, space and underscore, at most 16 (PS3.5 §6.2).</summary>
    public static string? ModalityProblem(string text) =>
        text.Length is > 0 and <= 16 && text.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is '_' or ' ')
            ? null
            : $"'{text}' is not a Modality value (upper-case code string of at most 16 characters, e.g. CT, MR)";

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
    public static string Format(bool value) => value ? "true" : "false";
    public static string Format(TimeSpan value) => Durations.Format(value);

    public static readonly IReadOnlyDictionary<string, DatabaseProvider> DatabaseProviders =
        new Dictionary<string, DatabaseProvider> { ["sqlite"] = DatabaseProvider.Sqlite, ["postgres"] = DatabaseProvider.Postgres, ["postgresql"] = DatabaseProvider.Postgres };

    public static readonly IReadOnlyDictionary<string, QueueProvider> QueueProviders =
        new Dictionary<string, QueueProvider> { ["inprocess"] = QueueProvider.InProcess, ["rabbitmq"] = QueueProvider.RabbitMq };

    public static readonly IReadOnlyDictionary<string, LogLevel> LogLevels = new Dictionary<string, LogLevel>
    {
        ["trace"] = LogLevel.Trace, ["debug"] = LogLevel.Debug, ["information"] = LogLevel.Information, ["info"] = LogLevel.Information,
        ["warning"] = LogLevel.Warning, ["warn"] = LogLevel.Warning, ["error"] = LogLevel.Error, ["critical"] = LogLevel.Critical, ["none"] = LogLevel.None,
    };

    public static string Format(DatabaseProvider p) => p == DatabaseProvider.Postgres ? "postgres" : "sqlite";
    public static string Format(QueueProvider p) => p == QueueProvider.RabbitMq ? "rabbitmq" : "inprocess";
    public static string Format(LogLevel l) => l.ToString().ToLowerInvariant();

    /// <summary>Hides password values in a connection string or URI for display.</summary>
    public static string MaskSecrets(string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
            return text.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal);
        var parts = text.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && parts[i][..eq].Trim().ToLowerInvariant() is "password" or "pwd") parts[i] = parts[i][..(eq + 1)] + "***";
        }
        return string.Join(';', parts);
    }
}
