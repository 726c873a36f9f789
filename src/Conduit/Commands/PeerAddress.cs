using System.Globalization;

namespace Conduit.Commands;

/// <summary>HOST:PORT as typed on the command line (an IPv6 address in brackets: [::1]:104).</summary>
internal readonly record struct PeerAddress(string Host, int Port)
{
    public static bool TryParse(string? text, out PeerAddress address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (host.Length == 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            return false;
        address = new PeerAddress(host, port);
        return true;
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
