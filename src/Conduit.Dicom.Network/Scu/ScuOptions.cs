using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Scu;

/// <summary>Settings of the SCU side (<see cref="StoreScu"/>, <see cref="EchoScu"/>), defaults as constants.</summary>
public sealed class ScuOptions
{
    public const string DefaultCallingAeTitle = "CONDUIT";
    public const string DefaultCalledAeTitle = "ANY-SCP";
    public const uint DefaultMaxPduLength = 116794;

    public string CallingAeTitle { get; set; } = DefaultCallingAeTitle;

    public string CalledAeTitle { get; set; } = DefaultCalledAeTitle;

    /// <summary>Parallel associations for <see cref="StoreScu.SendAsync"/>.</summary>
    public int Associations { get; set; } = 1;

    /// <summary>Maximum PDU length we advertise for what the peer sends us (its responses).</summary>
    public uint MaxPduLength { get; set; } = DefaultMaxPduLength;

    /// <summary>Retries after a failed connection or a lost association, with doubling delays from <see cref="RetryDelay"/>.</summary>
    public int Retries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for A-ASSOCIATE-AC, a DIMSE response, or A-RELEASE-RP.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>User Identity to send in the association request (PS3.7 §D.3.3.7); null: none.</summary>
    public UserIdentityRequest? UserIdentity { get; set; }

    /// <summary>Set when sending on behalf of a C-MOVE (PS3.7 §9.1.1.1): copied into every C-STORE-RQ.</summary>
    public string? MoveOriginatorAeTitle { get; set; }

    public ushort? MoveOriginatorMessageId { get; set; }

    public void Validate()
    {
        CallingAeTitle = Association.AeTitle.Validate(CallingAeTitle, nameof(CallingAeTitle));
        CalledAeTitle = Association.AeTitle.Validate(CalledAeTitle, nameof(CalledAeTitle));
        if (Associations is < 1 or > 64) throw new ArgumentException($"{nameof(Associations)}: {Associations} is outside 1-64");
        if (MaxPduLength is < 4096 or > 16 * 1024 * 1024) throw new ArgumentException($"{nameof(MaxPduLength)}: {MaxPduLength} is outside 4096-16777216");
        if (Retries < 0) throw new ArgumentException($"{nameof(Retries)}: must be 0 or more");
    }
}
