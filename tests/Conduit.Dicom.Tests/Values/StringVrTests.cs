using System.Text;

namespace Conduit.Dicom.Tests.Values;

/// <summary>Text VRs: exact bytes written by AddOrUpdate, padding (PS3.5 §6.2), splitting and trimming on the way back.</summary>
public class StringVrTests
{
    private static DicomDataset With(DicomVR vr, params string[] values) =>
        new DicomDataset().AddOrUpdate(VrTags.For(vr), vr, values);

    private static string Bytes(DicomDataset ds, DicomVR vr) => Encoding.Latin1.GetString(ds.GetBytes(VrTags.For(vr)).Span);

    [Theory]
    // vr, value as given, bytes expected on the wire ('\0' is NUL padding)
    [InlineData("AE", "STORESCP", "STORESCP")]
    [InlineData("AE", "SCP", "SCP ")]
    [InlineData("AS", "030Y", "030Y")]
    [InlineData("CS", "ORIGINAL\\PRIMARY\\AXIAL", "ORIGINAL\\PRIMARY\\AXIAL")]
    [InlineData("CS", "DERIVED\\SECONDARY", "DERIVED\\SECONDARY ")]
    [InlineData("DA", "20240115", "20240115")]
    [InlineData("DS", "-1.5e3", "-1.5e3")]
    [InlineData("DS", "0.5", "0.5 ")]
    [InlineData("DT", "20240115123456.5+0100", "20240115123456.5+0100 ")]
    [InlineData("IS", "42\\-7", "42\\-7 ")]
    [InlineData("LO", "Hospital", "Hospital")]
    [InlineData("LO", "Lab", "Lab ")]
    [InlineData("LT", "line 1\r\nline 22", "line 1\r\nline 22 ")]
    [InlineData("PN", "Doe^John", "Doe^John")]
    [InlineData("PN", "Doe^Jo", "Doe^Jo")]
    [InlineData("PN", "Doe^J", "Doe^J ")]
    [InlineData("SH", "ABC", "ABC ")]
    [InlineData("ST", "short text", "short text")]
    [InlineData("TM", "123456.789", "123456.789")]
    [InlineData("TM", "1234", "1234")]
    [InlineData("UC", "unlimited", "unlimited ")]
    [InlineData("UI", "1.2.3", "1.2.3\0")]
    [InlineData("UI", "1.2.840.10008.1.2", "1.2.840.10008.1.2\0")]
    [InlineData("UR", "http://example.org/a", "http://example.org/a")]
    [InlineData("UR", "http://example.org/", "http://example.org/ ")]
    [InlineData("UT", "unlimited text", "unlimited text")]
    public void Text_values_are_written_as_given_and_padded_to_even_length_with_the_VR_padding_byte(string code, string value, string expected)
    {
        Assert.True(DicomVRInfo.TryParse(code, out var vr));
        var ds = With(vr, value);
        Assert.Equal(expected, Bytes(ds, vr));
        Assert.Equal(0, expected.Length % 2);
        Assert.Equal(value, ds.GetString(VrTags.For(vr)));
    }

    [Theory]
    [InlineData("AE")]
    [InlineData("CS")]
    [InlineData("DS")]
    [InlineData("IS")]
    [InlineData("LO")]
    [InlineData("SH")]
    [InlineData("UC")]
    [InlineData("UI")]
    [InlineData("PN")]
    [InlineData("DA")]
    [InlineData("TM")]
    [InlineData("DT")]
    public void Multi_valued_text_is_split_on_backslash(string code)
    {
        Assert.True(DicomVRInfo.TryParse(code, out var vr));
        var ds = With(vr, "1", "2", "3");
        Assert.Equal("1\\2\\3 ", Bytes(ds, vr).Replace('\0', ' '));
        Assert.Equal(["1", "2", "3"], ds.GetStrings(VrTags.For(vr)));
    }

