namespace Conduit.Dicom.Tests.Malformed;

/// <summary>Sequences, items, delimiters and fragments that are out of place or never closed.</summary>
public class StructureTests
{
    private static readonly DicomTransferSyntax ExplicitLE = DicomTransferSyntax.ExplicitVRLittleEndian;

    private static DicomReadException Refused(byte[] bytes, DicomReadOptions? options = null) =>
        Assert.Throws<DicomReadException>(() => DicomReader.ReadDataset(new MemoryStream(bytes), ExplicitLE, options));

    [Fact]
    public void A_sequence_of_undefined_length_that_never_closes_is_refused_at_the_end_of_the_data()
    {
        var bytes = new DicomBytes().Explicit(DicomTags.ReferencedImageSequence, "SQ", DicomBytes.Undefined)
            .Item(12).Explicit(DicomTags.ReferencedSOPInstanceUID, "UI", "1.2\0").ToArray();

        var ex = Refused(bytes);
        Assert.Equal(bytes.Length, ex.Offset);
        Assert.Equal(DicomTags.ReferencedImageSequence, ex.Tag);
        Assert.Contains("Sequence Delimitation Item", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_of_undefined_length_that_never_closes_is_refused_at_the_end_of_the_data()
    {
        var bytes = new DicomBytes().Explicit(DicomTags.ReferencedImageSequence, "SQ", DicomBytes.Undefined)
            .Item().Explicit(DicomTags.ReferencedSOPInstanceUID, "UI", "1.2\0").ToArray();

        var ex = Refused(bytes);
        Assert.Equal(bytes.Length, ex.Offset);
        Assert.Contains("Item Delimitation Item", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(DicomTags.ReferencedSOPInstanceUID, ex.Tag); // the last element read inside the item
    }

    [Fact]
    public void Sequences_nested_deeper_than_the_limit_are_refused_at_the_first_one_too_deep()
    {
        const int limit = 4;
        var b = new DicomBytes();
        long tooDeep = 0;
        for (var depth = 0; depth <= limit; depth++)
        {
            if (depth == limit) tooDeep = b.Position;
            b.Explicit(DicomTags.ReferencedImageSequence, "SQ", DicomBytes.Undefined).Item();
        }
        var bytes = b.ToArray();

        var ex = Refused(bytes, new DicomReadOptions { MaxSequenceDepth = limit });
        Assert.Equal(tooDeep, ex.Offset);
        Assert.Equal(DicomTags.ReferencedImageSequence, ex.Tag);
        Assert.Contains("nested deeper", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_nesting_is_refused_at_the_default_limit_without_overflowing_the_stack()
    {
        var b = new DicomBytes();
        for (var depth = 0; depth < 100_000; depth++)
            b.Explicit(DicomTags.ReferencedImageSequence, "SQ", DicomBytes.Undefined).Item();

        var ex = Refused(b.ToArray());
        Assert.Equal(DicomReadOptions.Default.MaxSequenceDepth * 20L, ex.Offset);
    }

    [Fact]
    public void Encapsulated_pixel_data_without_a_sequence_delimiter_is_refused_at_the_end_of_the_data()
    {
        var bytes = new DicomBytes().Explicit(DicomTags.PixelData, "OB", DicomBytes.Undefined)
            .Item(0).Item(4).Raw([1, 2, 3, 4]).ToArray();

        var ex = Assert.Throws<DicomReadException>(() =>
            DicomReader.ReadDataset(new MemoryStream(bytes), DicomTransferSyntax.JPEGBaseline8Bit));
        Assert.Equal(bytes.Length, ex.Offset);
        Assert.Equal(DicomTags.PixelData, ex.Tag);
    }

    [Fact]
    public void A_fragment_longer_than_the_data_is_refused_at_its_item()
    {
        var b = new DicomBytes().Explicit(DicomTags.PixelData, "OB", DicomBytes.Undefined).Item(0);
        var at = b.Position;
        var bytes = b.Item(0xFFFFFFF0).Raw([1, 2, 3, 4]).ToArray();

        var ex = Assert.Throws<DicomReadException>(() =>
            DicomReader.ReadDataset(new MemoryStream(bytes), DicomTransferSyntax.JPEGBaseline8Bit));
        Assert.Equal(at, ex.Offset);
        Assert.Equal(DicomTags.PixelData, ex.Tag);
    }

    [Fact]
    public void An_item_where_an_element_is_expected_is_refused_naming_the_item_tag()
    {
        var b = new DicomBytes().Explicit(DicomTags.PatientName, "PN", "Doe^John");
        var at = b.Position;
        var bytes = b.Item(4).Raw([0, 0, 0, 0]).ToArray();

        var ex = Refused(bytes);
        Assert.Equal(at, ex.Offset);
        Assert.Equal(DicomTag.Item, ex.Tag);
    }

    [Theory]
    [InlineData(0xFFFEE00Du)]
    [InlineData(0xFFFEE0DDu)]
    public void A_stray_delimiter_is_skipped_with_a_warning(uint delimiter)
    {
        var b = new DicomBytes().Explicit(DicomTags.PatientName, "PN", "Doe^John");
        var at = b.Position;
        var bytes = b.Tag(new DicomTag(delimiter)).Raw([0, 0, 0, 0]).Explicit(DicomTags.PatientID, "LO", "ID01").ToArray();

        var file = DicomReader.ReadFile(new MemoryStream(bytes));

        Assert.Equal("ID01", file.Dataset.GetString(DicomTags.PatientID));
        var warning = Assert.Single(file.Warnings, w => w.Tag == new DicomTag(delimiter));
        Assert.Equal(at, warning.Offset);
        Assert.Contains("Delimitation Item", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_odd_length_value_is_read_as_it_is_and_the_next_element_follows_it()
    {
        var bytes = new DicomBytes().Explicit(DicomTags.PatientName, "PN", "Smith")
            .Explicit(DicomTags.PatientID, "LO", "ID01").ToArray();

        var ds = DicomReader.ReadDataset(new MemoryStream(bytes), ExplicitLE);

        Assert.Equal(5, ds.GetBytes(DicomTags.PatientName).Length);
        Assert.Equal("Smith", ds.GetString(DicomTags.PatientName));
        Assert.Equal("ID01", ds.GetString(DicomTags.PatientID));
    }
}
