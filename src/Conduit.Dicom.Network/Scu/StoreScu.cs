using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Pdu;
using Conduit.Dicom.Network.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Conduit.Dicom.Network.Scu;

/// <summary>
/// C-STORE as SCU: sends files over one or more parallel associations, each file as it is when its syntax was
/// accepted, else converted between the uncompressed syntaxes, else reported failed. Connection failures and lost
/// associations are retried with doubling delays; the file in flight goes back to the queue.
/// </summary>
public static class StoreScu
{
    /// <summary>Aborts in a row, each on a different file, after which a worker gives up on the peer.</summary>
    private const int MaxConsecutiveAborts = 10;

    /// <summary>Files as given, and every file under the given folders (recursively, in ordinal order).</summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None })
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .ToList();
                found.Sort(StringComparer.Ordinal);
                files.AddRange(found);
            }
            else
            {
                files.Add(path); // a missing file is reported as failed by SendAsync, with its reason
            }
        }
        return files;
    }

    /// <summary>Sends <paramref name="files"/> to the C-STORE SCP at host:port; never throws for a file or a peer, only for cancellation.</summary>
    public static async Task<StoreScuReport> SendAsync(string host, int port, IReadOnlyList<string> files, ScuOptions options,
        IProgress<StoreScuProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        logger ??= NullLogger.Instance;
        var watch = Stopwatch.StartNew();
        var run = new SendRun(files.Count, progress);
        var leftovers = new List<ScuFile>();

        // 1. The first files decide the presentation contexts of the first associations, which open at once.
        var head = new List<ScuFile>();
        var next = 0;
        for (; next < files.Count && head.Count < HeadFiles; next++)
        {
            if (Scan(next, files[next], out var file, out var why)) head.Add(file!);
            else run.Complete(next, new StoreScuResult(files[next], null, null, null, why, 0));
        }
        if (head.Count > 0)
        {
            var batches = ContextPlanner.Plan(head);
            var first = batches[0];
            foreach (var other in batches.Skip(1)) leftovers.AddRange(other.Files);
            var covered = new HashSet<(string, string)>();
            foreach (var context in first.Contexts)
                if (context.TransferSyntaxes.Count == 1) covered.Add((context.AbstractSyntax, context.TransferSyntaxes[0]));
            using var feed = new FileFeed(first.Files, complete: next == files.Count);
            var associations = next == files.Count ? Math.Min(options.Associations, first.Files.Count) : options.Associations;
            var workers = new List<Task>(associations);
            for (var i = 0; i < associations; i++) workers.Add(WorkerAsync(host, port, first.Contexts, feed, options, run, logger, cancellationToken));
            if (next < files.Count)
            {
                // 2. The rest is read while the first files are sent: a file the open associations can carry as it
                // is joins them; any other waits for associations planned for it (3).
                var scanFrom = next;
                try
                {
                    await Task.Run(() =>
                    {
                        for (var i = scanFrom; i < files.Count; i++)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            if (!Scan(i, files[i], out var file, out var why)) run.Complete(i, new StoreScuResult(files[i], null, null, null, why, 0));
                            else if (covered.Contains((file!.SopClassUid, file.Syntax.Uid))) feed.Add(file);
                            else leftovers.Add(file);
                        }
                    }, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    feed.Complete();
                }
            }
            await Task.WhenAll(workers).ConfigureAwait(false);
            NotSent(feed, run);
        }

        // 3. Files whose SOP class or transfer syntax the first associations were not proposed.
        foreach (var batch in ContextPlanner.Plan(leftovers))
        {
            using var feed = new FileFeed(batch.Files, complete: true);
            var workers = new List<Task>();
            for (var i = Math.Min(options.Associations, batch.Files.Count); i > 0; i--) workers.Add(WorkerAsync(host, port, batch.Contexts, feed, options, run, logger, cancellationToken));
            await Task.WhenAll(workers).ConfigureAwait(false);
            NotSent(feed, run);
        }
        return new StoreScuReport(run.Results.Select((r, i) => r ?? new StoreScuResult(files[i], null, null, null, "not sent", 0)).ToArray(),
            watch.Elapsed, run.NetworkError, run.AnyAssociationEstablished);
    }

    /// <summary>Files read before the first association opens; their SOP classes and syntaxes make its contexts.</summary>
    private const int HeadFiles = 32;

    private static void NotSent(FileFeed feed, SendRun run)
    {
        while (feed.TryTake(out var left))
            run.Complete(left.Index, new StoreScuResult(left.Path, left.SopClassUid, left.SopInstanceUid, null,
                $"not sent: {run.NetworkError ?? "no association"}", 0));
    }

    private static async Task WorkerAsync(string host, int port, IReadOnlyList<PresentationContextRequest> contexts, FileFeed feed, ScuOptions options,
        SendRun run, ILogger logger, CancellationToken cancellationToken)
    {
        var failures = 0;
        var aborts = 0;
        while (!feed.IsDrained)
        {
            ScuAssociation association;
            try
            {
                association = await ScuAssociation.ConnectAsync(host, port, contexts, options, logger, cancellationToken).ConfigureAwait(false);
                run.AnyAssociationEstablished = true;
            }
            catch (Exception ex) when (IsRetryable(ex))
            {
                run.NetworkError = Describe(ex, host, port);
                if (++failures > options.Retries) return;
                await BackOffAsync(failures, options, host, port, ex, logger, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (AssociationException ex)
            {
                run.NetworkError = ex.Message; // a permanent rejection: retrying would get the same answer
                return;
            }

            ScuFile? current = null;
            try
            {
                await using (association.ConfigureAwait(false))
                {
                    while ((current = await feed.TakeAsync(cancellationToken).ConfigureAwait(false)) is not null)
                    {
                        var result = await SendOneAsync(association, current, options, cancellationToken).ConfigureAwait(false);
                        logger.ScuSent(current.Path, current.SopInstanceUid, result.Status?.ToString() ?? result.FailureReason);
                        run.Complete(current.Index, result);
                        current = null;
                        failures = 0;
                        aborts = 0;
                    }
                    await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                }
                return;
            }
            catch (AssociationException ex) when (ex.Abort is not null && current is not null)
            {
                // The peer aborted while this file was in flight: most likely the file is what it refused (dcmtk's
                // storescp aborts on data it cannot parse). Sending it again would be refused again: it fails, the
                // rest go on over a new association at once.
                run.Complete(current.Index, new StoreScuResult(current.Path, current.SopClassUid, current.SopInstanceUid, null,
                    $"the peer aborted the association while receiving it (A-ABORT source {(byte)ex.Abort.Source}, reason {(byte)ex.Abort.Reason})", 0));
                if (++aborts > MaxConsecutiveAborts) return;
            }
            catch (Exception ex) when (IsRetryable(ex) || ex is AssociationException)
            {
                run.NetworkError = Describe(ex, host, port);
                if (current is not null)
                {
                    if (run.RetryFile(current.Index) > options.Retries)
                        run.Complete(current.Index, new StoreScuResult(current.Path, current.SopClassUid, current.SopInstanceUid, null, ex.Message, 0));
                    else
                        feed.Add(current);
                }
                if (++failures > options.Retries) return;
                await BackOffAsync(failures, options, host, port, ex, logger, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<StoreScuResult> SendOneAsync(ScuAssociation association, ScuFile file, ScuOptions options, CancellationToken cancellationToken)
    {
        var request = DicomCommand.CreateStoreRequest(association.NextMessageId(), file.SopClassUid, file.SopInstanceUid,
            options.MoveOriginatorAeTitle, options.MoveOriginatorMessageId);
        long bytes = 0;
        DicomCommand response;
        var oddLength = (file.Length & 1) == 1;
        var direct = association.FindContext(file.SopClassUid, file.Syntax.Uid);
        if (direct is not null && (!oddLength || file.Syntax.IsDeflated))
        {
            SafeFileHandle handle;
            try
            {
                // Read-ahead advice is worth its system call only for files read in many pieces.
                handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read,
                    file.Length > SequentialScanFrom ? FileOptions.SequentialScan : FileOptions.None);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Failed(file, $"cannot open: {ex.Message}");
            }
            using (handle)
            {
                // A deflated stream of odd length gets a trailing 00H (PS3.5 §A.5), as dcmtk pads it.
                response = await association.SendRequestAsync(direct.Id, request, async (sender, ct) =>
                {
                    await sender.SendFileAsync(handle, file.DatasetOffset, file.Length, padToEven: oddLength, ct).ConfigureAwait(false);
                    bytes = sender.BytesSent;
                }, cancellationToken).ConfigureAwait(false);
            }
        }
        else if ((direct ?? (file.Syntax.IsEncapsulated ? null
                     : association.FindContext(file.SopClassUid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid)
                       ?? association.FindContext(file.SopClassUid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid))) is { } context)
        {
            // Re-encoded: converted to the syntax accepted, or in its own syntax with its odd-length values padded.
            DicomFile dicom;
            try
            {
                dicom = DicomFile.Open(file.Path);
                EvenLengthPadding.Pad(dicom.Dataset);
            }
            catch (Exception ex) when (ex is DicomReadException or IOException or UnauthorizedAccessException)
            {
                return Failed(file, $"cannot read for re-encoding: {ex.Message}");
            }
            var target = DicomTransferSyntax.Parse(context.TransferSyntax);
            response = await association.SendRequestAsync(context.Id, request, async (sender, ct) =>
            {
                // Conduit.Dicom's writer is synchronous: it runs on a pool thread, each full PDU sent as it fills.
                await Task.Run(() =>
                {
                    using var stream = new BufferedStream(sender.AsStream(), 64 * 1024);
                    DicomWriter.WriteDataset(stream, dicom.Dataset, target);
                }, ct).ConfigureAwait(false);
                await sender.CompleteAsync(ct).ConfigureAwait(false);
                bytes = sender.BytesSent;
            }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var refused = association.Accept.PresentationContexts.Any(c => c.IsAccepted
                && association.Proposed.Any(p => p.Id == c.Id && p.AbstractSyntax == file.SopClassUid));
            return Failed(file, refused
                ? $"the peer did not accept {file.Syntax.Name} for this SOP class and Conduit does not transcode compressed pixel data"
                : $"the peer did not accept SOP class {file.SopClassUid}");
        }
        return new StoreScuResult(file.Path, file.SopClassUid, file.SopInstanceUid, response.Status,
            response.Status.IsStored ? null : $"status 0x{response.Status.Code:X4} ({response.Status.Description}){(response.ErrorComment is { } c ? ": " + c : "")}",
            bytes);
    }

    private const long SequentialScanFrom = 1024 * 1024;

    private static StoreScuResult Failed(ScuFile file, string why) => new(file.Path, file.SopClassUid, file.SopInstanceUid, null, why, 0);

    // Only what the command and the contexts need: the elements up to SOP Instance UID (0008,0018).
    private static readonly DicomReadOptions ScanRead = new() { StopBeforeTag = new DicomTag(0x00080019), DeferSequences = true };

    /// <summary>Bytes read in one go to scan a file: far more than the elements up to (0008,0018) take in practice.</summary>
    private const int ScanBytes = 16 * 1024;

    /// <summary>Opens the file once, reads its head in one read, and takes what the command and the contexts need.</summary>
    private static bool Scan(int index, string path, out ScuFile? file, out string why)
    {
        file = null;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var size = RandomAccess.GetLength(handle);
            var header = ReadHead(handle, size);
            // The data set's own UIDs first, as dcmtk's storescu does: the receiver checks the command against them.
            var sopClass = Uid(header.Dataset, DicomTags.SOPClassUID) ?? Uid(header.Meta, DicomTags.MediaStorageSOPClassUID);
            var sopInstance = Uid(header.Dataset, DicomTags.SOPInstanceUID) ?? Uid(header.Meta, DicomTags.MediaStorageSOPInstanceUID);
            if (sopClass is null || sopInstance is null)
            {
                why = "not a DICOM instance: no SOP Class UID or SOP Instance UID";
                return false;
            }
            file = new ScuFile(index, path, sopClass, sopInstance, header.TransferSyntax, header.DatasetOffset, size - header.DatasetOffset);
            why = "";
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            why = "no such file";
            return false;
        }
        catch (Exception ex) when (ex is DicomReadException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            why = $"not a readable DICOM file: {ex.Message}";
            return false;
        }
    }

    /// <summary>
    /// The file's head, parsed from its first <see cref="ScanBytes"/> (one read, the whole of a small file). A file whose
    /// elements up to (0008,0018) do not fit there (a huge value early on) is parsed again from the file itself.
    /// </summary>
    private static DicomFile ReadHead(SafeFileHandle handle, long size)
    {
        var want = (int)Math.Min(size, ScanBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(want, 1));
        try
        {
            var read = 0;
            while (read < want && RandomAccess.Read(handle, buffer.AsSpan(read, want - read), read) is var n and > 0) read += n;
            DicomFile? head = null;
            try
            {
                // Values are copied out of the buffer as they are parsed, so the buffer can go back to the pool.
                head = DicomFile.Open(new MemoryStream(buffer, 0, read, writable: false), ScanRead);
            }
            catch (DicomReadException) when (read < size)
            {
                // cut off by the end of the buffer, not by the end of the file: read on below
            }
            if (head is not null && (read == size || head.Dataset.Contains(DicomTags.SOPInstanceUID))) return head;
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            return DicomFile.Open(stream, ScanRead);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? Uid(DicomDataset ds, DicomTag tag) =>
        ds.TryGetString(tag, out var value) && value.TrimEnd('\0', ' ').Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static bool IsRetryable(Exception ex) =>
        ex is SocketException or IOException || ex is AssociationException { IsTransient: true } || ex is AssociationException { Rejection: null };

    private static string Describe(Exception ex, string host, int port) => ex switch
    {
        SocketException se => $"cannot reach {host}:{port}: {se.Message}",
        _ => ex.Message,
    };

    private static async Task BackOffAsync(int failures, ScuOptions options, string host, int port, Exception ex, ILogger logger, CancellationToken cancellationToken)
    {
        var delay = options.RetryDelay * Math.Pow(2, failures - 1);
        logger.ScuRetry($"{host}:{port}", failures, options.Retries + 1, delay, ex.Message);
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Shared state of one SendAsync: results by file index, counters for progress.</summary>
    private sealed class SendRun(int total, IProgress<StoreScuProgress>? progress)
    {
        private readonly int[] _attempts = new int[total];
        private int _completed;
        private int _failed;
        private long _bytes;

        public StoreScuResult?[] Results { get; } = new StoreScuResult?[total];
        public volatile string? NetworkError;
        public volatile bool AnyAssociationEstablished;

        public int RetryFile(int index) => Interlocked.Increment(ref _attempts[index]);

        public void Complete(int index, StoreScuResult result)
        {
            Results[index] = result;
            var completed = Interlocked.Increment(ref _completed);
            var failed = result.Succeeded ? Volatile.Read(ref _failed) : Interlocked.Increment(ref _failed);
            var bytes = Interlocked.Add(ref _bytes, result.Bytes);
            progress?.Report(new StoreScuProgress(completed, total, failed, bytes));
        }
    }
}
