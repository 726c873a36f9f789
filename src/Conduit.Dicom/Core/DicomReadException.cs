namespace Conduit.Dicom;

/// <summary>A data set that cannot be read: names the byte offset and, where known, the element.</summary>
public sealed class DicomReadException : Exception
{
    public DicomReadException(string message, long offset, DicomTag? tag = null, Exception? inner = null)
        : base(Format(message, offset, tag), inner)
    {
        Offset = offset;
        Tag = tag;
        Reason = message;
    }

    /// <summary>Byte offset in the file (or stream) where the problem was found.</summary>
    public long Offset { get; }
    public DicomTag? Tag { get; }
    /// <summary>The message without the offset and tag prefix.</summary>
    public string Reason { get; }

    private static string Format(string message, long offset, DicomTag? tag) =>
        tag is { } t ? $"at byte {offset}, element {t}: {message}" : $"at byte {offset}: {message}";
}
