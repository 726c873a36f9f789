using System.Buffers;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// One C-STORE data set being received: a temporary Part 10 file in the output directory's <c>.incoming</c> folder,
/// its File Meta written as soon as the command arrived, each PDV's bytes appended as they come off the socket.
/// Nothing proportional to the instance's size is held in memory. A write error (disk full) is kept and the rest of
/// the data set is discarded, so the association can answer 0xA700 and go on.
/// </summary>
internal sealed class IncomingInstance : IDisposable
{
    private FileStream? _file;

    public IncomingInstance(string tempPath, FileStream file, string sopClassUid, string sopInstanceUid, DicomTransferSyntax syntax)
    {
        TempPath = tempPath;
        _file = file;
        SopClassUid = sopClassUid;
        SopInstanceUid = sopInstanceUid;
        TransferSyntax = syntax;
    }

    public string TempPath { get; }
    public string SopClassUid { get; }
    public string SopInstanceUid { get; }
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Data set bytes received so far.</summary>
    public long DataBytes { get; private set; }

    public IOException? WriteError { get; private set; }

    internal FileStream File => _file ?? throw new ObjectDisposedException(nameof(IncomingInstance));

    public void Append(in ReadOnlySequence<byte> data)
    {
        DataBytes += data.Length;
        if (WriteError is not null || _file is null) return;
        try
        {
            if (data.IsSingleSegment) _file.Write(data.FirstSpan);
            else foreach (var segment in data) _file.Write(segment.Span);
        }
        catch (IOException ex)
        {
            WriteError = ex;
            DeleteTemp();
        }
    }

    /// <summary>Closes the file, keeping it (it has been moved into place).</summary>
    public void Close()
    {
        _file?.Dispose();
        _file = null;
    }

    /// <summary>Closes and deletes the temporary file: a bad instance or an interrupted transfer.</summary>
    public void DeleteTemp()
    {
        Close();
        try { System.IO.File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public void Dispose() => DeleteTemp();
}
