using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Pdu;
using Microsoft.Win32.SafeHandles;

namespace Conduit.Dicom.Network.Scu;

/// <summary>
/// Sends one data set as P-DATA-TF PDUs of one PDV each, sized to the peer's maximum PDU length (PS3.8 Annex D.1),
/// the last flagged as the last fragment (Annex E.2). The PDU is built in one reused buffer: headers, then file bytes
/// read straight into it, so a large instance is never whole in memory. <see cref="AsStream"/> serves writers that
/// produce the data set (a syntax conversion).
/// </summary>
public sealed class DatasetSender
{
    private const int Headers = ProtocolDataUnit.HeaderLength + DataTransferPdu.PdvHeaderLength;

    /// <summary>Room before the data PDU for the request's command PDU, which then leaves in the same write.</summary>
    public const int CommandRoom = 1024;
    private readonly UpperLayerConnection _connection;
    private readonly byte _contextId;
    private readonly byte[] _buffer;
    private readonly Memory<byte> _pdu; // the data PDU: _buffer from CommandRoom on
    private int _heldCommand;
    private readonly int _maxData;
    private int _filled;

    internal DatasetSender(UpperLayerConnection connection, byte contextId, byte[] buffer, int maxData)
    {
        _connection = connection;
        _contextId = contextId;
        if (buffer.Length < CommandRoom + Headers + maxData) throw new ArgumentException("buffer too small for a PDU", nameof(buffer));
        _buffer = buffer;
        _pdu = buffer.AsMemory(CommandRoom);
        _maxData = maxData;
    }

    public bool Completed { get; private set; }

    /// <summary>
    /// Keeps the request's command PDU(s) to send with the first data PDU (PS3.8 §9.3.5: they are separate P-DATA-TF
    /// PDUs, back to back, as if written one after the other). False when they do not fit the room kept for them.
    /// </summary>
    internal bool TryHoldCommand(ReadOnlySpan<byte> commandPdus)
    {
        if (commandPdus.Length > CommandRoom || BytesSent > 0) return false;
        commandPdus.CopyTo(_buffer.AsSpan(CommandRoom - commandPdus.Length));
        _heldCommand = commandPdus.Length;
        return true;
    }

    /// <summary>Data set bytes sent.</summary>
    public long BytesSent { get; private set; }

    /// <summary>
    /// Sends <paramref name="length"/> bytes of a file from <paramref name="offset"/>, completing the data set; with
    /// <paramref name="padToEven"/>, an odd length gets one trailing 00H.
    /// </summary>
    public async Task SendFileAsync(SafeFileHandle file, long offset, long length, bool padToEven, CancellationToken cancellationToken)
    {
        var fileRemaining = length;
        var remaining = padToEven && (length & 1) == 1 ? length + 1 : length;
        do
        {
            var take = (int)Math.Min(_maxData, remaining);
            var fromFile = (int)Math.Min(take, fileRemaining);
            var read = 0;
            while (read < fromFile)
            {
                // A synchronous read: local files come from the page cache in microseconds, and on Linux an
                // asynchronous file read is only this same read moved to a pool thread, at the cost of two hops.
                var n = RandomAccess.Read(file, _pdu.Span.Slice(Headers + read, fromFile - read), offset);
                if (n == 0) throw new IOException("the file ended before its data set did (was it truncated while sending?)");
                read += n;
                offset += n;
            }
            _pdu.Span.Slice(Headers + fromFile, take - fromFile).Clear();
            fileRemaining -= fromFile;
            remaining -= take;
            _filled = take;
            await FlushAsync(isLast: remaining == 0, cancellationToken).ConfigureAwait(false);
        }
        while (remaining > 0);
        Completed = true;
    }

    /// <summary>A write-only stream over this sender; dispose it (or call <see cref="CompleteAsync"/>) to send the last fragment.</summary>
    public Stream AsStream() => new SenderStream(this);

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (Completed) return;
        await FlushAsync(isLast: true, cancellationToken).ConfigureAwait(false);
        Completed = true;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_filled == _maxData) FlushAsync(isLast: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            var take = Math.Min(_maxData - _filled, data.Length);
            data[..take].CopyTo(_pdu.Span[(Headers + _filled)..]);
            _filled += take;
            data = data[take..];
        }
    }

    private ValueTask FlushAsync(bool isLast, CancellationToken cancellationToken)
    {
        DataTransferPdu.WriteSinglePdvHeaders(_pdu.Span, _contextId, isCommand: false, isLast, _filled);
        var length = Headers + _filled;
        BytesSent += _filled;
        _filled = 0;
        // A held command leaves in the same write as the first data PDU: one segment for the peer to wake up to.
        var start = CommandRoom - _heldCommand;
        _heldCommand = 0;
        return _connection.SendAsync(_buffer.AsMemory(start, CommandRoom + length - start), cancellationToken);
    }

    /// <summary>
    /// The synchronous writers of Conduit.Dicom (DicomWriter) write into this; each full PDU is sent as it fills.
    /// Blocking on the send is deliberate: the writer is synchronous and runs on its own task.
    /// </summary>
    private sealed class SenderStream(DatasetSender sender) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => sender.Append(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => sender.Append(buffer);
    }
}
