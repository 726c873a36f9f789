namespace Conduit.Dicom.Tests.Malformed;

/// <summary>
/// <see cref="DicomReadOptions.SkipBulkDataOver"/>: a reader that validates an instance leaves its large binary values
/// out of the data set, and still refuses one that runs past the end of the data.
/// </summary>
public class SkipBulkDataTests
{
    private static readonly DicomReadOptions Skip1K = new() { SkipBulkDataOver = 1024 };
    private static readonly DicomTag PixelData = new(0x7FE00010);
    private static readonly DicomTag SmallBinary = new(0x00091010); // private OB of 100 bytes
    private static readonly DicomTag LongText = new(0x00204000); // Image Comments, LT
    private static readonly DicomTag AfterPixelData = new(0x7FE11010);
    private static readonly DicomTag UnknownLong = new(0x00091011);

    private static byte[] Encoded(DicomTransferSyntax syntax)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x00080018), DicomVR.UI, "1.2.3.4");
        ds.AddOrUpdate(new DicomTag(0x00090010), DicomVR.LO, "CONDUIT TEST");
        ds.AddOrUpdate(SmallBinary, DicomVR.OB, Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());
        ds.AddOrUpdate(LongText, DicomVR.LT, new string('c', 4000)); // text is never skipped, however long
        ds.AddOrUpdate(UnknownLong, DicomVR.UN, new byte[2000]); // nor an unknown element, which may be text
        ds.AddOrUpdate(PixelData, DicomVR.OW, new byte[8192]);
        ds.AddOrUpdate(new DicomTag(0x7FE10010), DicomVR.LO, "TRAILER");
        ds.AddOrUpdate(AfterPixelData, DicomVR.OB, new byte[] { 1, 2, 3, 4 });
        using var stream = new MemoryStream();
        DicomWriter.WriteDataset(stream, ds, syntax);
        return stream.ToArray();
    }

    public static TheoryData<string> Syntaxes => new() { DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid };

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void BinaryValuesOverTheLimitAreLeftOutAndEverythingElseIsRead(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Parse(syntaxUid);
        var bytes = Encoded(syntax);

        var ds = DicomReader.ReadDataset(new MemoryStream(bytes), syntax, Skip1K);

        Assert.False(ds.Contains(PixelData));
        Assert.Equal(100, ds.GetBytes(SmallBinary).Length);
        Assert.Equal(4000, ds.GetStringOrDefault(LongText)!.Length);
        Assert.Equal(2000, ds.GetBytes(UnknownLong).Length);
        Assert.Equal([1, 2, 3, 4], ds.GetBytes(AfterPixelData).ToArray());
        Assert.Equal("1.2.3.4", ds.GetStringOrDefault(new DicomTag(0x00080018))?.TrimEnd('\0'));
        // Without the option, the same bytes give the Pixel Data too.
        Assert.Equal(8192, DicomReader.ReadDataset(new MemoryStream(bytes), syntax).GetBytes(PixelData).Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ASkippedValueRunningPastTheEndOfTheDataIsRefused(bool seekable)
    {
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        var bytes = Encoded(syntax);
        // Cut inside the Pixel Data value: what a truncated transfer leaves.
        var pixelDataStart = IndexOfTag(bytes, PixelData);
        var cut = bytes.AsSpan(0, pixelDataStart + 12 + 4000).ToArray();
        Stream stream = seekable ? new MemoryStream(cut) : new ForwardOnlyStream(cut);

        var ex = Assert.Throws<DicomReadException>(() => DicomReader.ReadDataset(stream, syntax, Skip1K));
        Assert.Equal(PixelData, ex.Tag);
    }

    private static int IndexOfTag(byte[] bytes, DicomTag tag)
    {
        ReadOnlySpan<byte> pattern = [(byte)(tag.Group & 0xFF), (byte)(tag.Group >> 8), (byte)(tag.Element & 0xFF), (byte)(tag.Element >> 8)];
        var index = bytes.AsSpan().IndexOf(pattern);
        Assert.True(index >= 0);
        return index;
    }
}
