using System.Net;
using System.Net.Sockets;

namespace Conduit.Dicom.Network.Scp;

/// <summary>An allow-list entry: a calling AE title, optionally tied to a host (IP address or name, resolved once).</summary>
public sealed class CallingAeRule
{
    private readonly IPAddress[]? _addresses;

    public CallingAeRule(string aeTitle, string? host = null)
    {
        AeTitle = Association.AeTitle.Validate(aeTitle, "calling AE title");
        Host = string.IsNullOrWhiteSpace(host) ? null : host.Trim();
        if (Host is not null)
        {
            _addresses = IPAddress.TryParse(Host, out var ip)
                ? [ip]
                : Dns.GetHostAddresses(Host);
            _addresses = _addresses.Select(Normalize).ToArray();
        }
    }

    public string AeTitle { get; }

    public string? Host { get; }

    /// <summary>Parses <c>AE</c> or <c>AE@HOST</c>.</summary>
    public static CallingAeRule Parse(string text)
    {
        var at = text.LastIndexOf('@');
        return at < 0 ? new CallingAeRule(text) : new CallingAeRule(text[..at], text[(at + 1)..]);
    }

    public bool Matches(string callingAeTitle, IPAddress? remote) =>
        string.Equals(callingAeTitle, AeTitle, StringComparison.Ordinal)
        && (_addresses is null || (remote is not null && _addresses.Contains(Normalize(remote))));

    private static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public override string ToString() => Host is null ? AeTitle : $"{AeTitle}@{Host}";
}
