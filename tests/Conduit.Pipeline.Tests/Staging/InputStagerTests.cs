using Conduit.Dicom;
using Conduit.Pipeline.Staging;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Pipeline.Tests.Staging;

public sealed class InputStagerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-stage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Sample(string relative) => Path.Combine(Samples.Directory, relative);

    [Fact]
    public async Task A_flat_layout_copies_each_instance_as_its_SOP_Instance_UID()
    {
        var files = new[] { Sample("charset/chrGerm.dcm"), Sample("charset/chrGreek.dcm") };

        var staged = await InputStager.StageAsync(files, Path.Combine(_dir, "input"), InputLayout.Flat, CancellationToken.None);

        Assert.Equal(2, staged.Count);
        for (var i = 0; i < files.Length; i++)
        {
            var sop = DicomFile.Open(files[i]).Dataset.GetString(new DicomTag(0x0008, 0x0018));
            Assert.Equal(Path.Combine(_dir, "input", sop + ".dcm"), staged[i]);
            Assert.Equal(File.ReadAllBytes(files[i]), File.ReadAllBytes(staged[i]));
        }
    }

    [Fact]
    public async Task Subfolders_are_named_after_sanitised_tag_values()
    {
        var file = Sample("charset/chrGerm.dcm");
        var dataset = DicomFile.Open(file).Dataset;
        var layout = new InputLayout([new DicomTag(0x0010, 0x0010), new DicomTag(0x0008, 0x0060)]); // PatientName, Modality

        var staged = Assert.Single(await InputStager.StageAsync([file], Path.Combine(_dir, "input"), layout, CancellationToken.None));

        var relative = Path.GetRelativePath(Path.Combine(_dir, "input"), staged).Split('/');
        Assert.Equal(3, relative.Length);
        Assert.Equal(dataset.GetString(new DicomTag(0x0008, 0x0060)), relative[1]);
        // The German patient name holds '^' and non-ASCII letters: none survive into the path.
        Assert.Matches("^[A-Za-z0-9._-]+$", relative[0]);
        Assert.DoesNotContain("..", relative[0]);
    }
}
