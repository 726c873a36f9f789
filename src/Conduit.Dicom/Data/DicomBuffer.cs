namespace Conduit.Dicom;

/// <summary>
/// The bytes of one value, always in little-endian order. Either held in memory or left in the file
/// and loaded (or streamed) on demand, so a multi-gigabyte Pixel Data never has to sit whole in memory.
/// </summary>
public abstract class DicomBuffer
{
    public static readonly DicomBuffer Empty = new MemoryBuffer(ReadOnlyMemory<byte>.Empty);

    public abstract long Length { get; }

    /// <summary>True when the bytes are already in memory.</summary>
    public abstract bool IsLoaded { get; }

    /// <summary>All bytes in memory (loads a lazy value; throws if it exceeds 2 GB).</summary>
    public abstract ReadOnlyMemory<byte> Memory { get; }

    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>Copies the bytes to a stream without holding more than a chunk in memory.</summary>
    public abstract void CopyTo(Stream destination);

    public static DicomBuffer From(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty ? Empty : new MemoryBuffer(bytes);
}

public sealed class MemoryBuffer(ReadOnlyMemory<byte> bytes) : DicomBuffer
{
    public override long Length => bytes.Length;
    public override bool IsLoaded => true;
    public override ReadOnlyMemory<byte> Memory => bytes;
    public override void CopyTo(Stream destination) => destination.Write(bytes.Span);
}
