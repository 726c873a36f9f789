using Conduit.Dicom.Tests.Support;

namespace Conduit.Tests.Cli;

/// <summary>`conduit dump` end to end: the built executable on real files.</summary>
public sealed class DumpCommandTests
{
    private static string Sample(string path) => Samples.Get(path).FullPath;

    [Fact]
    public async Task Dump_of_a_good_file_exits_zero_and_prints_a_dcmdump_style_text_dump()
    {
        var run = await ConduitProcess.RunAsync("dump", Sample("ts-explicit-vr-le/CT_small.dcm"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("# Dicom-Meta-Information-Header", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("(0010,0010) PN [CompressedSamples^CT1]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("PatientName", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Dump_of_a_truncated_file_exits_non_zero_naming_the_byte_offset_and_the_tag()
    {
        var run = await ConduitProcess.RunAsync("dump", Sample("malformed/MR_truncated.dcm"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Matches(@"error: .*MR_truncated\.dcm: at byte \d+, element \(7FE0,0010\)", run.Stderr);
    }

    [Fact]
    public async Task A_refused_file_does_not_stop_the_dump_of_the_files_after_it()
    {
        var run = await ConduitProcess.RunAsync("dump", Sample("malformed/MR_truncated.dcm"), Sample("ts-explicit-vr-le/MR_small.dcm"));

        Assert.Equal(2, run.ExitCode); // ExitCodes.BadInput
        Assert.Contains("MR_truncated.dcm", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("PatientName", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warnings_of_a_tolerated_file_go_to_stderr_with_the_file_name()
    {
        var run = await ConduitProcess.RunAsync("dump", Sample("no-preamble/ExplVR_LitEndNoMeta.dcm"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches(@"(?m)^warning: .*ExplVR_LitEndNoMeta\.dcm: ", run.Stderr);
    }

    [Fact]
    public async Task Max_value_length_zero_prints_values_in_full_and_no_meta_leaves_out_group_0002()
    {
        var run = await ConduitProcess.RunAsync("dump", "--max-value-length", "0", "--no-meta", Sample("ts-explicit-vr-le/CT_small.dcm"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.DoesNotContain("(0002,", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("...", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_max_value_length_is_a_usage_error()
    {
        var run = await ConduitProcess.RunAsync("dump", "--max-value-length", "-1", Sample("ts-explicit-vr-le/CT_small.dcm"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--max-value-length", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--stop-before-pixels")]
    [InlineData("--max-value-length")]
    [InlineData("--no-meta")]
    [InlineData("<FILE>")]
    public async Task Dump_help_explains_every_option(string option)
    {
        var run = await ConduitProcess.RunAsync("dump", "--help");

        Assert.Equal(0, run.ExitCode);
        var line = run.Stdout.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(option, StringComparison.Ordinal));
        Assert.True(line is not null, $"dump --help does not list {option}:\n{run.Stdout}");
        // The option's own line carries a description, not just its name.
        Assert.True(line!.Trim().Length > option.Length + 10, $"{option} has no description: '{line}'");
    }

    [Fact]
    public async Task Root_help_lists_the_dump_command_with_a_description()
    {
        var run = await ConduitProcess.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"(?m)^\s+dump <FILE>\s+\S.*dcmdump", run.Stdout);
    }
}
