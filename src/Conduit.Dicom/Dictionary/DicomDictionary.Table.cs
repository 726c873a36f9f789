using System.Globalization;

namespace Conduit.Dicom;

public static partial class DicomDictionary
{
    /// <summary>
    /// Parses one row of the generated table (tag|mask|keyword|name|VRs|VM|R|creator, see DicomDictionary.g.cs).
    /// A string table keeps the generated file quick to compile compared with thousands of constructor calls.
    /// </summary>
    private static DicomDictionaryEntry ParseRow(ReadOnlySpan<char> line)
    {
        Span<Range> fields = stackalloc Range[9];
        int count = line.Split(fields, '|');
        if (count < 6 || count > 8)
            throw new InvalidOperationException($"Malformed dictionary line: {line}");

        var tag = uint.Parse(line[fields[0]], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var maskText = line[fields[1]];
        var mask = maskText.IsEmpty ? 0xFFFFFFFFu : uint.Parse(maskText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var keyword = line[fields[2]].ToString();
        var nameText = line[fields[3]];
        var name = nameText.IsEmpty ? keyword : nameText.ToString();
        var vrs = ParseVRs(line[fields[4]]);
        var vm = line[fields[5]].ToString();
        var retired = count > 6 && line[fields[6]].SequenceEqual("R");
        string? creator = count > 7 && !line[fields[7]].IsEmpty ? line[fields[7]].ToString() : null;
        return new DicomDictionaryEntry(new DicomTag(tag), mask, keyword, name, vrs, vm, retired, creator);
    }

    private static DicomVR[] ParseVRs(ReadOnlySpan<char> text)
    {
        var vrs = new DicomVR[text.Count('/') + 1];
        var i = 0;
        foreach (var part in text.Split('/'))
        {
            var p = text[part];
            if (p.SequenceEqual("--")) { vrs[i++] = DicomVR.None; continue; }
            if (p.Length != 2) throw new InvalidOperationException($"Bad VR '{p}' in the dictionary table.");
            var vr = (DicomVR)((p[0] << 8) | p[1]);
            if (!Enum.IsDefined(vr)) throw new InvalidOperationException($"Unknown VR '{p}' in the dictionary table.");
            vrs[i++] = vr;
        }
        return vrs;
    }
}
