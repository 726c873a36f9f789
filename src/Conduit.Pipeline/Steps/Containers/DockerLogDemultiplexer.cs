using System.Buffers.Binary;

namespace Conduit.Pipeline.Steps.Containers;

/// <summary>
/// Reads the Engine API's log stream for a container without a TTY: frames of an 8-byte header — stream type
/// (0 stdin, 1 stdout, 2 stderr), three zero bytes, payload length as a big-endian uint32 — then the payload
/// (Docker Engine API, "Attach to a container", stream format). Payloads go into a <see cref="BoundedLog"/>, so a
/// huge log costs its tail only. A stream that does not start with a valid header (a TTY container) is copied raw.
/// </summary>
public static class DockerLogDemultiplexer
{
    private const int HeaderLength = 8;

    public static async Task CopyAsync(Stream stream, BoundedLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(log);
        var header = new byte[HeaderLength];
        var buffer = new byte[16 * 1024];
        var first = true;
        while (true)
        {
            var got = await ReadFullAsync(stream, header, cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                return;
            }
            if (!IsHeader(header) || got < HeaderLength)
            {
                if (!first)
                {
                    throw new DockerEngineException("The container log stream is malformed: a frame header is invalid.");
                }
                // Raw (TTY) stream: what was read is log text, and so is the rest.
                log.Append(header.AsSpan(0, got));
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    log.Append(buffer.AsSpan(0, read));
                }
                return;
            }
            first = false;
            var remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, (uint)buffer.Length)), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    return; // the engine closed mid-frame (container removed): keep what arrived
                }
                log.Append(buffer.AsSpan(0, read));
                remaining -= (uint)read;
            }
        }
    }

    private static bool IsHeader(ReadOnlySpan<byte> header) =>
        header[0] <= 2 && header[1] == 0 && header[2] == 0 && header[3] == 0;

    private static async Task<int> ReadFullAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}
