using System.Net.Http.Headers;
using Conduit.Pipeline.Destinations.DicomWeb;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Destinations.DicomWeb;

/// <summary>The STOW-RS request body (PS3.18 §10.5.1), read back with ASP.NET's multipart reader.</summary>
public sealed class StowRequestContentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-stow-content-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (string Path, long Length) File(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return (path, bytes.Length);
    }

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Each_file_is_one_application_dicom_part_byte_for_byte_in_order_with_the_length_declared()
    {
        // Bytes that look like delimiters inside a part must not end it: CRLF, "--", even a boundary-like line.
        byte[] tricky = [.. "\r\n--conduit-\r\n--\r\n"u8.ToArray(), .. Random(1000, 1)];
        var files = new[] { File("a.dcm", Random(200_000, 2)), File("b.dcm", tricky), File("c.dcm", []) };
        using var content = new StowRequestContent(files);

        var type = content.Headers.ContentType!;
        Assert.Equal("multipart/related", type.MediaType);
        Assert.Equal("\"application/dicom\"", type.Parameters.Single(p => p.Name == "type").Value);
        Assert.Equal(content.Boundary, type.Parameters.Single(p => p.Name == "boundary").Value);
        Assert.InRange(content.Boundary.Length, 1, 70); // RFC 2046 §5.1.1

        using var body = new MemoryStream();
        await content.CopyToAsync(body);
        Assert.Equal(body.Length, content.Headers.ContentLength);

        body.Position = 0;
        var parts = await DicomParts.ReadAsync(content.Boundary, body);
        Assert.Equal(files.Select(f => System.IO.File.ReadAllBytes(f.Path)), parts);
    }

    [Fact]
    public async Task Files_are_streamed_in_pieces_never_handed_over_whole()
    {
        var files = new[] { File("big1.dcm", Random(3_000_000, 3)), File("big2.dcm", Random(3_000_000, 4)) };
        using var content = new StowRequestContent(files);
        await using var sink = new LargestWriteStream();

        await content.CopyToAsync(sink);

        Assert.Equal(content.Headers.ContentLength, sink.Length);
        Assert.True(sink.LargestWrite <= 1 << 16, $"largest single write: {sink.LargestWrite} bytes");
    }

    [Fact]
    public async Task A_file_that_changed_length_since_the_batch_was_formed_fails_the_request_rather_than_lie_about_the_length()
    {
        var file = File("grows.dcm", Random(100, 5));
        using var content = new StowRequestContent([file]);
        await System.IO.File.AppendAllTextAsync(file.Path, "more");

        // HttpContent wraps what serialising threw; the destination reports the inner message with it.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => content.CopyToAsync(Stream.Null));
        Assert.Contains("changed while it was being sent", Assert.IsType<IOException>(error.InnerException).Message);
    }

    /// <summary>Counts bytes and remembers the largest single write.</summary>
    private sealed class LargestWriteStream : Stream
    {
        private long _length;

        public int LargestWrite { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _length += buffer.Length;
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
