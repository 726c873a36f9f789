using Conduit.Dicom;

namespace Conduit.Tests.Support;

/// <summary>What a comparison may overlook, because a peer legitimately re-encodes it.</summary>
internal sealed record DatasetComparison
{
    public static readonly DatasetComparison Exact = new();

    /// <summary>
    /// Compare the VRs of elements (false when either side was implicit VR, which knows private VRs only as UN).
    /// Null means: compare them when both files are in explicit VR syntaxes.
    /// </summary>
    public bool? CompareVRs { get; init; }

    /// <summary>Skip group length elements (gggg,0000): PS3.5 §7.2 makes them optional, and dcmtk recomputes them.</summary>
    public bool IgnoreGroupLengths { get; init; }

    /// <summary>
    /// Accept a value one byte longer than an odd-length original, the extra byte a 00H or space pad: a sender may pad
    /// odd-length values to even length on the wire (PS3.5 §7.1.1 asks for even lengths; dcmtk pads).
    /// </summary>
    public bool AllowEvenPadding { get; init; }

    /// <summary>Stop after this many differences (one broken element tends to cascade).</summary>
    public int MaxDifferences { get; init; } = 10;
}

/// <summary>
/// Compares the data set of a received file with the original's, element by element, recursing into sequence items
/// and encapsulated fragments, comparing the bytes of the values (Conduit.Dicom keeps values as read, little-endian:
/// a big-endian original compares with a little-endian copy). The File Meta is not compared: a receiver writes its own.
/// </summary>
internal static class DatasetComparer
{
    /// <summary>Reads both files and lists their data sets' differences; empty when equal.</summary>
    public static IReadOnlyList<string> CompareFiles(string originalPath, string receivedPath, DatasetComparison? options = null)
    {
        options ??= DatasetComparison.Exact;
        DicomFile original, received;
        try
        {
            original = DicomFile.Open(originalPath);
        }
        catch (Exception e) when (e is DicomReadException or IOException or InvalidDataException)
        {
            return [$"original {originalPath} unreadable: {e.Message}"];
        }
        try
        {
            received = DicomFile.Open(receivedPath);
        }
        catch (Exception e) when (e is DicomReadException or IOException or InvalidDataException)
        {
            return [$"received {receivedPath} unreadable: {e.Message}"];
        }
        var compareVRs = options.CompareVRs ?? (original.TransferSyntax.IsExplicitVR && received.TransferSyntax.IsExplicitVR);
        return Compare(original.Dataset, received.Dataset, options with { CompareVRs = compareVRs });
    }

    public static IReadOnlyList<string> Compare(DicomDataset expected, DicomDataset actual, DatasetComparison? options = null)
    {
        options ??= DatasetComparison.Exact;
        var differences = new List<string>();
        CompareDatasets(expected, actual, options, "", differences);
        return differences;
    }

    private static void CompareDatasets(DicomDataset expected, DicomDataset actual, DatasetComparison options, string path, List<string> differences)
    {
        var e = expected.Where(x => !(options.IgnoreGroupLengths && x.Tag.IsGroupLength)).ToList();
        var a = actual.Where(x => !(options.IgnoreGroupLengths && x.Tag.IsGroupLength)).ToList();
        var missing = e.Select(x => x.Tag).Except(a.Select(x => x.Tag)).ToList();
        var extra = a.Select(x => x.Tag).Except(e.Select(x => x.Tag)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            Add(differences, options, $"{path}: missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}]");
        }

        var actualByTag = new Dictionary<DicomTag, DicomItem>();
        foreach (var item in a) actualByTag.TryAdd(item.Tag, item);
        foreach (var x in e)
        {
            if (differences.Count >= options.MaxDifferences) return;
            if (!actualByTag.TryGetValue(x.Tag, out var y)) continue;
            CompareItems(x, y, options, $"{path}{x.Tag}", differences);
        }
    }

    private static void CompareItems(DicomItem x, DicomItem y, DatasetComparison options, string where, List<string> differences)
    {
        if (options.CompareVRs == true && x.VR != y.VR && x is not DicomSequence)
            Add(differences, options, $"{where}: VR {x.VR.Code} expected, {y.VR.Code} found");
        switch (x, y)
        {
            case (DicomElement xe, DicomElement ye):
                if (!xe.Buffer.Span.SequenceEqual(ye.Buffer.Span) && !(options.AllowEvenPadding && IsEvenPadded(xe.Buffer.Span, ye.Buffer.Span)))
                    Add(differences, options, $"{where}: value differs ({xe.Length} bytes expected, {ye.Length} found{FirstDifference(xe.Buffer.Span, ye.Buffer.Span)})");
                break;
            case (DicomSequence xs, DicomSequence ys):
                if (xs.Items.Count != ys.Items.Count)
                {
                    Add(differences, options, $"{where}: {xs.Items.Count} items expected, {ys.Items.Count} found");
                    break;
                }
                for (var k = 0; k < xs.Items.Count; k++)
                    CompareDatasets(xs.Items[k], ys.Items[k], options, $"{where}[{k}].", differences);
                break;
            case (DicomFragmentSequence xf, DicomFragmentSequence yf):
                if (!xf.OffsetTable.Span.SequenceEqual(yf.OffsetTable.Span))
                    Add(differences, options, $"{where}: Basic Offset Tables differ ({xf.OffsetTable.Length} vs {yf.OffsetTable.Length} bytes)");
                if (xf.Fragments.Count != yf.Fragments.Count)
                {
                    Add(differences, options, $"{where}: {xf.Fragments.Count} fragments expected, {yf.Fragments.Count} found");
                    break;
                }
                for (var k = 0; k < xf.Fragments.Count; k++)
                    if (!xf.Fragments[k].Span.SequenceEqual(yf.Fragments[k].Span))
                        Add(differences, options, $"{where}: fragment {k} differs ({xf.Fragments[k].Length} vs {yf.Fragments[k].Length} bytes)");
                break;
            default:
                Add(differences, options, $"{where}: {Kind(x)} expected, {Kind(y)} found");
                break;
        }
    }

    private static bool IsEvenPadded(ReadOnlySpan<byte> original, ReadOnlySpan<byte> padded) =>
        original.Length % 2 == 1 && padded.Length == original.Length + 1 && padded.StartsWith(original) && padded[^1] is 0x00 or 0x20;

    private static string Kind(DicomItem item) => item switch
    {
        DicomSequence s => $"a sequence ({s.VR.Code}) of {s.Items.Count} items",
        DicomFragmentSequence f => $"encapsulated data ({f.Fragments.Count} fragments)",
        DicomElement e => $"an element ({e.VR.Code}, {e.Length} bytes)",
        _ => item.GetType().Name,
    };

    private static string FirstDifference(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var i = x.CommonPrefixLength(y);
        return i < Math.Min(x.Length, y.Length) ? $", first at byte {i}" : "";
    }

    private static void Add(List<string> differences, DatasetComparison options, string difference)
    {
        if (differences.Count < options.MaxDifferences) differences.Add(difference);
    }
}
