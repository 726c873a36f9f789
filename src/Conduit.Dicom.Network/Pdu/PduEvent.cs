using System.Buffers;

namespace Conduit.Dicom.Network.Pdu;

/// <summary>What <see cref="PduReader.TryRead"/> found: a whole control PDU, or a piece of a PDV's data.</summary>
public readonly struct PduEvent
{
    private PduEvent(ProtocolDataUnit? control, byte contextId, bool isCommand, bool endOfPdv, bool lastFragment, ReadOnlySequence<byte> data)
    {
        Control = control;
        ContextId = contextId;
        IsCommand = isCommand;
        EndOfPdv = endOfPdv;
        IsLastFragment = lastFragment;
        Data = data;
    }

    /// <summary>A-ASSOCIATE-RQ/AC/RJ, A-RELEASE-RQ/RP or A-ABORT; null for PDV data.</summary>
    public ProtocolDataUnit? Control { get; }

    public byte ContextId { get; }

    /// <summary>The PDV carries command bytes (message control header bit 0, PS3.8 Annex E.2).</summary>
    public bool IsCommand { get; }

    /// <summary>These bytes end their PDV item.</summary>
    public bool EndOfPdv { get; }

    /// <summary>The PDV is the last fragment of its command or data set (message control header bit 1).</summary>
    public bool IsLastFragment { get; }

    /// <summary>True when these bytes end the command or data set: last fragment, end of its PDV.</summary>
    public bool EndOfMessage => EndOfPdv && IsLastFragment;

    /// <summary>PDV bytes, a slice of the caller's buffer: valid until the caller advances its reader.</summary>
    public ReadOnlySequence<byte> Data { get; }

    public static PduEvent ForControl(ProtocolDataUnit pdu) => new(pdu, 0, false, false, false, default);

    public static PduEvent ForData(byte contextId, bool isCommand, bool endOfPdv, bool lastFragment, ReadOnlySequence<byte> data) =>
        new(null, contextId, isCommand, endOfPdv, lastFragment, data);
}
