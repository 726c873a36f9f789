namespace Conduit.Dicom;

/// <summary>How <see cref="DicomJsonReader"/> turns DICOM JSON into a data set.</summary>
public sealed record DicomJsonReaderOptions
{
    public static readonly DicomJsonReaderOptions Default = new();

    /// <summary>Keeps every BulkDataURI as a <see cref="BulkDataUriBuffer"/>, to be fetched later or written back as a URI.</summary>
    public static readonly DicomJsonReaderOptions KeepBulkDataUris = new() { BulkDataResolver = b => new BulkDataUriBuffer(b.Uri) };

    /// <summary>
    /// Gives the value behind a BulkDataURI (PS3.18 §F.2.6). Null (the default) makes a BulkDataURI an error:
    /// the reader never fetches anything on its own.
    /// </summary>
    public Func<DicomJsonBulkDataUri, DicomBuffer>? BulkDataResolver { get; init; }

    /// <summary>
    /// Read an OB Pixel Data (7FE0,0010) whose InlineBinary is exactly a chain of items (Basic Offset Table, then
    /// fragments) as encapsulated Pixel Data, the form <see cref="DicomJsonWriter"/> writes it in.
    /// </summary>
    public bool EncapsulatedPixelData { get; init; } = true;
}

/// <summary>A BulkDataURI met while reading, for <see cref="DicomJsonReaderOptions.BulkDataResolver"/>.</summary>
/// <param name="Path">JSON Pointer of the attribute.</param>
public sealed record DicomJsonBulkDataUri(string Uri, string Path, DicomTag Tag, DicomVR VR);

/// <summary>
/// A value that lives at a BulkDataURI and has not been fetched. <see cref="DicomJsonWriter"/> writes it back as
/// that URI; anything that needs the bytes gets an error naming the URI.
/// </summary>
public sealed class BulkDataUriBuffer(string uri) : DicomBuffer
{
    public string Uri { get; } = uri;

    /// <summary>Unknown until fetched: reported as 0.</summary>
    public override long Length => 0;
    public override bool IsLoaded => false;
    public override ReadOnlyMemory<byte> Memory => throw NotFetched();
    public override void CopyTo(Stream destination) => throw NotFetched();

    private InvalidOperationException NotFetched() =>
        new($"The value is at BulkDataURI {Uri} and was not fetched: read the JSON with a BulkDataResolver that fetches it.");
}
