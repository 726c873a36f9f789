using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Store;

public sealed class FileLayoutTests
{
    [Fact]
    public void An_instance_lives_under_instances_study_series_sop()
    {
        var layout = new LocalFileLayout("/data/conduit");

        var relative = layout.InstanceRelativePath("1.2.3", "1.2.3.4", "1.2.3.4.5");

        Assert.Equal("instances/1.2.3/1.2.3.4/1.2.3.4.5.dcm", relative);
        Assert.Equal("/data/conduit/instances/1.2.3/1.2.3.4/1.2.3.4.5.dcm", layout.Resolve(relative));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("1.2.3/../../x")]
    [InlineData("..")]
    [InlineData("1.2..3")]
    [InlineData(".1.2")]
    [InlineData("1.2.")]
    [InlineData("1.2.3\0")]
    [InlineData("")]
    [InlineData("1.2.840.10008.123456789012345678901234567890123456789012345678901234567")]
    public void A_UID_that_is_not_digits_and_dots_never_becomes_a_path(string uid)
    {
        var layout = new LocalFileLayout("/data/conduit");

        Assert.Throws<ArgumentException>(() => layout.InstanceRelativePath(uid, "1.2", "1.2.3"));
        Assert.Throws<ArgumentException>(() => layout.InstanceRelativePath("1.2", uid, "1.2.3"));
        Assert.Throws<ArgumentException>(() => layout.InstanceRelativePath("1.2", "1.2", uid));
    }

    [Fact]
    public void A_recorded_path_that_escapes_the_data_directory_is_refused()
    {
        var layout = new LocalFileLayout("/data/conduit");

        Assert.Throws<ArgumentException>(() => layout.Resolve("../conduit-other/x.dcm"));
        Assert.Throws<ArgumentException>(() => layout.Resolve("/etc/passwd"));
    }

    [Fact]
    public void Step_directories_are_created_under_the_job_and_names_are_checked()
    {
        using var temp = new TempDirectory();
        var layout = new LocalFileLayout(temp.Path);

        var dirs = layout.CreateStepDirectories("01JOB", "segment-1");

        Assert.Equal(temp.Combine("jobs", "01JOB", "steps", "segment-1", "input"), dirs.Input);
        Assert.True(Directory.Exists(dirs.Input) && Directory.Exists(dirs.Output));
        Assert.Throws<ArgumentException>(() => layout.CreateStepDirectories("01JOB", "../x"));
        Assert.Throws<ArgumentException>(() => layout.CreateStepDirectories("a/b", "s"));
    }
}
