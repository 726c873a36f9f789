using System.IO.Compression;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Dicom.Tests.Corpus;

/// <summary>Must-show 3 of issue 2: read → write → read gives the same data set; byte-identical for well-formed files in their own syntax.</summary>
public class RoundTripTests
{
    private static readonly DicomReadOptions LoadAll = new() { LazyValueThreshold = long.MaxValue };

    private static bool Readable(string path) => path != "no-preamble/no_meta.dcm";

    [Theory]
    [MemberData(nameof(Samples.WellFormedPaths), MemberType = typeof(Samples))]
    public void Read_write_read_in_its_own_syntax_gives_the_same_data_set(string path)
    {
        if (!Readable(path)) return;
        var original = DicomFile.Open(Samples.Get(path).FullPath, LoadAll);
        var written = new MemoryStream();
        original.WriteTo(written, original.TransferSyntax.IsKnown ? null : DicomTransferSyntax.ExplicitVRLittleEndian);
        written.Position = 0;
        var reread = DicomFile.Open(written, LoadAll);

        Assert.DoesNotContain(reread.Warnings, w => !original.Warnings.Any(o => o.Message == w.Message));
        Assert.Equal(original.TransferSyntax.Uid, reread.TransferSyntax.Uid);
        DatasetAssert.Equal(original.Dataset, reread.Dataset);
        Assert.Equal(DicomImplementation.ClassUid, reread.Meta.GetString(DicomTags.ImplementationClassUID));
    }

    /// <summary>A file read without any warning is written back with exactly the bytes of its data set.</summary>
    [Theory]
    [MemberData(nameof(Samples.WellFormedPaths), MemberType = typeof(Samples))]
    public void Well_formed_file_written_in_its_own_syntax_is_byte_identical_in_its_data_set(string path)
    {
        if (!Readable(path)) return;
        var bytes = File.ReadAllBytes(Samples.Get(path).FullPath);
        var original = DicomFile.Open(new MemoryStream(bytes), LoadAll);
        if (original.Warnings.Count > 0) return; // tolerated defects are not written back as they were: covered above.

        var expected = bytes.AsSpan((int)original.DatasetOffset).ToArray();
        var actual = new MemoryStream();
        var syntax = original.TransferSyntax;
        if (syntax.IsDeflated)
        {
            expected = Inflate(expected);
            syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        }
        DicomWriter.WriteDataset(actual, original.Dataset, syntax);
        var written = actual.ToArray();
        var firstDifference = expected.AsSpan().CommonPrefixLength(written);
        Assert.True(expected.Length == written.Length && firstDifference == expected.Length,
            $"data set differs from byte {firstDifference} (expected {expected.Length} bytes, wrote {written.Length})");
    }

    [Theory]
    [MemberData(nameof(Samples.WellFormedPaths), MemberType = typeof(Samples))]
    public void Uncompressed_file_converts_between_the_three_uncompressed_syntaxes_without_loss(string path)
    {
        if (!Readable(path)) return;
        var original = DicomFile.Open(Samples.Get(path).FullPath, LoadAll);
        if (!original.TransferSyntax.IsUncompressed) return;
        foreach (var target in new[] { DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRBigEndian, DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.DeflatedExplicitVRLittleEndian })
        {
            var ms = new MemoryStream();
            original.WriteTo(ms, target);
            ms.Position = 0;
            var converted = DicomFile.Open(ms, LoadAll);
            Assert.Equal(target.Uid, converted.TransferSyntax.Uid);
            // Implicit VR forgets the VR of unknown private elements (they come back as UN), so VRs are compared only between explicit syntaxes.
            var bothExplicit = target.IsExplicitVR && original.TransferSyntax.IsExplicitVR;
            DatasetAssert.Equal(original.Dataset, converted.Dataset, compareVRs: bothExplicit);
        }
    }


    [Fact]
    public void Compressed_file_is_not_silently_transcoded()
    {
        var file = DicomFile.Open(Samples.Get("jpeg-baseline/SC_rgb_dcmtk_+eb+cr.dcm").FullPath);
        Assert.Throws<NotSupportedException>(() => file.WriteTo(new MemoryStream(), DicomTransferSyntax.ExplicitVRLittleEndian));
    }

    private static byte[] Inflate(byte[] deflated)
    {
        using var input = new DeflateStream(new MemoryStream(deflated), CompressionMode.Decompress);
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
