namespace Conduit.Dicom.Tests.Support;

public sealed class SamplesTests
{
    [Fact]
    public void The_manifest_lists_every_sample_with_its_transfer_syntax()
    {
        Assert.True(Samples.All.Count >= 300, $"only {Samples.All.Count} rows in MANIFEST.tsv");
        Assert.All(Samples.All, s => Assert.StartsWith("1.2.840.10008.1.2", s.TransferSyntaxUid, StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_samples_are_the_ones_under_malformed()
    {
        Assert.NotEmpty(Samples.Malformed);
        Assert.All(Samples.Malformed, s => Assert.StartsWith("malformed/", s.Path, StringComparison.Ordinal));
        Assert.DoesNotContain(Samples.WellFormed, s => s.IsMalformed);
    }

    [Theory]
    [MemberData(nameof(Samples.AllPaths), MemberType = typeof(Samples))]
    public void Every_listed_sample_exists_with_its_listed_size(string path)
    {
        var sample = Samples.Get(path);
        Assert.Equal(sample.Size, new FileInfo(sample.FullPath).Length);
    }
}
