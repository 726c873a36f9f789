using System.Globalization;

namespace Conduit.Dicom.Tests.Support;

/// <summary>One row of the sample corpus's MANIFEST.tsv.</summary>
/// <param name="Path">Path relative to the corpus directory, with '/' separators.</param>
public sealed record SampleFile(
    string Path,
    string TransferSyntaxUid,
    string SopClassUid,
    string Modality,
    long Size,
    string Notes)
{
    /// <summary>The file is deliberately broken (it lives in <c>malformed/</c>).</summary>
    public bool IsMalformed => Path.StartsWith("malformed/", StringComparison.Ordinal);

    public string FullPath => System.IO.Path.Combine(Samples.Directory, Path);

    public override string ToString() => Path;
}

/// <summary>
/// The shared DICOM sample corpus (<c>shared/dicom-samples</c> beside the repository).
/// Found through the <c>CONDUIT_SAMPLES</c> environment variable, else by walking up
/// from the test binary's directory. Missing corpus is an error, never a silent skip.
/// </summary>
public static class Samples
{
    public const string EnvironmentVariable = "CONDUIT_SAMPLES";
    private const string ManifestName = "MANIFEST.tsv";

    private static readonly Lazy<string> CorpusDirectory = new(FindDirectory);
    private static readonly Lazy<IReadOnlyList<SampleFile>> Manifest = new(() => ReadManifest(Directory));

    /// <summary>Absolute path of the corpus directory.</summary>
    public static string Directory => CorpusDirectory.Value;

    /// <summary>Every file listed in MANIFEST.tsv, in manifest order.</summary>
    public static IReadOnlyList<SampleFile> All => Manifest.Value;

    public static IEnumerable<SampleFile> WellFormed => All.Where(s => !s.IsMalformed);

    public static IEnumerable<SampleFile> Malformed => All.Where(s => s.IsMalformed);

    public static SampleFile Get(string path) =>
        All.FirstOrDefault(s => s.Path == path)
        ?? throw new ArgumentException($"'{path}' is not in {ManifestName}", nameof(path));

    /// <summary>xunit MemberData: the relative path of every sample.</summary>
    public static TheoryData<string> AllPaths => ToTheoryData(All);

    /// <summary>xunit MemberData: the relative path of every sample outside <c>malformed/</c>.</summary>
    public static TheoryData<string> WellFormedPaths => ToTheoryData(WellFormed);

    /// <summary>xunit MemberData: the relative path of every sample in <c>malformed/</c>.</summary>
    public static TheoryData<string> MalformedPaths => ToTheoryData(Malformed);

    private static TheoryData<string> ToTheoryData(IEnumerable<SampleFile> samples)
    {
        var data = new TheoryData<string>();
        foreach (var sample in samples)
        {
            data.Add(sample.Path);
        }
        return data;
    }

    /// <summary>Parses MANIFEST.tsv: tab-separated, one header line, no quoting (see the corpus README).</summary>
    public static IReadOnlyList<SampleFile> ReadManifest(string corpusDirectory)
    {
        var manifestPath = System.IO.Path.Combine(corpusDirectory, ManifestName);
        using var reader = new StreamReader(manifestPath);
        var header = reader.ReadLine()?.Split('\t')
            ?? throw new InvalidDataException($"{manifestPath} is empty");

        int Column(string name)
        {
            var index = Array.IndexOf(header, name);
            return index >= 0 ? index : throw new InvalidDataException($"{manifestPath} has no '{name}' column");
        }

        int path = Column("path"), ts = Column("transfer_syntax_uid"), sop = Column("sop_class_uid"),
            modality = Column("modality"), size = Column("size_bytes"), notes = Column("notes");

        var rows = new List<SampleFile>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split('\t');
            if (fields.Length != header.Length)
            {
                throw new InvalidDataException(
                    $"{manifestPath}:{lineNumber}: {fields.Length} fields, header has {header.Length}");
            }
            rows.Add(new SampleFile(
                fields[path],
                fields[ts],
                fields[sop],
                fields[modality],
                long.Parse(fields[size], NumberStyles.None, CultureInfo.InvariantCulture),
                fields[notes]));
        }
        return rows;
    }

    private static string FindDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(System.IO.Path.Combine(fromEnvironment, ManifestName))
                ? System.IO.Path.GetFullPath(fromEnvironment)
                : throw new DirectoryNotFoundException(
                    $"{EnvironmentVariable}={fromEnvironment} has no {ManifestName}");
        }

        // The repository and shared/ are siblings (…/work/wt/infra and …/work/shared),
        // so some ancestor of the test binary has a shared/dicom-samples child.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "dicom-samples");
            if (File.Exists(System.IO.Path.Combine(candidate, ManifestName)))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"DICOM sample corpus not found: set {EnvironmentVariable} or put shared/dicom-samples " +
            $"beside the repository (searched upwards from {AppContext.BaseDirectory})");
    }
}
