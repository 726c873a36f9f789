using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Conduit.Tests.Support;

/// <summary>One PDU as the peer read it off the wire.</summary>
internal sealed record ReceivedPdu(RawPduType Type, byte[] Body)
{
    /// <summary>A-ASSOCIATE-RJ fields (PS3.8 §9.3.4, Table 9-21): result, source, reason/diag.</summary>
    public (byte Result, byte Source, byte Reason) Rejection =>
        Type == RawPduType.AssociateRj ? (Body[1], Body[2], Body[3]) : throw new InvalidOperationException($"{Type} is not an A-ASSOCIATE-RJ");

    /// <summary>Result of each presentation context of an A-ASSOCIATE-AC (PS3.8 §9.3.3.2, Table 9-18): id → result (0 = acceptance).</summary>
    public IReadOnlyDictionary<byte, byte> ContextResults()
    {
        if (Type != RawPduType.AssociateAc)
        {
            throw new InvalidOperationException($"{Type} is not an A-ASSOCIATE-AC");
        }
        var results = new Dictionary<byte, byte>();
        for (var offset = 68; offset + 4 <= Body.Length;)
        {
            var itemType = Body[offset];
            var length = BinaryPrimitives.ReadUInt16BigEndian(Body.AsSpan(offset + 2));
            if (itemType == 0x21 && length >= 4)
            {
                results[Body[offset + 4]] = Body[offset + 6];
            }
            offset += 4 + length;
        }
        return results;
    }

    public override string ToString() => $"{Type} ({Body.Length} bytes)";
}

/// <summary>
/// A scriptable DICOM peer on a bare TCP socket: it sends whatever bytes a test builds (valid PDUs from
/// <see cref="RawPdu"/>, garbage, truncated or lying ones) and reads back what the other side answers, so the
/// robustness tests can play every hostile peer against a receiver process.
/// </summary>
internal sealed class RawDicomPeer : IDisposable
{
    public const string CallingAe = "RAWPEER";
    private const int MaxBodyRead = 4 << 20; // the answers a receiver sends are small; more means something is wrong
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;

    private RawDicomPeer(Socket socket) => _socket = socket;

    public static async Task<RawDicomPeer> ConnectAsync(int port, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new RawDicomPeer(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends the bytes; false when the other side has already closed or reset the connection.</summary>
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync(bytes, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    /// <summary>The next PDU, or null when the other side closed (or reset) the connection.</summary>
    /// <exception cref="TimeoutException">Nothing complete arrived within the timeout.</exception>
    public async Task<ReceivedPdu?> ReadPduAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            var header = new byte[RawPdu.HeaderLength];
            if (!await ReadExactlyAsync(header, cts.Token))
            {
                return null;
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2));
            if (length > MaxBodyRead)
            {
                throw new InvalidDataException($"the receiver sent a PDU of type {header[0]:X2} declaring {length} bytes");
            }
            var body = new byte[length];
            return await ReadExactlyAsync(body, cts.Token) ? new ReceivedPdu((RawPduType)header[0], body) : null;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no PDU and no close within {timeout ?? DefaultTimeout}");
        }
    }

    /// <summary>Reads until the other side closes the connection; returns the PDUs it sent before that.</summary>
    /// <exception cref="TimeoutException">The connection was still open after the timeout.</exception>
    public async Task<IReadOnlyList<ReceivedPdu>> ReadUntilClosedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var received = new List<ReceivedPdu>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"the connection was still open after {timeout}; received {string.Join(", ", received)}");
            }
            var pdu = await ReadPduAsync(left);
            if (pdu is null)
            {
                return received;
            }
            received.Add(pdu);
        }
    }

    /// <summary>Sends an A-ASSOCIATE-RQ and returns the answer (AC, RJ or A-ABORT), or null when the connection closed.</summary>
    public async Task<ReceivedPdu?> AssociateAsync(string calledAe, params RawPresentationContext[] contexts)
    {
        if (contexts.Length == 0)
        {
            contexts = [Verification, CtStorage];
        }
        await SendAsync(RawPdu.AssociateRq(calledAe, CallingAe, contexts));
        return await ReadPduAsync();
    }

    /// <summary>C-ECHO over an accepted association; the response's status.</summary>
    public async Task<ushort> EchoAsync(byte contextId = 1, ushort messageId = 1)
    {
        await SendAsync(RawPdu.PData(contextId, command: true, last: true, RawDimse.EchoRq(messageId)));
        return await ReadResponseStatusAsync();
    }

    /// <summary>A complete C-STORE: the command, then the data set in fragments of at most <paramref name="fragment"/> bytes.</summary>
    public async Task<ushort> StoreAsync(byte contextId, string sopClassUid, string sopInstanceUid, byte[] dataset, ushort messageId = 1, int fragment = 16000)
    {
        await SendAsync(RawPdu.PData(contextId, command: true, last: true, RawDimse.StoreRq(messageId, sopClassUid, sopInstanceUid)));
        for (var offset = 0; offset < dataset.Length; offset += fragment)
        {
            var length = Math.Min(fragment, dataset.Length - offset);
            await SendAsync(RawPdu.PData(contextId, command: false, last: offset + length == dataset.Length, dataset.AsSpan(offset, length)));
        }
        return await ReadResponseStatusAsync();
    }

    /// <summary>A-RELEASE-RQ; true when the A-RELEASE-RP came back.</summary>
    public async Task<bool> ReleaseAsync()
    {
        await SendAsync(RawPdu.ReleaseRq());
        var answer = await ReadPduAsync();
        return answer?.Type == RawPduType.ReleaseRp;
    }

    /// <summary>Half-closes: no more bytes from this side (the other side reads end of stream), reading goes on.</summary>
    public void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // already reset by the other side
        }
    }

    /// <summary>Closes with a TCP reset instead of an orderly shutdown (linger 0), as a crashing peer would.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();

    public static RawPresentationContext Verification => new(1, RawPdu.VerificationSopClass, RawPdu.ImplicitVrLittleEndian);

    public static RawPresentationContext CtStorage => new(3, RawPdu.CtImageStorage, RawPdu.ExplicitVrLittleEndian);

    /// <summary>Collects the command PDVs of one response (PS3.8 Annex E) and returns its Status (0000,0900).</summary>
    private async Task<ushort> ReadResponseStatusAsync()
    {
        var command = new MemoryStream();
        while (true)
        {
            var pdu = await ReadPduAsync() ?? throw new IOException("the connection closed before the response");
            if (pdu.Type != RawPduType.PDataTf)
            {
                throw new IOException($"expected a P-DATA-TF response, got {pdu}");
            }
            for (var offset = 0; offset + 6 <= pdu.Body.Length;)
            {
                var itemLength = (int)BinaryPrimitives.ReadUInt32BigEndian(pdu.Body.AsSpan(offset));
                var control = pdu.Body[offset + 5];
                command.Write(pdu.Body, offset + 6, itemLength - 2);
                offset += 4 + itemLength;
                if ((control & 0x03) == 0x03)
                {
                    return RawDimse.Status(command.ToArray()) ?? throw new IOException("the response has no Status");
                }
            }
        }
    }

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return false;
                }
                buffer = buffer[read..];
            }
            return true;
        }
        catch (SocketException)
        {
            return false; // reset by the other side: closed, as far as a test is concerned
        }
    }
}
