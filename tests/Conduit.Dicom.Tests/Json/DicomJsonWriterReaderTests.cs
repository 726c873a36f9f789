using System.Text.Json;

namespace Conduit.Dicom.Tests.Json;

public sealed class DicomJsonWriterReaderTests
{
    private static JsonElement Attribute(DicomDataset ds, string key, DicomJsonWriterOptions? options = null) =>
        JsonDocument.Parse(DicomJsonWriter.Serialize(ds, options)).RootElement.GetProperty(key);

    private static DicomDataset Element(uint tag, DicomVR vr, byte[] bytes) =>
        new DicomDataset().Add(new DicomElement(new DicomTag(tag), vr, DicomBuffer.From(bytes)));

    [Theory]
    [InlineData(DicomVR.US, new byte[] { 0xFF, 0xFF }, "[65535]")]
    [InlineData(DicomVR.SS, new byte[] { 0xFF, 0xFF }, "[-1]")]
    [InlineData(DicomVR.UL, new byte[] { 1, 0, 0, 0, 2, 0, 0, 0 }, "[1,2]")]
    [InlineData(DicomVR.SL, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF }, "[-2]")]
    [InlineData(DicomVR.FL, new byte[] { 0, 0, 0xC0, 0x3F }, "[1.5]")]
    [InlineData(DicomVR.FD, new byte[] { 0, 0, 0, 0, 0, 0, 0xF8, 0x3F }, "[1.5]")]
    [InlineData(DicomVR.SV, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "[-1]")]
    [InlineData(DicomVR.UV, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "[18446744073709551615]")]
    [InlineData(DicomVR.AT, new byte[] { 0x10, 0x00, 0x20, 0x00 }, "[\"00100020\"]")]
    [InlineData(DicomVR.DS, new byte[] { (byte)'1', (byte)'.', (byte)'5', (byte)'\\', (byte)'.', (byte)'5', (byte)'\\', (byte)'x', (byte)' ' }, "[1.5,0.5,\"x\"]")]
    [InlineData(DicomVR.IS, new byte[] { (byte)' ', (byte)'+', (byte)'7', (byte)'\\', (byte)'\\', (byte)'-', (byte)'3' }, "[7,null,-3]")]
    [InlineData(DicomVR.CS, new byte[] { (byte)'A', (byte)'\\', (byte)'B', (byte)' ' }, "[\"A\",\"B\"]")]
    public void Each_vr_is_written_as_PS3_18_says_and_read_back_to_the_same_bytes_meaning(DicomVR vr, byte[] bytes, string value)
    {
        var ds = Element(0x00091010, vr, bytes);
        var json = Attribute(ds, "00091010");
        Assert.Equal(vr.Code, json.GetProperty("vr").GetString());
        Assert.Equal(value, json.GetProperty("Value").GetRawText());

        var again = DicomJsonWriter.Serialize(DicomJsonReader.Parse(DicomJsonWriter.Serialize(ds)));
        Assert.Equal(value, JsonDocument.Parse(again).RootElement.GetProperty("00091010").GetProperty("Value").GetRawText());
    }

    [Fact]
    public void Empty_values_have_no_Value_member()
    {
        var json = Attribute(Element(0x00100020, DicomVR.LO, []), "00100020");
        Assert.False(json.TryGetProperty("Value", out _));
    }

    [Fact]
    public void Person_names_are_written_by_component_group_and_read_back()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x00080005), "ISO_IR 192")
            .AddOrUpdate(new DicomTag(0x00100010), "Yamada^Tarou=山田^太郎=やまだ^たろう");
        var json = Attribute(ds, "00100010").GetProperty("Value")[0];
        Assert.Equal("Yamada^Tarou", json.GetProperty("Alphabetic").GetString());
        Assert.Equal("山田^太郎", json.GetProperty("Ideographic").GetString());
        Assert.Equal("やまだ^たろう", json.GetProperty("Phonetic").GetString());
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", DicomJsonReader.Parse(DicomJsonWriter.Serialize(ds)).GetString(new DicomTag(0x00100010)));
    }

    [Fact]
    public void Non_ascii_text_without_a_declared_character_set_is_stored_as_utf8_under_iso_ir_192()
    {
        var ds = DicomJsonReader.Parse("""{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Müller^Jörg"}]}}""");
        Assert.Equal("ISO_IR 192", ds.GetString(new DicomTag(0x00080005)));
        Assert.Equal("Müller^Jörg"u8.ToArray(), ds.GetBytes(new DicomTag(0x00100010)).ToArray()[..13]);
    }

    [Fact]
    public void Text_is_encoded_in_the_declared_character_set()
    {
        var ds = DicomJsonReader.Parse("""{"00080005":{"vr":"CS","Value":["ISO_IR 100"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"Müller"}]}}""");
        Assert.Equal(new byte[] { (byte)'M', 0xFC, (byte)'l', (byte)'l', (byte)'e', (byte)'r' }, ds.GetBytes(new DicomTag(0x00100010)).ToArray());
    }

    [Fact]
    public void Text_the_declared_character_set_cannot_hold_is_refused_not_replaced()
    {
        var ex = Assert.Throws<DicomJsonException>(() => DicomJsonReader.Parse(
            """{"00080005":{"vr":"CS","Value":["ISO_IR 100"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"山田"}]}}"""));
        Assert.Equal("/00100010/Value", ex.Path);
    }

    [Fact]
    public void Binary_values_are_inline_base64_or_a_bulk_data_uri_from_the_callback()
    {
        var ds = Element(0x7FE00010, DicomVR.OW, [1, 2, 3, 4, 5, 6]);
        Assert.Equal("AQIDBAUG", Attribute(ds, "7FE00010").GetProperty("InlineBinary").GetString());

        var options = new DicomJsonWriterOptions { BulkDataThreshold = 4, BulkDataUri = b => $"https://pacs/bulk{b.Path}" };
        Assert.Equal("https://pacs/bulk/7FE00010", Attribute(ds, "7FE00010", options).GetProperty("BulkDataURI").GetString());
    }

    [Fact]
    public void A_bulk_data_uri_is_refused_without_a_resolver_and_kept_with_one()
    {
        const string json = """{"7FE00010":{"vr":"OW","BulkDataURI":"https://pacs/x"}}""";
        var ex = Assert.Throws<DicomJsonException>(() => DicomJsonReader.Parse(json));
        Assert.Contains("BulkDataResolver", ex.Message, StringComparison.Ordinal);

        var ds = DicomJsonReader.Parse(json, DicomJsonReaderOptions.KeepBulkDataUris);
        Assert.Equal("https://pacs/x", JsonDocument.Parse(DicomJsonWriter.Serialize(ds)).RootElement.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString());
    }

    [Fact]
    public void Encapsulated_pixel_data_is_the_item_stream_and_reads_back_as_the_same_fragments()
    {
        var fragments = new DicomFragmentSequence(new DicomTag(0x7FE00010)) { OffsetTable = DicomBuffer.From(new byte[] { 0, 0, 0, 0 }) };
        fragments.Fragments.Add(DicomBuffer.From(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }));
        var ds = new DicomDataset().Add(fragments);
        var bytes = Convert.FromBase64String(Attribute(ds, "7FE00010").GetProperty("InlineBinary").GetString()!);
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0, 0, 0, 0, 0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0xFF, 0xD8, 0xFF, 0xD9 }, bytes);

        var back = Assert.IsType<DicomFragmentSequence>(DicomJsonReader.Parse(DicomJsonWriter.Serialize(ds)).GetItem(new DicomTag(0x7FE00010)));
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xD9], back.Fragments.Single().Span.ToArray());
    }

    [Fact]
    public void Long_inline_values_stream_to_the_same_base64_as_one_piece()
    {
        var payload = new byte[3 * 1024 * 1024 + 1];
        new Random(7).NextBytes(payload);
        var ds = Element(0x7FE00010, DicomVR.OB, payload);
        Assert.Equal(Convert.ToBase64String(payload), Attribute(ds, "7FE00010").GetProperty("InlineBinary").GetString());
    }

    [Fact]
    public void Sequences_nest_and_items_inherit_the_character_set()
    {
        var item = new DicomDataset().Add(new DicomElement(new DicomTag(0x00100010), DicomVR.PN, DicomBuffer.From(new byte[] { (byte)'J', 0xF6, (byte)'r', (byte)'g' })));
        var sq = new DicomSequence(new DicomTag(0x00081115));
        sq.Items.Add(item);
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x00080005), "ISO_IR 100").Add(sq);
        item.Parent = ds;
        var name = Attribute(ds, "00081115").GetProperty("Value")[0].GetProperty("00100010").GetProperty("Value")[0].GetProperty("Alphabetic").GetString();
        Assert.Equal("Jörg", name);
    }

    [Fact]
    public void File_meta_is_left_out_unless_asked_for()
    {
        var meta = new DicomDataset().AddOrUpdate(new DicomTag(0x00020010), "1.2.840.10008.1.2.1");
        var file = new DicomFile(meta, new DicomDataset().AddOrUpdate(new DicomTag(0x00100020), "ID"), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.DoesNotContain("00020010", DicomJsonWriter.Serialize(file), StringComparison.Ordinal);
        Assert.Contains("00020010", DicomJsonWriter.Serialize(file, new DicomJsonWriterOptions { IncludeFileMeta = true }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_key_names_its_json_pointer()
    {
        var ex = Assert.Throws<DicomJsonException>(() => DicomJsonReader.Parse("""{"0010001":{"vr":"LO"}}"""));
        Assert.Equal("/0010001", ex.Path);
    }
}
