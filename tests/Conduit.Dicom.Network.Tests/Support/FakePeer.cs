using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Tests.Support;

/// <summary>
/// A scriptable DICOM peer on a raw socket: sends exactly the bytes a test gives it and reads back what the other
/// side answers, PDU by PDU. Used both as a requestor (connecting to the SCP) and as an acceptor (for the SCU).
/// </summary>
internal sealed class FakePeer : IDisposable
{
    private readonly Socket _socket;
    private readonly PduReader _reader = new(uint.MaxValue, uint.MaxValue);
    private readonly byte[] _receive = new byte[64 * 1024];
    private ReadOnlySequence<byte> _pending = ReadOnlySequence<byte>.Empty;
    private byte[] _pendingBytes = [];
    private readonly List<byte> _command = [];

    public FakePeer(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _socket.ReceiveTimeout = 10_000;
    }

    public static FakePeer Connect(IPEndPoint endPoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(new IPEndPoint(IPAddress.Loopback, endPoint.Port));
        return new FakePeer(socket);
    }

    public void Send(byte[] bytes) => _socket.Send(bytes);

    public void Send(ProtocolDataUnit pdu) => Send(pdu.ToArray());

    public void SendCommand(byte contextId, DicomCommand command) =>
        Send(new DataTransferPdu([new PresentationDataValue(contextId, true, true, command.ToArray())]));

    public void SendDataset(byte contextId, byte[] dataset, int fragment = 16 * 1024)
    {
        for (var offset = 0; offset < dataset.Length || offset == 0; offset += fragment)
        {
            var length = Math.Min(fragment, dataset.Length - offset);
            var last = offset + length >= dataset.Length;
            Send(new DataTransferPdu([new PresentationDataValue(contextId, false, last, dataset.AsMemory(offset, length))]));
            if (last) break;
        }
    }

    public AssociateAcceptPdu Associate(AssociateRequestPdu request)
    {
        Send(request);
        return ReadPdu() as AssociateAcceptPdu ?? throw new InvalidOperationException("expected A-ASSOCIATE-AC");
    }

    /// <summary>The next control PDU, or (for P-DATA) the next whole command, decoded; null when the peer closed.</summary>
    public object? Read()
    {
        while (true)
        {
            while (_reader.TryRead(ref _pending, out var ev))
            {
                if (ev.Control is { } pdu) return pdu;
                if (!ev.IsCommand) continue;
                foreach (var segment in ev.Data) _command.AddRange(segment.ToArray());
                if (ev.EndOfMessage)
                {
                    var command = DicomCommand.Decode(_command.ToArray());
                    _command.Clear();
                    return command;
                }
            }
            int n;
            try
            {
                n = _socket.Receive(_receive);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                return null;
            }
            if (n == 0) return null;
            var rest = _pending.ToArray();
            _pendingBytes = [.. rest, .. _receive.AsSpan(0, n)];
            _pending = new ReadOnlySequence<byte>(_pendingBytes);
        }
    }

    public ProtocolDataUnit? ReadPdu() => Read() switch
    {
        ProtocolDataUnit pdu => pdu,
        null => null,
        var other => throw new InvalidOperationException($"expected a PDU, got {other}"),
    };

    public DicomCommand ReadCommand() => Read() as DicomCommand ?? throw new InvalidOperationException("expected a DIMSE command");

    /// <summary>True once the other side has closed the connection (reads 0 bytes or a reset), within the receive timeout.</summary>
    public bool WaitForClose()
    {
        try
        {
            while (true)
            {
                var n = _socket.Receive(_receive);
                if (n == 0) return true;
            }
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode == SocketError.ConnectionReset;
        }
    }

    public void Dispose() => _socket.Dispose();
}
