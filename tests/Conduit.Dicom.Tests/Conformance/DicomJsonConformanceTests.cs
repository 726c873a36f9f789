using System.Text.Json;
using Conduit.Dicom.Tests.Support;
using Xunit.Abstractions;

namespace Conduit.Dicom.Tests.Conformance;

/// <summary>
/// Issue 2, must-show 2: Conduit's DICOM JSON agrees, as DICOM values, with a reference reader on every sample:
/// dcm2json where it can read the file, else pydicom (docs/conformance.md). Documented deviations of the
/// references are accepted through <see cref="KnownDeviations"/> and printed; anything else fails.
/// </summary>
public sealed class DicomJsonConformanceTests(ITestOutputHelper output)
{
    /// <summary>Samples outside malformed/ that Conduit refuses, with the reason (docs/conformance.md).</summary>
    private static readonly Dictionary<string, string> BrokenOutsideMalformed = new(StringComparer.Ordinal)
    {
        ["no-preamble/no_meta.dcm"] = "the data set starts one byte in (a stray 0x20), so the first tag reads as (0820,0500) "
            + "with a length of 173 MB; dcmtk refuses it too, pydicom returns that one truncated element",
    };

    [Theory]
    [MemberData(nameof(Samples.AllPaths), MemberType = typeof(Samples))]
    public void Conduit_json_equals_the_reference_readers_json(string path)
    {
        var sample = Samples.Get(path);
        var reference = ReferenceJson.For(path);
        DicomFile file;
        try
        {
            file = DicomFile.Open(sample.FullPath);
        }
        catch (DicomReadException ex)
        {
            Assert.True(sample.IsMalformed || BrokenOutsideMalformed.ContainsKey(path), $"a well-formed sample was refused: {ex.Message}");
            output.WriteLine($"refused: {ex.Message}");
            return;
        }

        var json = DicomJsonWriter.Serialize(file);
        output.WriteLine($"reference: {reference.Source}" + (reference.Dcm2JsonFailure is { } why ? $" (dcm2json: {why})" : ""));
        if (reference.Source == ReferenceSource.None)
        {
            // No sample is in this state today: every file one reference cannot read, the other can.
            Assert.True(sample.IsMalformed, $"no reference for a well-formed sample: pydicom said {reference.PydicomFailure}");
            return;
        }

        var allow = KnownDeviations.Either(
            KnownDeviations.ForFile(path),
            reference.Source == ReferenceSource.Dcm2Json
                ? KnownDeviations.Dcm2Json()
                : KnownDeviations.Pydicom(sample.TransferSyntaxUid, UnknownVrPaths(json)));
        var allowed = new List<DicomJsonDifference>();
        var differences = DicomJsonComparer.Compare(reference.Json!, json, allow, allowed);
        foreach (var a in allowed.Take(20)) output.WriteLine($"allowed: {a}");
        Assert.True(differences.Count == 0, $"{path} against {reference.Source}: {DicomJsonComparer.Describe(differences)}");
    }

    [Fact]
    public void Every_sample_has_a_reference_or_is_refused_as_malformed()
    {
        int dcm2json = 0, pydicom = 0, none = 0, refused = 0;
        foreach (var sample in Samples.All)
        {
            var reference = ReferenceJson.For(sample.Path);
            try
            {
                DicomFile.Open(sample.FullPath);
            }
            catch (DicomReadException ex)
            {
                refused++;
                output.WriteLine($"refused: {sample.Path}: {ex.Message}");
                continue;
            }
            switch (reference.Source)
            {
                case ReferenceSource.Dcm2Json: dcm2json++; break;
                case ReferenceSource.Pydicom: pydicom++; output.WriteLine($"pydicom: {sample.Path} (dcm2json: {reference.Dcm2JsonFailure})"); break;
                default: none++; output.WriteLine($"no reference: {sample.Path} (pydicom: {reference.PydicomFailure})"); break;
            }
        }
        output.WriteLine($"{Samples.All.Count} samples: {dcm2json} against dcm2json, {pydicom} against pydicom, {none} without a reference, {refused} refused by Conduit");
        Assert.Equal(Samples.All.Count, dcm2json + pydicom + none + refused);
        Assert.True(refused <= Samples.Malformed.Count() + BrokenOutsideMalformed.Count, $"{refused} samples refused");
        Assert.True(dcm2json >= 200, $"only {dcm2json} samples compared with dcm2json");
    }

