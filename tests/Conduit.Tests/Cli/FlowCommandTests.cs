using Conduit.Dicom.Tests.Support;
using Conduit.Tests.Support;

namespace Conduit.Tests.Cli;

/// <summary>`conduit flow validate` and `conduit flow test` end to end: the built executable on real files.</summary>
public sealed class FlowCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("conduit-flow-cli");

    public void Dispose() => _dir.Dispose();

    private static string Repository { get; } = FindRepository();

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Conduit.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("no Conduit.slnx above the test binaries");
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A folder with a CT and an MR instance from the corpus, and a file that is not DICOM.</summary>
    private string InputFolder()
    {
        var input = _dir.Sub("input");
        File.Copy(Samples.Get("ts-explicit-vr-le/CT_small.dcm").FullPath, Path.Combine(input, "CT_small.dcm"));
        Directory.CreateDirectory(Path.Combine(input, "mr"));
        File.Copy(Samples.Get("ts-explicit-vr-le/MR_small.dcm").FullPath, Path.Combine(input, "mr", "MR_small.dcm"));
        File.WriteAllText(Path.Combine(input, "README.txt"), "not DICOM");
        return input;
    }

    [Fact]
    public async Task Validate_accepts_the_shipped_flows_and_the_dicomflow_example()
    {
        var files = Directory.GetFiles(Path.Combine(Repository, "flows"), "*.yaml")
            .Append(Path.Combine(Repository, "tests", "Conduit.Pipeline.Tests", "TestData", "dicomflow", "full-flow.yaml"))
            .ToArray();

        var run = await ConduitProcess.RunAsync(["flow", "validate", .. files]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(": ok: flow 'store-all', 0 step(s), 1 destination(s)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(": ok: flow 'FancyFlow' (DicomFlow format), 2 step(s), 2 destination(s)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_prints_each_error_as_file_line_column_and_exits_non_zero()
    {
        var good = Write("flows/good.yaml", "name: good\n");
        var bad = Write("flows/x.yaml", "name: x\nsteps:\n  - name: a\n    type: container\n    image: busybox\n  - name: b\n    type: container\n    image: busybox\n    timeout: 10 minutes\n");

        var run = await ConduitProcess.RunInAsync(_dir.Path, null, "flow", "validate", "flows/good.yaml", "flows/x.yaml");

        Assert.Equal(5, run.ExitCode); // ExitCodes.InvalidConfiguration
        Assert.Contains("flows/x.yaml:9:5: steps[1].timeout: '10 minutes' is not a duration (e.g. 30s, 10m, 1h)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("flows/good.yaml: ok", run.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(good) && File.Exists(bad));
    }

    [Fact]
    public async Task Test_prints_for_each_instance_whether_it_matches_and_why()
    {
        var flow = Write("ct.yaml", "name: ct\ntriggers:\n  - Modality: CT\n    ImageType: '!LOCALIZER'\n");

        var run = await ConduitProcess.RunAsync("flow", "test", flow, "--input", InputFolder());

        Assert.True(run.ExitCode == 0, run.Output);
        var lines = run.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        var ct = lines.IndexOf("CT_small.dcm: MATCH");
        Assert.True(ct >= 0, run.Output);
        Assert.Equal("  trigger 1: matched", lines[ct + 1]);
        Assert.Equal("    ok   Modality: 'CT' matches /CT/", lines[ct + 2]);
        Assert.Equal("    ok   ImageType: 'ORIGINAL\\PRIMARY\\AXIAL' matches not /LOCALIZER/", lines[ct + 3]);
        var mr = lines.IndexOf("mr/MR_small.dcm: no match");
        Assert.True(mr >= 0, run.Output);
        Assert.Equal("    FAIL Modality: 'MR' does not match /CT/", lines[mr + 2]);
        Assert.Contains("1 of 2 instance(s) match", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"series 1\.3\.6\.1\.4\.1\.5962\.1\.3\.1\.1\.20040119072730\.12322 \(1 instance\(s\)\): would start a job", run.Stdout);
        Assert.Contains("warning: README.txt: skipped, not readable as DICOM", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_finds_a_flow_by_name_in_the_configured_flows_directory()
    {
        Write("site/flows/mr.yaml", "name: mr-only\ntriggers:\n  - Modality: MR\n");
        Write("conduit.yaml", "flows:\n  directory: site/flows\n");

        var run = await ConduitProcess.RunInAsync(_dir.Path, null, "flow", "test", "mr-only", "--input", InputFolder());

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("mr/MR_small.dcm: MATCH", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("CT_small.dcm: no match", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_of_a_dicomflow_flow_reports_the_batch_rule()
    {
        var flow = Write("df.yaml", "triggers:\n  - Modality: CT\n  - Modality: MR\nmodels: []\n");

        var run = await ConduitProcess.RunAsync("flow", "test", flow, "--input", InputFolder());

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("DicomFlow rule: every map must match some instance of the batch", run.Stdout, StringComparison.Ordinal);
        // CT_small and MR_small are different studies: neither study has both a CT and an MR.
        Assert.Matches(@"(?m)^study \S+ \(1 instance\(s\)\): no job: trigger 2 is matched by no instance", run.Stdout);
    }

    [Fact]
    public async Task Test_with_study_reads_the_stored_instances_of_that_study_from_the_data_directory()
    {
        var ct = Samples.Get("ts-explicit-vr-le/CT_small.dcm");
        var dataset = Conduit.Dicom.DicomFile.Open(ct.FullPath, Conduit.Dicom.DicomReadOptions.HeaderOnly).Dataset;
        string Uid(Conduit.Dicom.DicomTag tag) => dataset.GetString(tag);
        var studyUid = Uid(Conduit.Dicom.DicomTags.StudyInstanceUID);
        var layout = new Conduit.Pipeline.Store.LocalFileLayout(Path.Combine(_dir.Path, "data"));
        var stored = layout.Resolve(layout.InstanceRelativePath(studyUid, Uid(Conduit.Dicom.DicomTags.SeriesInstanceUID), Uid(Conduit.Dicom.DicomTags.SOPInstanceUID)));
        Directory.CreateDirectory(Path.GetDirectoryName(stored)!);
        File.Copy(ct.FullPath, stored);
        Write("conduit.yaml", "storage:\n  data_directory: data\n");
        var flow = Write("ct.yaml", "name: ct\ntriggers:\n  - Modality: CT\n");

        var run = await ConduitProcess.RunInAsync(_dir.Path, null, "flow", "test", flow, "--study", studyUid);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"(?m)^\S+/\S+\.dcm: MATCH", run.Stdout);
        Assert.Contains("1 of 1 instance(s) match", run.Stdout, StringComparison.Ordinal);

        var missing = await ConduitProcess.RunInAsync(_dir.Path, null, "flow", "test", flow, "--study", "1.2.3.4");
        Assert.Equal(2, missing.ExitCode); // ExitCodes.BadInput
        Assert.Contains("study 1.2.3.4 is not in the store", missing.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Test_needs_exactly_one_of_input_and_study(bool withInput, bool withStudy)
    {
        var flow = Write("ct.yaml", "name: ct\n");
        string[] args = ["flow", "test", flow, .. withInput ? new[] { "--input", _dir.Path } : [], .. withStudy ? new[] { "--study", "1.2.3" } : []];

        var run = await ConduitProcess.RunInAsync(_dir.Path, null, args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("give either --input DIR or --study UID", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_of_an_unknown_flow_is_a_usage_error()
    {
        var run = await ConduitProcess.RunInAsync(_dir.Path, null, "flow", "test", "nope", "--input", _dir.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'nope' is neither a flow file nor the name of a flow", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate", "<FILE>")]
    [InlineData("test", "--input")]
    [InlineData("test", "--config")]
    [InlineData("test", "--study")]
    public async Task Flow_help_explains_every_option(string verb, string option)
    {
        var run = await ConduitProcess.RunAsync("flow", verb, "--help");

        Assert.Equal(0, run.ExitCode);
        var line = run.Stdout.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(option, StringComparison.Ordinal));
        Assert.True(line is not null && line.Trim().Length > option.Length + 10, $"flow {verb} --help does not describe {option}:\n{run.Stdout}");
    }
}
