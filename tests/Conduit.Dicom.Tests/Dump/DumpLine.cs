using System.Text.RegularExpressions;

namespace Conduit.Dicom.Tests.Dump;

/// <summary>The columns of one dcmdump-style line that our dump and dcmdump are compared on.</summary>
internal sealed partial record DumpLine(int Indent, string Tag, string VR, string Length, string Keyword)
{
    // "  (gggg,eeee) VR value... # length,VM keyword" — the value is skipped: the columns after the last " # " are fixed.
    [GeneratedRegex(@"^( *)\(([0-9a-f]{4},[0-9a-f]{4})\) (\S\S) .* # *(\S+), *\d+ (.*)$")]
    private static partial Regex LinePattern();

    public static IReadOnlyList<DumpLine> Parse(string dump)
    {
        var lines = new List<DumpLine>();
        foreach (var line in dump.Split('\n'))
        {
            var m = LinePattern().Match(line.TrimEnd('\r'));
            if (m.Success)
                lines.Add(new DumpLine(m.Groups[1].Length, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value));
        }
        return lines;
    }

    public override string ToString() => $"{new string(' ', Indent)}({Tag}) {VR} #{Length} {Keyword}";
}
