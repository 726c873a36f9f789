using Conduit.Dicom.Dump;

namespace Conduit.Dicom.Tests.Dump;

public sealed class DicomTextDumpTests
{
    private static readonly DicomTag SpecificCharacterSet = new(0x00080005);
    private static readonly DicomTag PatientName = new(0x00100010);
    private static readonly DicomTag PatientId = new(0x00100020);
    private static readonly DicomTag OtherPatientIdsSequence = new(0x00101002);
    private static readonly DicomTag ReferencedStudySequence = new(0x00081110);
    private static readonly DicomTag ReferencedSopInstanceUid = new(0x00081155);
    private static readonly DicomTag ImageComments = new(0x00204000);
    private static readonly DicomTag Rows = new(0x00280010);
    private static readonly DicomTag PixelData = new(0x7FE00010);

    private static string Dump(DicomDataset dataset, DicomTextDumpOptions? options = null)
    {
        using var writer = new StringWriter();
        DicomTextDump.Write(writer, dataset, DicomTransferSyntax.ExplicitVRLittleEndian, options);
        return writer.ToString();
    }

    private static string[] ElementLines(string dump) =>
        dump.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.TrimStart().StartsWith('(')).ToArray();

    [Fact]
    public void Nested_sequences_are_indented_with_item_and_delimitation_lines_and_computed_lengths()
    {
        var inner = new DicomDataset().AddOrUpdate(ReferencedSopInstanceUid, "1.2.3");
        var innerSequence = new DicomSequence(ReferencedStudySequence) { UndefinedLength = true };
        innerSequence.Items.Add(inner);
        var outerItem = new DicomDataset().AddOrUpdate(PatientId, "ABCD1234");
        outerItem.Add(innerSequence);
        inner.Parent = outerItem;
        var outer = new DicomSequence(OtherPatientIdsSequence);
        outer.Items.Add(outerItem);
        var dataset = new DicomDataset().AddOrUpdate(PatientName, "Doe^John");
        dataset.Add(outer);
        outerItem.Parent = dataset;

        var lines = ElementLines(Dump(dataset));

        string[] expected =
        [
            "(0010,0010) PN [Doe^John]                               #   8, 1 PatientName",
            // Item: (0010,0020) 8 + 8 bytes, (0008,1110) 12 + item 8 + (0008,1155) 8 + 6 + 8 (sequence delimiter) = 58.
            "(0010,1002) SQ (Sequence with explicit length #=1)      #  66, 1 OtherPatientIDsSequence",
            "  (fffe,e000) na (Item with explicit length #=2)          #  58, 1 Item",
            "    (0008,1110) SQ (Sequence with undefined length #=1)     # u/l, 1 ReferencedStudySequence",
            "      (fffe,e000) na (Item with explicit length #=1)          #  14, 1 Item",
            "        (0008,1155) UI [1.2.3]                                  #   6, 1 ReferencedSOPInstanceUID",
            "      (fffe,e00d) na (ItemDelimitationItem for re-encoding)   #   0, 0 ItemDelimitationItem",
            "    (fffe,e0dd) na (SequenceDelimitationItem)               #   0, 0 SequenceDelimitationItem",
            "    (0010,0020) LO [ABCD1234]                               #   8, 1 PatientID",
            "  (fffe,e00d) na (ItemDelimitationItem for re-encoding)   #   0, 0 ItemDelimitationItem",
            "(fffe,e0dd) na (SequenceDelimitationItem for re-encod.) #   0, 0 SequenceDelimitationItem",
        ];
        Assert.Equal(expected, lines);
    }

    [Fact]
    public void Text_in_an_item_is_decoded_with_the_character_set_of_the_enclosing_data_set()
    {
        var dataset = new DicomDataset().AddOrUpdate(SpecificCharacterSet, "ISO_IR 100");
        var item = new DicomDataset { Parent = dataset };
        // "R^Jörg" in ISO 8859-1: 0xF6 is ö there, and is not valid UTF-8 or ASCII.
        item.AddOrUpdate(PatientName, DicomVR.PN, (ReadOnlyMemory<byte>)new byte[] { 0x52, 0x5E, 0x4A, 0xF6, 0x72, 0x67 });
        var sequence = new DicomSequence(OtherPatientIdsSequence);
        sequence.Items.Add(item);
        dataset.Add(sequence);

        Assert.Contains("PN [R^J\u00f6rg]", Dump(dataset), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_private_elements_are_hex_bytes_with_dcmdumps_unknown_keyword()
    {
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x7FDF1000), DicomVR.UN, (ReadOnlyMemory<byte>)new byte[] { 0x35, 0x20 });

        Assert.Equal("(7fdf,1000) UN 35\\20                                    #   2, 1 Unknown Tag & Data", ElementLines(Dump(dataset)).Single());
    }

    [Fact]
    public void Numbers_are_printed_without_brackets_and_uids_by_name()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x00080016), "1.2.840.10008.5.1.4.1.1.2")
            .AddOrUpdate(Rows, DicomVR.US, (ushort)512)
            .AddOrUpdate(new DicomTag(0x00281052), DicomVR.FD, -1024.5, 2.0);

        var lines = ElementLines(Dump(dataset));

        Assert.StartsWith("(0008,0016) UI =CTImageStorage  ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("(0028,0010) US 512  ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("(0028,1052) FD -1024.5\\2  ", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("#  16, 2 RescaleIntercept", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Long_values_are_cut_at_the_maximum_length_unless_the_options_ask_for_them_in_full()
    {
        var comment = string.Concat(Enumerable.Repeat("0123456789", 10));
        var dataset = new DicomDataset()
            .AddOrUpdate(ImageComments, comment)
            .AddOrUpdate(new DicomTag(0x00431028), DicomVR.OB, (ReadOnlyMemory<byte>)Enumerable.Range(0, 80).Select(i => (byte)i).ToArray());

        var cut = ElementLines(Dump(dataset));
        Assert.StartsWith("(0020,4000) LT [" + comment[..66] + "... # 100, 1 ImageComments", cut[0], StringComparison.Ordinal);
        // dcmdump keeps as many whole values as fit in 67 characters: 22 bytes of "xx\".
        Assert.StartsWith("(0043,1028) OB 00\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12\\13\\14\\15... #  80", cut[1], StringComparison.Ordinal);

        var full = ElementLines(Dump(dataset, new DicomTextDumpOptions { MaxValueLength = null }));
        Assert.Contains("[" + comment + "]", full[0], StringComparison.Ordinal);
        Assert.Contains("\\4f #  80, 1", full[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Line_breaks_in_text_values_do_not_break_the_line()
    {
        var dataset = new DicomDataset().AddOrUpdate(ImageComments, "first\r\nsecond");

        Assert.StartsWith("(0020,4000) LT [first..second]", ElementLines(Dump(dataset)).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Encapsulated_pixel_data_shows_the_offset_table_and_each_fragment()
    {
        var fragments = new DicomFragmentSequence(PixelData);
        fragments.Fragments.Add(DicomBuffer.From(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }));
        var dataset = new DicomDataset().Add(fragments);

        string[] expected =
        [
            "(7fe0,0010) OB (PixelSequence #=2)                      # u/l, 1 PixelData",
            "  (fffe,e000) pi (no value available)                     #   0, 1 Item",
            "  (fffe,e000) pi " + "ff\\d8\\ff\\d9".PadRight(40) + " #   4, 1 Item",
            "(fffe,e0dd) na (SequenceDelimitationItem)               #   0, 0 SequenceDelimitationItem",
        ];
        Assert.Equal(expected, ElementLines(Dump(dataset)));
    }

    [Fact]
    public void A_two_megabyte_pixel_data_left_in_the_file_is_dumped_without_being_loaded()
    {
        var path = Path.Combine(Path.GetTempPath(), $"conduit-dump-{Guid.NewGuid():N}.dcm");
        try
        {
            var dataset = new DicomDataset()
                .AddOrUpdate(new DicomTag(0x00080016), "1.2.840.10008.5.1.4.1.1.7")
                .AddOrUpdate(new DicomTag(0x00080018), "1.2.3.4")
                .AddOrUpdate(PixelData, DicomVR.OB, (ReadOnlyMemory<byte>)new byte[2 * 1024 * 1024]);
            var meta = DicomFile.CreateFileMeta("1.2.840.10008.5.1.4.1.1.7", "1.2.3.4", DicomTransferSyntax.ExplicitVRLittleEndian);
            using (var stream = File.Create(path))
                new DicomFile(meta, dataset, DicomTransferSyntax.ExplicitVRLittleEndian, new byte[128]).WriteTo(stream);

            var file = DicomFile.Open(path);
            var pixels = Assert.IsType<FileRangeBuffer>(Assert.IsType<DicomElement>(file.Dataset.GetItem(PixelData)).Buffer);
            var dump = DicomTextDump.ToString(file, new DicomTextDumpOptions { MaxValueLength = null });

            Assert.False(pixels.IsLoaded);
            Assert.Contains("(7fe0,0010) OB " + "(not loaded)".PadRight(40) + " # 2097152, 1 PixelData", dump, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_meta_header_can_be_left_out()
    {
        var file = DicomFile.Open(Support.Samples.Get("ts-explicit-vr-le/CT_small.dcm").FullPath);

        var with = DicomTextDump.ToString(file);
        var without = DicomTextDump.ToString(file, new DicomTextDumpOptions { ShowMeta = false });

        Assert.Contains("# Dicom-Meta-Information-Header", with, StringComparison.Ordinal);
        Assert.Contains("(0002,0010) UI =ExplicitVRLittleEndian", with, StringComparison.Ordinal);
        Assert.DoesNotContain("(0002,", without, StringComparison.Ordinal);
        Assert.Contains("(0010,0010) PN [CompressedSamples^CT1]", without, StringComparison.Ordinal);
    }
}
