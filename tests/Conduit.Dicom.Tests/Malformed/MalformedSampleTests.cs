using System.Buffers.Binary;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Dicom.Tests.Malformed;

/// <summary>
/// One test per file in the corpus's malformed/ folder (its README says what is wrong with each): the exact offset
/// and tag of a refusal, checked against the file's own bytes, or the values that a tolerant read must get right.
/// </summary>
public class MalformedSampleTests
{
    private static string PathOf(string name) => Samples.Get("malformed/" + name).FullPath;

    /// <summary>The element header at <paramref name="offset"/> names <paramref name="tag"/> in little endian.</summary>
    private static void AssertTagAt(string path, long offset, DicomTag tag)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(tag.Group, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)offset)));
        Assert.Equal(tag.Element, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)offset + 2)));
    }

    [Fact]
    public void MR_truncated_is_refused_at_the_Pixel_Data_header_that_claims_62_bytes_too_many()
    {
        var path = PathOf("MR_truncated.dcm");
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(path));
        Assert.Equal(DicomTags.PixelData, ex.Tag);
        Assert.Equal(1488, ex.Offset);
        AssertTagAt(path, ex.Offset, DicomTags.PixelData);
        // Explicit VR OW header: 12 bytes, then 8192 declared, 8130 present.
        Assert.Equal(ex.Offset + 12 + 8192 - 62, new FileInfo(path).Length);
    }

    [Fact]
    public void MR_truncated_header_is_still_readable_up_to_Pixel_Data()
    {
        var file = DicomFile.Open(PathOf("MR_truncated.dcm"), DicomReadOptions.HeaderOnly);
        Assert.Equal("MR", file.Dataset.GetString(DicomTags.Modality));
        Assert.Equal((ushort)64, file.Dataset.GetValue<ushort>(DicomTags.Rows));
    }

    [Fact]
    public void rtplan_truncated_is_refused_at_the_sequence_that_claims_976_bytes()
    {
        var path = PathOf("rtplan_truncated.dcm");
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(path));
        Assert.Equal(new DicomTag(0x300A, 0x00B0), ex.Tag);
        Assert.Equal(1410, ex.Offset);
        AssertTagAt(path, ex.Offset, new DicomTag(0x300A, 0x00B0));
        Assert.Contains("976", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void emri_jpeg_2k_too_short_is_refused_at_the_end_of_the_file_inside_Pixel_Data()
    {
        var path = PathOf("emri_small_jpeg_2k_lossless_too_short.dcm");
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(path));
        Assert.Equal(DicomTags.PixelData, ex.Tag);
        Assert.Equal(new FileInfo(path).Length, ex.Offset);
        Assert.Contains("Sequence Delimitation Item", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void JPEG2000_embedded_delimiter_is_read_with_the_fragment_bytes_intact()
    {
        var path = PathOf("JPEG2000-embedded-sequence-delimiter.dcm");
        var file = DicomFile.Open(path);

        var pixels = Assert.IsType<DicomFragmentSequence>(file.Dataset.GetItem(DicomTags.PixelData));
        Assert.Equal(0, pixels.OffsetTable.Length);
        var fragment = Assert.Single(pixels.Fragments).Span;
        // The fragment is the bytes after its item header, up to the real Sequence Delimitation Item that ends the file.
        var raw = File.ReadAllBytes(path).AsSpan();
        Assert.True(raw[..^8].EndsWith(fragment), "fragment is not the file's bytes before the final delimiter");
        Assert.True(raw[^8..].SequenceEqual(new byte[] { 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0 }));
        Assert.True(fragment.IndexOf(new byte[] { 0xFE, 0xFF, 0xDD, 0xE0 }) > 0);
        Assert.Equal(0xFF4F, BinaryPrimitives.ReadUInt16BigEndian(fragment)); // J2K SOC marker
        Assert.Equal("NM", file.Dataset.GetString(DicomTags.Modality));
    }

    [Fact]
    public void badVR_is_read_and_keeps_the_invalid_IS_text_as_it_was()
    {
        var file = DicomFile.Open(PathOf("badVR.dcm"));

        Assert.Equal("1A", file.Dataset.GetString(DicomTags.NumberOfFrames));
        Assert.False(file.Dataset.TryGetValue<int>(DicomTags.NumberOfFrames, out _));
        Assert.Throws<FormatException>(() => file.Dataset.GetValue<int>(DicomTags.NumberOfFrames));
        var warning = Assert.Single(file.Warnings, w => w.Tag == DicomTags.NumberOfFrames);
        Assert.Contains("'1A'", warning.Message, StringComparison.Ordinal);
        Assert.Equal("RTDOSE", file.Dataset.GetString(DicomTags.Modality));
        Assert.True(file.Dataset.Contains(DicomTags.PixelData));
    }

    [Fact]
    public void meta_missing_tsyntax_is_read_as_implicit_VR_with_its_nested_sequences_and_odd_value()
    {
        var file = DicomFile.Open(PathOf("meta_missing_tsyntax.dcm"));

        Assert.Same(DicomTransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        Assert.Contains(file.Warnings, w => w.Tag == DicomTags.TransferSyntaxUID);
        Assert.Equal("", file.Meta.GetString(DicomTags.MediaStorageSOPClassUID));
        Assert.Equal("", file.Meta.GetString(DicomTags.MediaStorageSOPInstanceUID));

        // (0001,0001) UN of undefined length: an implicit VR sequence (CP-246), two levels deep.
        var outer = Assert.IsType<DicomSequence>(file.Dataset.GetItem(new DicomTag(0x0001, 0x0001)));
        var item = Assert.Single(outer.Items);
        var inner = Assert.IsType<DicomSequence>(item.GetItem(new DicomTag(0x0001, 0x0001)));
        Assert.Equal("Double Nested SQ", Assert.Single(inner.Items).GetString(new DicomTag(0x0001, 0x0001)));
        Assert.Equal(9, item.GetBytes(new DicomTag(0x0001, 0x0002)).Length);
        Assert.Equal("Nested SQ", item.GetString(new DicomTag(0x0001, 0x0002)));
        Assert.Equal(new byte[] { 0, 0 }, file.Dataset.GetBytes(DicomTags.PixelData).ToArray());
    }

    [Fact]
    public void CTImageStorage_bad_meta_is_read_with_a_warning_and_the_SOP_class_from_the_data_set()
    {
        var file = DicomFile.Open(PathOf("CTImageStorage_bad_meta.dcm"));

        Assert.False(file.Meta.Contains(DicomTags.MediaStorageSOPClassUID));
        var warning = Assert.Single(file.Warnings, w => w.Tag == DicomTags.MediaStorageSOPClassUID);
        Assert.Contains("(0002,0002)", warning.Message, StringComparison.Ordinal);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", file.Dataset.GetString(DicomTags.SOPClassUID));
        var rows = file.Dataset.GetValue<ushort>(DicomTags.Rows);
        var columns = file.Dataset.GetValue<ushort>(DicomTags.Columns);
        Assert.Equal(rows * columns * 2, file.Dataset.GetBytes(DicomTags.PixelData).Length);
    }

    [Fact]
    public void bad_sequence_reads_its_UN_sequence_as_implicit_VR_items_and_keeps_it_UN()
    {
        var file = DicomFile.Open(PathOf("bad_sequence.dcm"));
        var tag = new DicomTag(0x0018, 0x9346); // CTDIPhantomTypeCodeSequence, written as UN of defined length

        // CP-246 / PS3.5 §6.2.2: a UN value is the element as Implicit VR Little Endian would encode it, so it parses as an SQ.
        var sequence = Assert.IsType<DicomSequence>(file.Dataset.GetItem(tag));
        Assert.Equal(DicomVR.UN, sequence.VR);
        Assert.False(sequence.UndefinedLength);
        var item = Assert.Single(sequence.Items);
        Assert.Equal("113691", item.GetString(DicomTags.CodeValue));
        Assert.Equal("DCM", item.GetString(DicomTags.CodingSchemeDesignator));
        Assert.StartsWith("IEC Body", item.GetString(DicomTags.CodeMeaning), StringComparison.Ordinal);

        Assert.IsType<DicomFragmentSequence>(file.Dataset.GetItem(DicomTags.PixelData));
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
    }

    [Fact]
    public void GH626_is_read_past_its_explicit_VR_private_sequence_to_Pixel_Data()
    {
        var file = DicomFile.Open(PathOf("GH626.dcm"));

        Assert.Contains(file.Warnings, w => w.Message.Contains("encoded in explicit VR", StringComparison.Ordinal));
        var sequence = Assert.IsType<DicomSequence>(file.Dataset.GetItem(new DicomTag(0x2005, 0x140F)));
        Assert.Single(sequence.Items);
        Assert.Equal(256 * 256 * 2, file.Dataset.GetBytes(DicomTags.PixelData).Length);
    }

    [Fact]
    public void Every_malformed_sample_has_a_test_here()
    {
        var tested = typeof(MalformedSampleTests).GetMethods().Select(m => m.Name.ToUpperInvariant()).ToArray();
        foreach (var sample in Samples.Malformed)
        {
            var stem = Path.GetFileNameWithoutExtension(sample.Path).Replace("-", "_", StringComparison.Ordinal)
                .Replace("emri_small_jpeg_2k_lossless_too_short", "emri_jpeg_2k_too_short", StringComparison.Ordinal)
                .Replace("JPEG2000_embedded_sequence_delimiter", "JPEG2000_embedded_delimiter", StringComparison.Ordinal)
                .ToUpperInvariant();
            Assert.Contains(tested, name => name.StartsWith(stem, StringComparison.Ordinal));
        }
    }
}
