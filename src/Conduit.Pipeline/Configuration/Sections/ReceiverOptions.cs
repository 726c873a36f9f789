namespace Conduit.Pipeline.Configuration;

/// <summary><c>receiver:</c> the DICOM C-STORE SCP.</summary>
public sealed class ReceiverOptions
{
    public const int DefaultPort = 11112;
    public const string DefaultAeTitle = "CONDUIT";
    public const string DefaultBind = "0.0.0.0";
    public const int DefaultMaxAssociations = 32;
    public const bool DefaultFsync = true;
    public const bool DefaultUncompressedOnly = false;
    public const int DefaultIdleTimeoutSeconds = 120;

    /// <summary>TCP port the SCP listens on (11112 is the IANA-registered DICOM port).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The SCP's own AE title: the Called AE Title peers must use.</summary>
    public string AeTitle { get; set; } = DefaultAeTitle;

    /// <summary>Address to listen on: 0.0.0.0 for every IPv4 interface, :: for IPv6, 127.0.0.1 for this host only.</summary>
    public string Bind { get; set; } = DefaultBind;

    /// <summary>Associations served at once; further ones are rejected (A-ASSOCIATE-RJ, transient).</summary>
    public int MaxAssociations { get; set; } = DefaultMaxAssociations;

    /// <summary>Flush each received file to disk before answering the C-STORE: nothing acknowledged is lost on a power cut.</summary>
    public bool Fsync { get; set; } = DefaultFsync;

    /// <summary>Calling AE titles allowed to connect; empty allows any caller.</summary>
    public List<string> AllowedCallers { get; set; } = [];

    /// <summary>Accept only the uncompressed transfer syntaxes (implicit/explicit VR little endian) in negotiation.</summary>
    public bool UncompressedOnly { get; set; } = DefaultUncompressedOnly;

    /// <summary>An association with no PDU for this long is aborted.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(DefaultIdleTimeoutSeconds);
}
