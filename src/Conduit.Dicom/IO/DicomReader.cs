using System.IO.Compression;
using Conduit.Dicom.IO;

namespace Conduit.Dicom;

/// <summary>
/// Reads Part 10 files and bare data sets (PS3.10 §7, PS3.5 §7): all three uncompressed syntaxes, deflate, and
/// encapsulated Pixel Data kept fragment by fragment. Tolerates what dcmtk tolerates, with a warning; refuses the
/// rest with a <see cref="DicomReadException"/> naming the offset and element.
/// </summary>
public static class DicomReader
{
    private static ReadOnlySpan<byte> Dicm => "DICM"u8;

    private static readonly DicomTag[] RequiredMeta =
        [new(0x00020001), new(0x00020002), new(0x00020003), new(0x00020010), new(0x00020012)];

    public static DicomFile ReadFile(string path, DicomReadOptions? options = null)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var source = new ByteSource(stream, ownsStream: true, filePath: path);
        return Read(source, options ?? DicomReadOptions.Default);
    }

    /// <summary>Reads a Part 10 file (or a bare data set, whose syntax is inferred) from a stream.</summary>
    public static DicomFile ReadFile(Stream stream, DicomReadOptions? options = null)
    {
        using var source = new ByteSource(stream, ownsStream: false);
        return Read(source, options ?? DicomReadOptions.Default);
    }

    /// <summary>Reads a bare data set in a known transfer syntax, e.g. the payload of a C-STORE.</summary>
    public static DicomDataset ReadDataset(Stream stream, DicomTransferSyntax syntax, DicomReadOptions? options = null)
    {
        using var source = new ByteSource(stream, ownsStream: false, (stream as FileStream)?.Name);
        var warnings = new List<DicomReadWarning>();
        return ReadBody(source, syntax, options ?? DicomReadOptions.Default, warnings);
    }

    private static DicomFile Read(ByteSource source, DicomReadOptions options)
    {
        var warnings = new List<DicomReadWarning>();
        byte[]? preamble = null;
        source.TryEnsure(132);
        if (source.Buffered >= 132 && source.Peek(132)[128..].SequenceEqual(Dicm))
        {
            preamble = source.Peek(128).ToArray();
            source.Advance(132);
        }
        else if (source.Buffered >= 4 && source.Peek(4).SequenceEqual(Dicm))
        {
            warnings.Add(new(0, null, "no 128-byte preamble before 'DICM'"));
            source.Advance(4);
        }

        var meta = new DicomDataset();
        if (source.TryEnsure(6) && source.Peek(2)[0] == 0x02 && source.Peek(2)[1] == 0x00)
        {
            if (preamble is null && warnings.Count == 0) warnings.Add(new(0, null, "File Meta Information without preamble and 'DICM' prefix"));
            var metaParser = new DicomParser(source, options, warnings, metaOnly: true);
            metaParser.ReadDataset(meta, DicomTransferSyntax.ExplicitVRLittleEndian, end: -1, depth: 0, topLevel: true);
        }
        else if (preamble is null)
        {
            warnings.Add(new(0, null, "no File Meta Information: a bare data set, transfer syntax inferred"));
        }

        if (meta.Count > 0)
        {
            // PS3.10 §7.1: Type 1 elements of the File Meta group.
            foreach (var required in RequiredMeta)
                if (!meta.Contains(required))
                    warnings.Add(new(source.Position, required, $"File Meta lacks {required} {DicomDictionary.Find(required)?.Keyword}"));
        }

        DicomTransferSyntax syntax;
        var tsElement = meta.GetItem(new DicomTag(0x00020010)) as DicomElement;
        var tsUid = tsElement is null ? "" : DicomDataset.DecodeAscii(tsElement.Buffer.Span).TrimEnd('\0', ' ').Trim();
        if (tsUid.Length > 0)
        {
            syntax = DicomTransferSyntax.Parse(tsUid);
            if (!syntax.IsKnown)
                warnings.Add(new(source.Position, new DicomTag(0x00020010), $"unknown transfer syntax {tsUid}: read as Explicit VR Little Endian"));
        }
        else
        {
            syntax = InferSyntax(source);
            if (meta.Count > 0)
                warnings.Add(new(source.Position, new DicomTag(0x00020010), $"File Meta has no Transfer Syntax UID; inferred {syntax.Name} from the data"));
        }

        var datasetOffset = source.Position;
        var dataset = ReadBody(source, syntax, options, warnings);
        return new DicomFile(meta, dataset, syntax, preamble, warnings) { DatasetOffset = datasetOffset };
    }

    private static DicomDataset ReadBody(ByteSource source, DicomTransferSyntax syntax, DicomReadOptions options, List<DicomReadWarning> warnings)
    {
        var dataset = new DicomDataset(64);
        if (syntax.IsDeflated)
        {
            var start = source.Position;
            using var inflated = new DeflateStream(source.RemainderStream(), CompressionMode.Decompress);
            using var inner = new ByteSource(inflated, ownsStream: false);
            try
            {
                new DicomParser(inner, options, warnings).ReadDataset(dataset, DicomTransferSyntax.ExplicitVRLittleEndian, -1, 0, true);
            }
            catch (InvalidDataException ex)
            {
                throw new DicomReadException($"deflated data set is corrupt: {ex.Message}", start, null, ex);
            }
            return dataset;
        }
        new DicomParser(source, options, warnings).ReadDataset(dataset, DicomParser.DetectVREncoding(source, syntax, warnings), -1, 0, true);
        return dataset;
    }

    /// <summary>
    /// Guesses the syntax of a bare data set from its first element: the byte order from which reading of the group
    /// number is plausible, explicit VR from two letters that name a VR (the way dcmtk and pydicom guess).
    /// </summary>
    private static DicomTransferSyntax InferSyntax(ByteSource source)
    {
        if (!source.TryEnsure(8)) return DicomTransferSyntax.ImplicitVRLittleEndian;
        var b = source.Peek(8);
        var groupLE = (ushort)(b[0] | (b[1] << 8));
        var groupBE = (ushort)((b[0] << 8) | b[1]);
        var bigEndian = groupLE > 0x00FF && groupBE <= 0x00FF;
        var explicitVR = DicomVRInfo.TryParse(b[4], b[5], out _);
        if (bigEndian) return DicomTransferSyntax.ExplicitVRBigEndian;
        return explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }
}
