using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// One C-STORE data set being received: its Part 10 bytes (preamble and File Meta first, written when the command
/// arrived) gathered in a pooled buffer of <see cref="BufferSize"/> bytes. An instance that fits stays in memory until
/// it is complete, so it is validated from memory and reaches the disk in one write; a larger one spills to a
/// temporary file in the output directory's <c>.incoming</c> folder (unnamed where the file system allows) as the
/// buffer fills, so what is held in memory never depends on the instance's size. The temporary file comes from a
/// <see cref="TempFilePool"/> at the first write (an instance refused before it is written never takes one). A write
/// error (disk full) is kept and the rest of the data set is discarded, so the association can answer 0xA700 and go
/// on.
/// </summary>
internal sealed class IncomingInstance : IDisposable
{
    /// <summary>Instances up to this size (File Meta included) never touch the disk before they are complete.</summary>
    public const int BufferSize = 128 * 1024;

    private readonly TempFilePool _files;
    private byte[]? _buffer;
    private int _buffered;
    private TempFile? _temp;
    private bool _open;
    private long _written;

    public IncomingInstance(TempFilePool files, string sopClassUid, string sopInstanceUid, DicomTransferSyntax syntax)
    {
        _files = files;
        SopClassUid = sopClassUid;
        SopInstanceUid = sopInstanceUid;
        TransferSyntax = syntax;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>
    /// A path that reads the temporary file while it is open, once the instance has one (after the first write to it):
    /// its name, or /proc/self/fd/N for an unnamed one.
    /// </summary>
    public string TempPath => _temp?.Path ?? throw new InvalidOperationException("the instance has no temporary file yet");
    public string SopClassUid { get; }
    public string SopInstanceUid { get; }
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Bytes of preamble and File Meta at the start of the file.</summary>
    public int MetaLength { get; private set; }

    /// <summary>Data set bytes received so far.</summary>
    public long DataBytes { get; private set; }

    /// <summary>Size of the whole Part 10 file.</summary>
    public long Length => MetaLength + DataBytes;

    /// <summary>True once the instance outgrew the buffer and went to the temporary file.</summary>
    public bool Spilled => _open;

    public IOException? WriteError { get; private set; }

    /// <summary>The data set's bytes, while the instance is still in memory (not <see cref="Spilled"/>).</summary>
    public MemoryStream OpenBufferedDataset() =>
        !Spilled && _buffer is { } buffer
            ? new MemoryStream(buffer, MetaLength, _buffered - MetaLength, writable: false)
            : throw new InvalidOperationException("the instance is not in memory");

    /// <summary>Preamble and File Meta, written once, before any data set byte.</summary>
    public void WriteMeta(ReadOnlySpan<byte> meta)
    {
        meta.CopyTo(_buffer);
        _buffered = meta.Length;
        MetaLength = meta.Length;
    }

    public void Append(in ReadOnlySequence<byte> data)
    {
        DataBytes += data.Length;
        if (WriteError is not null || _buffer is null) return;
        try
        {
            if (data.IsSingleSegment) Append(data.FirstSpan);
            else foreach (var segment in data) Append(segment.Span);
        }
        catch (IOException ex)
        {
            WriteError = ex;
            DeleteTemp();
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var buffer = _buffer!;
        if (bytes.Length <= buffer.Length - _buffered)
        {
            bytes.CopyTo(buffer.AsSpan(_buffered));
            _buffered += bytes.Length;
            return;
        }
        // Over the buffer: the file takes what is buffered, then a large piece goes straight from the socket's buffer.
        FlushBuffer();
        if (bytes.Length >= buffer.Length / 2) WriteToFile(bytes);
        else
        {
            bytes.CopyTo(buffer);
            _buffered = bytes.Length;
        }
    }

    private void FlushBuffer()
    {
        if (_buffered == 0 || _buffer is null) return;
        WriteToFile(_buffer.AsSpan(0, _buffered));
        _buffered = 0;
    }

    private void WriteToFile(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.Write(OpenFile(), bytes, _written);
        _written += bytes.Length;
    }

    private SafeFileHandle OpenFile()
    {
        if (_temp is null)
        {
            _temp = _files.Rent();
            _open = true;
        }
        return _temp.Handle;
    }

    /// <summary>
    /// Puts every byte in the temporary file and, when <paramref name="durable"/>, on the disk (fdatasync). An instance
    /// still in memory is written now, in one write. The file stays open for <see cref="MoveIntoPlace"/>.
    /// </summary>
    public void Persist(bool durable)
    {
        FlushToFile();
        if (durable) DurableFiles.FlushData(_temp!.Handle);
    }

    /// <summary>
    /// Gives the persisted file its final name, atomically (<see cref="TempFile.MoveIntoPlace"/>), then closes it;
    /// true when a file of that name was replaced.
    /// </summary>
    public bool MoveIntoPlace(string final)
    {
        var replaced = _temp!.MoveIntoPlace(final);
        Close();
        return replaced;
    }

    /// <summary>Every byte received so far into the temporary file, which stays open (and readable by <see cref="TempPath"/>).</summary>
    public void FlushToFile()
    {
        FlushBuffer();
        OpenFile();
    }

    /// <summary>Closes the file (an unnamed one not yet moved into place is gone then) and gives the buffer back.</summary>
    public void Close()
    {
        if (_open)
        {
            _temp!.Handle.Dispose();
            _open = false;
        }
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes and deletes the temporary file, if any: a bad instance or an interrupted transfer.</summary>
    public void DeleteTemp()
    {
        Close();
        _temp?.Delete();
        _temp = null;
    }

    public void Dispose() => DeleteTemp();
}
