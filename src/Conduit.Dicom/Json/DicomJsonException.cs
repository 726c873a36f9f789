namespace Conduit.Dicom;

/// <summary>A DICOM JSON document that cannot be turned into a data set; <see cref="Path"/> points at the culprit.</summary>
public sealed class DicomJsonException : Exception
{
    public DicomJsonException(string path, string reason, Exception? inner = null)
        : base($"DICOM JSON at {(path.Length == 0 ? "/" : path)}: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>JSON Pointer (RFC 6901) of the attribute or value.</summary>
    public string Path { get; }

    public string Reason { get; }
}
