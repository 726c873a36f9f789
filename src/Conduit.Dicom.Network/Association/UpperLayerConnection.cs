using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Association;

/// <summary>
/// One TCP connection of the upper layer: the socket (TCP_NODELAY set, so each PDU leaves at once instead of waiting
/// for Nagle's 40 ms), a pipe reader over it with pooled segments, the PDU parser and a reused output buffer.
/// Used by one association loop at a time: nothing here is thread-safe.
/// </summary>
internal sealed class UpperLayerConnection : IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private readonly ArrayBufferWriter<byte> _commandBytes = new(512);

    public UpperLayerConnection(Socket socket, PduReader parser)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: false);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true));
        Parser = parser;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        LocalEndPoint = socket.LocalEndPoint as IPEndPoint;
    }

    public PipeReader Input { get; }

    public PduReader Parser { get; }

    public IPEndPoint? RemoteEndPoint { get; }

    public IPEndPoint? LocalEndPoint { get; }

    public Socket Socket => _socket;

    /// <summary>
    /// Asks Linux to acknowledge received segments at once (TCP_QUICKACK) instead of delaying the ACK up to 40 ms.
    /// A peer that leaves Nagle's algorithm on (dcmtk does unless TCP_NODELAY=1 is set) holds its second small write
    /// until our ACK of the first arrives: with delayed ACKs that costs 40 ms per message. The kernel clears the flag
    /// again on its own, so it is renewed before each read.
    /// </summary>
    public void RequestQuickAck()
    {
        if (!OperatingSystem.IsLinux() || _quickAckUnsupported) return;
        try
        {
            _socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, QuickAckOn);
        }
        catch (SocketException)
        {
            _quickAckUnsupported = true;
        }
    }

    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;
    private static ReadOnlySpan<byte> QuickAckOn => [1, 0, 0, 0];
    private bool _quickAckUnsupported;

    public ValueTask SendAsync(ProtocolDataUnit pdu, CancellationToken cancellationToken)
    {
        _output.ResetWrittenCount();
        pdu.Write(_output);
        return SendAsync(_output.WrittenMemory, cancellationToken);
    }

    /// <summary>
    /// Sends a command set on a presentation context, split into PDVs that fit the peer's maximum PDU length
    /// (PS3.8 Annex D.1: the PDU-length of each P-DATA-TF, PDV headers included). All fragments go out in one write.
    /// </summary>
    public ValueTask SendCommandAsync(byte contextId, DicomCommand command, uint peerMaxPduLength, CancellationToken cancellationToken) =>
        SendAsync(EncodeCommand(contextId, command, peerMaxPduLength), cancellationToken);

    /// <summary>The P-DATA-TF PDU(s) carrying a command set, in a reused buffer valid until the next call.</summary>
    public ReadOnlyMemory<byte> EncodeCommand(byte contextId, DicomCommand command, uint peerMaxPduLength)
    {
        _commandBytes.ResetWrittenCount();
        command.Encode(_commandBytes);
        var data = _commandBytes.WrittenSpan;
        var maxData = MaxPdvData(peerMaxPduLength);
        _output.ResetWrittenCount();
        do
        {
            var take = Math.Min(maxData, data.Length);
            var span = _output.GetSpan(12 + take);
            DataTransferPdu.WriteSinglePdvHeaders(span, contextId, isCommand: true, isLast: take == data.Length, take);
            data[..take].CopyTo(span[12..]);
            _output.Advance(12 + take);
            data = data[take..];
        }
        while (!data.IsEmpty);
        return _output.WrittenMemory;
    }

    /// <summary>Largest PDV data that fits a P-DATA-TF PDU the peer accepts (0 = no limit: 1 MiB pieces then).</summary>
    public static int MaxPdvData(uint peerMaxPduLength) =>
        peerMaxPduLength == 0 || peerMaxPduLength > 1024 * 1024
            ? 1024 * 1024 - DataTransferPdu.PdvHeaderLength
            : (int)Math.Max(peerMaxPduLength, 1024) - DataTransferPdu.PdvHeaderLength;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Sends what is left and closes the connection, swallowing errors of a peer already gone.</summary>
    public async ValueTask TrySendAndCloseAsync(ProtocolDataUnit? last)
    {
        try
        {
            if (last is not null)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await SendAsync(last, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        Close();
    }

    public void Close()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        _socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}