    /// <summary>The same comparison through the built executable, to prove the CLI path: one array, null for a refused file.</summary>
    [Fact]
    public void Conduit_dump_json_on_several_files_writes_an_array_that_matches_the_references()
    {
        string[] paths =
        [
            "ts-explicit-vr-le/CT_small.dcm",      // dcm2json
            "charset/chrH31.dcm",                  // pydicom: ISO 2022 IR 87
            "jpeg-baseline/SC_rgb_jpeg.dcm",       // pydicom: encapsulated Pixel Data
            "ts-explicit-vr-be/ExplVR_BigEnd.dcm", // dcm2json, big endian
        ];
        var conduit = Path.Combine(ReferenceJson.RepositoryRoot, "src", "Conduit", "bin", BuildConfiguration(), "net10.0", "conduit.dll");
        Assert.True(File.Exists(conduit), $"{conduit} is not built");
        var (exit, stdout, stderr) = ReferenceJson.Run("dotnet", [conduit, "dump", "--json", .. paths.Select(p => Samples.Get(p).FullPath)], TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, $"conduit dump --json exited {exit}: {stderr}");

        using var document = JsonDocument.Parse(stdout);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal(paths.Length, document.RootElement.GetArrayLength());
        for (var i = 0; i < paths.Length; i++)
        {
            var reference = ReferenceJson.For(paths[i]);
            var allow = reference.Source == ReferenceSource.Dcm2Json
                ? KnownDeviations.Dcm2Json()
                : KnownDeviations.Pydicom(Samples.Get(paths[i]).TransferSyntaxUid, UnknownVrPaths(document.RootElement[i].GetRawText()));
            using var expected = JsonDocument.Parse(reference.Json!);
            var differences = DicomJsonComparer.Compare(expected.RootElement, document.RootElement[i], allow);
            Assert.True(differences.Count == 0, $"{paths[i]}: {DicomJsonComparer.Describe(differences)}");
        }
    }

    [Fact]
    public void Conduit_dump_json_on_a_refused_file_exits_2_with_the_error_on_stderr_and_only_json_on_stdout()
    {
        var conduit = Path.Combine(ReferenceJson.RepositoryRoot, "src", "Conduit", "bin", BuildConfiguration(), "net10.0", "conduit.dll");
        var good = Samples.Get("ts-explicit-vr-le/CT_small.dcm").FullPath;
        var missing = Path.Combine(Path.GetTempPath(), $"conduit-no-such-{Guid.NewGuid():N}.dcm");
        var (exit, stdout, stderr) = ReferenceJson.Run("dotnet", [conduit, "dump", "--json", good, missing], TimeSpan.FromMinutes(1));
        Assert.Equal(2, exit);
        Assert.Contains("error:", stderr, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(stdout);
        Assert.Equal(JsonValueKind.Object, document.RootElement[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, document.RootElement[1].ValueKind);
    }

    /// <summary>JSON Pointers of the "vr" members that say UN in Conduit's document, at any depth.</summary>
    private static HashSet<string> UnknownVrPaths(string json)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        Collect(document.RootElement, "");
        return paths;

        void Collect(JsonElement dataSet, string prefix)
        {
            foreach (var attribute in dataSet.EnumerateObject())
            {
                var path = $"{prefix}/{attribute.Name}";
                if (attribute.Value.TryGetProperty("vr", out var vr) && vr.GetString() == "UN") paths.Add($"{path}/vr");
                if (attribute.Value.TryGetProperty("Value", out var values) && values.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var value in values.EnumerateArray())
                    {
                        if (value.ValueKind == JsonValueKind.Object && vr.GetString() == "SQ") Collect(value, $"{path}/Value/{i}");
                        i++;
                    }
                }
            }
        }
    }

    /// <summary>Debug or Release: the configuration this test assembly was built in (bin/&lt;configuration&gt;/net10.0).</summary>
    private static string BuildConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
