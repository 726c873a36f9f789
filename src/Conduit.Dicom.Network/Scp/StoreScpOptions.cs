using System.Net;
using Conduit.Dicom.Network.Association;

namespace Conduit.Dicom.Network.Scp;

/// <summary>Settings of the C-STORE SCP (<see cref="StoreScp"/>), defaults as constants. <see cref="Validate"/> runs at start.</summary>
public sealed class StoreScpOptions
{
    public const int DefaultPort = 11112;
    public const string DefaultAeTitle = "CONDUIT";
    public const int DefaultMaxAssociations = 32;
    /// <summary>What dcmtk advertises by default too (ASC_DEFAULTMAXPDU is 16 KiB; storescp -pdu 116794 is its common tuning).</summary>
    public const uint DefaultMaxPduLength = 116794;
    /// <summary>Ceiling for P-DATA-TF PDUs when not strict: larger ones are streamed anyway, this only refuses absurd lengths.</summary>
    public const uint LenientPduLengthCeiling = 16 * 1024 * 1024;
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultArtimTimeout = TimeSpan.FromSeconds(30);

    public string AeTitle { get; set; } = DefaultAeTitle;

    public IPAddress BindAddress { get; set; } = IPAddress.Any;

    /// <summary>TCP port; 0 picks a free one (see <see cref="StoreScp.LocalEndPoint"/>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Where instances are stored; temporary files go to its <c>.incoming</c> folder.</summary>
    public string OutputDirectory { get; set; } = "received";

    /// <summary>Associations served at once; the next request gets A-ASSOCIATE-RJ transient "local limit exceeded".</summary>
    public int MaxAssociations { get; set; } = DefaultMaxAssociations;

    /// <summary>Maximum P-DATA-TF PDU length advertised to peers (PS3.8 Annex D.1).</summary>
    public uint MaxPduLength { get; set; } = DefaultMaxPduLength;

    /// <summary>Abort an association whose peer sends a P-DATA-TF PDU longer than <see cref="MaxPduLength"/>.</summary>
    public bool StrictPduLength { get; set; }

    /// <summary>Abort an association that sends no whole PDU for this long; zero or less: never.</summary>
    public TimeSpan IdleTimeout { get; set; } = DefaultIdleTimeout;

    /// <summary>ARTIM (PS3.8 §9.1.5): wait for A-ASSOCIATE-RQ after connect, and for the peer to close after RJ/RP.</summary>
    public TimeSpan ArtimTimeout { get; set; } = DefaultArtimTimeout;

    /// <summary>fsync each instance before answering success (default). Off: faster, but a power cut may lose acknowledged instances.</summary>
    public bool Durable { get; set; } = true;

    /// <summary>
    /// Temporary files without a name (O_TMPFILE) where the file system allows (default); false: always named
    /// <c>.part</c> files, the fallback for file systems without O_TMPFILE, which the tests exercise with this.
    /// </summary>
    internal bool UnnamedTemporaryFiles { get; set; } = true;

    /// <summary>Refuse requests whose called AE title is not <see cref="AeTitle"/>.</summary>
    public bool CheckCalledAeTitle { get; set; } = true;

    /// <summary>When set, only these calling AE titles (optionally from these hosts) may associate.</summary>
    public IReadOnlyList<CallingAeRule>? AllowedCallingAeTitles { get; set; }

    public TransferSyntaxPolicy TransferSyntaxPolicy { get; set; } = TransferSyntaxPolicy.AcceptCompressed;

    /// <summary>Called with every stored instance before success is answered; null: files are only written.</summary>
    public IInstanceStoredHandler? InstanceStoredHandler { get; set; }

    /// <summary>Told when associations are accepted and end (see <see cref="StoreScp.Associations"/>).</summary>
    public IAssociationObserver? AssociationObserver { get; set; }

    public IStorageLayout StorageLayout { get; set; } = DefaultStorageLayout.Instance;

    public IAssociationAdmission? Admission { get; set; }

    public IUserIdentityValidator? UserIdentityValidator { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the option at fault.</summary>
    public void Validate()
    {
        AeTitle = Association.AeTitle.Validate(AeTitle, nameof(AeTitle));
        if (Port is < 0 or > 65535) throw new ArgumentException($"{nameof(Port)}: {Port} is not a TCP port (0-65535)");
        if (MaxAssociations < 1) throw new ArgumentException($"{nameof(MaxAssociations)}: must be at least 1, not {MaxAssociations}");
        if (MaxPduLength is < 4096 or > LenientPduLengthCeiling)
            throw new ArgumentException($"{nameof(MaxPduLength)}: {MaxPduLength} is outside 4096-{LenientPduLengthCeiling}");
        if (ArtimTimeout <= TimeSpan.Zero) throw new ArgumentException($"{nameof(ArtimTimeout)}: must be positive");
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException($"{nameof(OutputDirectory)}: must be set");
    }
}
