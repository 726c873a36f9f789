using System.Globalization;

namespace Conduit.Dicom;

public static partial class DicomDictionary
{
    /// <summary>
    /// Parses the generated table (one entry per line: tag|mask|keyword|name|VRs|VM|R|creator, see DicomDictionary.g.cs).
    /// A string table keeps the generated file quick to compile and JIT compared with thousands of constructor calls.
    /// </summary>
    private static DicomDictionaryEntry[] ParseTable(string table)
    {
        var entries = new List<DicomDictionaryEntry>(PublicEntryCount + PrivateEntryCount);
        var vrCache = new Dictionary<string, DicomVR[]>(StringComparer.Ordinal);
        var vmCache = new Dictionary<string, string>(StringComparer.Ordinal);
        Span<Range> fields = stackalloc Range[9];

        foreach (var rawLine in table.AsSpan().EnumerateLines())
        {
            var line = rawLine.TrimEnd('\r');
            if (line.IsEmpty) continue;
            int count = line.Split(fields, '|');
            if (count < 6 || count > 8)
                throw new InvalidOperationException($"Malformed dictionary line: {line}");

            var tag = uint.Parse(line[fields[0]], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var maskText = line[fields[1]];
            var mask = maskText.IsEmpty ? 0xFFFFFFFFu : uint.Parse(maskText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var keyword = line[fields[2]].ToString();
            var nameText = line[fields[3]];
            var name = nameText.IsEmpty ? keyword : nameText.ToString();
            var vrText = line[fields[4]].ToString();
            if (!vrCache.TryGetValue(vrText, out var vrs))
                vrCache[vrText] = vrs = ParseVRs(vrText);
            var vmText = line[fields[5]].ToString();
            if (!vmCache.TryGetValue(vmText, out var vm))
                vmCache[vmText] = vm = vmText;
            var retired = count > 6 && line[fields[6]].SequenceEqual("R");
            string? creator = count > 7 && !line[fields[7]].IsEmpty ? line[fields[7]].ToString() : null;

            entries.Add(new DicomDictionaryEntry(new DicomTag(tag), mask, keyword, name, vrs, vm, retired, creator));
        }
        return [.. entries];
    }

    private static DicomVR[] ParseVRs(string text)
    {
        var parts = text.Split('/');
        var vrs = new DicomVR[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            if (p == "--") { vrs[i] = DicomVR.None; continue; }
            if (p.Length != 2) throw new InvalidOperationException($"Bad VR '{p}' in the dictionary table.");
            var vr = (DicomVR)((p[0] << 8) | p[1]);
            if (!Enum.IsDefined(vr)) throw new InvalidOperationException($"Unknown VR '{p}' in the dictionary table.");
            vrs[i] = vr;
        }
        return vrs;
    }
}