    [Theory]
    [InlineData("LT")]
    [InlineData("ST")]
    [InlineData("UT")]
    [InlineData("UR")]
    public void Single_valued_text_keeps_its_backslashes(string code)
    {
        Assert.True(DicomVRInfo.TryParse(code, out var vr));
        var ds = new DicomDataset().AddOrUpdate(VrTags.For(vr), vr, Encoding.ASCII.GetBytes("a\\b\\c "));
        Assert.Equal(["a\\b\\c"], ds.GetStrings(VrTags.For(vr)));
        Assert.Equal("a\\b\\c", ds.GetString(VrTags.For(vr)));
    }

    [Theory]
    // PS3.5 Table 6.2-1: leading spaces are insignificant for AE, CS, DS, IS, LO, SH (and UI never has any);
    // they are significant for LT, ST, UT, UC, PN and the date/time VRs, which only lose trailing padding.
    [InlineData("AE", "  SCP  ", "SCP")]
    [InlineData("CS", "  AXIAL ", "AXIAL")]
    [InlineData("DS", "  1.5 ", "1.5")]
    [InlineData("IS", "  12  ", "12")]
    [InlineData("LO", "  long  ", "long")]
    [InlineData("SH", "  sh  ", "sh")]
    [InlineData("LT", "  indented  ", "  indented")]
    [InlineData("ST", "  indented  ", "  indented")]
    [InlineData("UT", "  indented  ", "  indented")]
    [InlineData("UC", "  indented  ", "  indented")]
    [InlineData("PN", "  Doe^John  ", "  Doe^John")]
    [InlineData("TM", "1200  ", "1200")]
    [InlineData("DA", "20240101  ", "20240101")]
    public void Padding_is_removed_where_PS3_5_calls_it_insignificant(string code, string raw, string expected)
    {
        Assert.True(DicomVRInfo.TryParse(code, out var vr));
        var tag = VrTags.For(vr);
        var ds = new DicomDataset().AddOrUpdate(tag, vr, Encoding.ASCII.GetBytes(raw));
        Assert.Equal([expected], ds.GetStrings(tag));
        Assert.Equal(expected, ds.GetString(tag));
    }

    [Fact]
    public void Each_value_of_a_multi_valued_element_is_trimmed_on_its_own()
    {
        var tag = VrTags.For(DicomVR.CS);
        var ds = new DicomDataset().AddOrUpdate(tag, DicomVR.CS, " A \\ B\\C  "u8.ToArray());
        Assert.Equal(["A", "B", "C"], ds.GetStrings(tag));
        Assert.Equal("A\\B\\C", ds.GetString(tag));
    }

    [Fact]
    public void UI_padding_is_a_NUL_and_is_removed()
    {
        var tag = VrTags.For(DicomVR.UI);
        var ds = new DicomDataset().AddOrUpdate(tag, DicomVR.UI, "1.2.3", "1.2.345");
        Assert.Equal("1.2.3\\1.2.345\0", Bytes(ds, DicomVR.UI));
        Assert.Equal(["1.2.3", "1.2.345"], ds.GetStrings(tag));
    }

    [Fact]
    public void Empty_values_keep_their_place()
    {
        var tag = VrTags.For(DicomVR.CS);
        var ds = new DicomDataset().AddOrUpdate(tag, DicomVR.CS, "", "B", "");
        Assert.Equal("\\B\\ ", Bytes(ds, DicomVR.CS));
        Assert.Equal(["", "B", ""], ds.GetStrings(tag));
    }

    [Fact]
    public void A_zero_length_value_has_no_values()
    {
        var tag = VrTags.For(DicomVR.LO);
        var ds = new DicomDataset().AddOrUpdate(tag, DicomVR.LO, ReadOnlyMemory<byte>.Empty);
        Assert.Empty(ds.GetStrings(tag));
        Assert.Equal("", ds.GetString(tag));
    }

    [Fact]
    public void Text_uses_the_data_set_character_set_only_for_the_VRs_that_allow_it()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        ds.AddOrUpdate(DicomTags.InstitutionName, DicomVR.LO, "Zürich");
        Assert.Equal([(byte)'Z', 0xFC, (byte)'r', (byte)'i', (byte)'c', (byte)'h'], ds.GetBytes(DicomTags.InstitutionName).ToArray());
        Assert.Equal("Zürich", ds.GetString(DicomTags.InstitutionName));
    }
}
