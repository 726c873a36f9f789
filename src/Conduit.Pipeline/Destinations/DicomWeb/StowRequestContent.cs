using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Conduit.Pipeline.Destinations.DicomWeb;

/// <summary>
/// The body of one STOW-RS request (PS3.18 §10.5.1): <c>multipart/related; type="application/dicom"</c>, one Part 10
/// file per part, each streamed from disk when the request is sent (never a whole batch in memory). The length is
/// known up front (file sizes plus the delimiters), so the request goes with a Content-Length, which every server
/// accepts, rather than chunked. It can be sent again (a redirect, a retry): the files are reopened each time.
/// </summary>
public sealed class StowRequestContent : HttpContent
{
    public const string PartMediaType = "application/dicom";
    private const int CopyBufferSize = 1 << 16;

    private readonly IReadOnlyList<(string Path, long Length)> _files;
    private readonly string _boundary;

    /// <param name="files">Each file with the length it had when the batch was formed; a file that changed length
    /// by the time it is sent fails the request (the declared Content-Length would be wrong).</param>
    public StowRequestContent(IReadOnlyList<(string Path, long Length)> files, string? boundary = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(files.Count);
        _files = files;
        // RFC 2046 §5.1.1: 1 to 70 characters that cannot occur in the parts; 128 random bits make a collision with
        // the content of a DICOM file as good as impossible.
        _boundary = boundary ?? "conduit-" + Guid.NewGuid().ToString("N");
        var type = new MediaTypeHeaderValue("multipart/related");
        type.Parameters.Add(new NameValueHeaderValue("type", $"\"{PartMediaType}\""));
        type.Parameters.Add(new NameValueHeaderValue("boundary", _boundary));
        Headers.ContentType = type;
    }

    public string Boundary => _boundary;

    // RFC 2046 §5.1.1: a delimiter is CRLF "--" boundary; the CRLF before the first one may be left out. Each part has
    // its own Content-Type (PS3.18 §10.5.1.2: the media type of every part is application/dicom).
    private byte[] PartHeader(int index) =>
        Encoding.ASCII.GetBytes($"{(index == 0 ? "" : "\r\n")}--{_boundary}\r\nContent-Type: {PartMediaType}\r\n\r\n");

    private byte[] Closing() => Encoding.ASCII.GetBytes($"\r\n--{_boundary}--\r\n");

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _files.Count; i++)
        {
            var (path, length) = _files[i];
            await stream.WriteAsync(PartHeader(i), cancellationToken).ConfigureAwait(false);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (file.Length != length)
                throw new IOException($"{path} changed while it was being sent ({length} bytes when the request was formed, {file.Length} now)");
            await file.CopyToAsync(stream, CopyBufferSize, cancellationToken).ConfigureAwait(false);
        }
        await stream.WriteAsync(Closing(), cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Closing().Length;
        for (var i = 0; i < _files.Count; i++) length += PartHeader(i).Length + _files[i].Length;
        return true;
    }
}
