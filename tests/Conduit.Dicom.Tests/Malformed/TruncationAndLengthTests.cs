namespace Conduit.Dicom.Tests.Malformed;

/// <summary>Data that ends too soon or declares more than it has: refused with the offset and tag, never allocated.</summary>
public class TruncationAndLengthTests
{
    private static readonly DicomTransferSyntax ExplicitLE = DicomTransferSyntax.ExplicitVRLittleEndian;
    private static readonly DicomTransferSyntax ImplicitLE = DicomTransferSyntax.ImplicitVRLittleEndian;

    private static DicomReadException Refused(byte[] bytes, DicomTransferSyntax syntax, bool seekable = true) =>
        Assert.Throws<DicomReadException>(() =>
            DicomReader.ReadDataset(seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes), syntax));

    [Fact]
    public void A_long_VR_header_cut_short_is_refused_at_the_element()
    {
        var b = new DicomBytes().Explicit(DicomTags.PatientName, "PN", "Doe^John");
        var at = b.Position;
        var bytes = b.Explicit(DicomTags.PixelData, "OW", 4).ToArray()[..^2];

        var ex = Refused(bytes, ExplicitLE);
        Assert.Equal(at, ex.Offset);
        Assert.Equal(DicomTags.PixelData, ex.Tag);
    }

    [Fact]
    public void Fewer_than_eight_bytes_after_the_last_element_are_ignored_with_a_warning()
    {
        var bytes = new DicomBytes().Explicit(DicomTags.PatientName, "PN", "Doe^John")
            .Tag(DicomTags.PatientID).Text("LO").ToArray();

        var file = DicomReader.ReadFile(new MemoryStream(bytes));

        Assert.Equal("Doe^John", file.Dataset.GetString(DicomTags.PatientName));
        Assert.Contains(file.Warnings, w => w.Offset == 16 && w.Message.Contains("6 trailing byte(s)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_value_cut_short_is_refused_at_its_element(bool seekable)
    {
        var b = new DicomBytes().Explicit(DicomTags.PatientName, "PN", "Doe^John");
        var at = b.Position;
        var bytes = b.Explicit(DicomTags.PatientID, "LO", 10).Text("1234").ToArray();

        var ex = Refused(bytes, ExplicitLE, seekable);
        Assert.Equal(at, ex.Offset);
        Assert.Equal(DicomTags.PatientID, ex.Tag);
        Assert.Contains("10", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_length_past_the_end_is_refused_before_reading_it()
    {
        var b = new DicomBytes().Implicit(DicomTags.PatientName, "Doe^John");
        var at = b.Position;
        var bytes = b.Implicit(DicomTags.PixelData, 1000).Raw(new byte[100]).ToArray();

        var ex = Refused(bytes, ImplicitLE);
        Assert.Equal(at, ex.Offset);
        Assert.Equal(DicomTags.PixelData, ex.Tag);
        Assert.Contains("past the end", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("explicit", true)]
    [InlineData("explicit", false)]
    [InlineData("implicit", true)]
    [InlineData("implicit", false)]
    public void A_4_GB_length_is_refused_quickly_without_allocating_it(string vrEncoding, bool seekable)
    {
        var b = new DicomBytes().Explicit(DicomTags.PatientName, "PN", "Doe^John");
        if (vrEncoding == "implicit") b = new DicomBytes().Implicit(DicomTags.PatientName, "Doe^John");
        var at = b.Position;
        var bytes = (vrEncoding == "implicit" ? b.Implicit(DicomTags.PixelData, 0xFFFFFFF0) : b.Explicit(DicomTags.PixelData, "OB", 0xFFFFFFF0))
            .Raw(new byte[64]).ToArray();
        var syntax = vrEncoding == "implicit" ? ImplicitLE : ExplicitLE;
        Refused(bytes, syntax, seekable); // warm up: JIT and the buffer pool

        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = Refused(bytes, syntax, seekable);
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(at, ex.Offset);
        Assert.Equal(DicomTags.PixelData, ex.Tag);
        Assert.InRange(allocated, 0, 1 << 20);
        Assert.InRange(watch.ElapsedMilliseconds, 0, 1000);
    }

    [Fact]
    public void A_4_GB_length_inside_a_sequence_item_is_refused_at_that_element()
    {
        var b = new DicomBytes().Explicit(DicomTags.ReferencedImageSequence, "SQ", DicomBytes.Undefined).Item();
        var at = b.Position;
        var bytes = b.Explicit(DicomTags.ReferencedSOPInstanceUID, "UN", 0xFFFFFFF0).Raw(new byte[16]).ToArray();

        var ex = Refused(bytes, ExplicitLE);
        Assert.Equal(at, ex.Offset);
        Assert.Equal(DicomTags.ReferencedSOPInstanceUID, ex.Tag);
    }

    [Fact]
    public void An_item_length_past_the_end_is_refused_at_the_item()
    {
        var b = new DicomBytes().Explicit(DicomTags.ReferencedImageSequence, "SQ", DicomBytes.Undefined);
        var at = b.Position;
        var bytes = b.Item(0x7FFFFFF0).Explicit(DicomTags.ReferencedSOPInstanceUID, "UI", "1.2\0").ToArray();

        var ex = Refused(bytes, ExplicitLE);
        Assert.Equal(at, ex.Offset);
        Assert.Equal(DicomTags.ReferencedImageSequence, ex.Tag);
    }
}
