using Conduit.Dicom.Text;

namespace Conduit.Dicom.Tests.Text;

public class DicomCharacterSetDecodeTests
{
    private static DicomCharacterSet Set(string value) => DicomCharacterSet.FromSpecificCharacterSet(value.Split('\\'));

    [Theory]
    // Sample files (/work/shared/dicom-samples/charset).
    [InlineData("ISO_IR 100", "c46e6561735e52fc646967657220", "Äneas^Rüdiger ")]                         // chrGerm
    [InlineData("ISO_IR 126", "c4e9efedf5f3e9eff220", "Διονυσιος ")]                                       // chrGreek
    [InlineData("ISO_IR 144", "bbeeda6365dcd17970d3", "Люкceмбypг")]                                       // chrRuss
    [InlineData("ISO_IR 127", "e2c8c7e6ea5ee4e6d2c7d120", "قباني^لنزار ")]                                 // chrArab
    [InlineData("ISO_IR 138", "f9f8e5ef5ee3e1e5f8e4", "שרון^דבורה")]                                       // chrHbrw
    [InlineData("\\ISO 2022 IR 87", CharsetSamples.H31, CharsetSamples.H31Text)]                            // chrH31
    [InlineData("ISO 2022 IR 13\\ISO 2022 IR 87", CharsetSamples.H32, CharsetSamples.H32Text)]              // chrH32
    [InlineData("\\ISO 2022 IR 149", CharsetSamples.I2, CharsetSamples.I2Text)]                              // chrI2
    [InlineData("ISO_IR 192", "57616e675e5869616f446f6e673de78e8b5ee5b08fe69db13d20", "Wang^XiaoDong=王^小東= ")] // chrX1
    [InlineData("GB18030", "57616e675e5869616f446f6e673dcdf55ed0a1b6ab3d", "Wang^XiaoDong=王^小东=")]      // chrX2
    // Sets without a sample file: bytes from the published code tables.
    [InlineData("", "4275635e4a65726f6d65", "Buc^Jerome")]
    [InlineData("ISO_IR 6", "4275635e4a65726f6d65", "Buc^Jerome")]
    [InlineData("ISO_IR 100", "4275635e4ae972f46d65", "Buc^Jérôme")]
    [InlineData("ISO_IR 101", "a3f364bc5ed1e6", "Łódź^Ńć")]
    [InlineData("ISO_IR 109", "c6755ef86920b1", "Ĉu^ĝi ħ")]
    [InlineData("ISO_IR 110", "d3ba6e69f1b95ea3", "Ķēniņš^Ŗ")]
    [InlineData("ISO_IR 148", "dd7374616e62756c5edefdf0", "İstanbul^Şığ")]
    [InlineData("ISO_IR 203", "bc757672655ea420be", "Œuvre^€ Ÿ")]
    [InlineData("ISO_IR 13", "d4cfc0de5ec0dbb3", "ﾔﾏﾀﾞ^ﾀﾛｳ")]
    [InlineData("ISO_IR 166", "cac1aad2c25ee3a8b4d5", "สมชาย^ใจดี")]
    [InlineData("GBK", "57616e675e5869616f446f6e673dcdf55ed0a1b6ab3d", "Wang^XiaoDong=王^小东=")]
    [InlineData("GB18030", "95328236", "𠀀")]
    // ISO 2022 single-byte forms: value 1 G1 set active without an escape, others switched to.
    [InlineData("ISO 2022 IR 6", "4275635e4a65726f6d65", "Buc^Jerome")]
    [InlineData("ISO 2022 IR 100", "4275635e4ae972f46d65", "Buc^Jérôme")]
    [InlineData("ISO 2022 IR 100\\ISO 2022 IR 126", "e93d1b2d46c41b2d41", "é=Δ")]
    [InlineData("ISO 2022 IR 101\\ISO 2022 IR 144", "a3f3641b2d4cbbee1b2d42", "ŁódЛю")]
    [InlineData("ISO 2022 IR 109", "c675", "Ĉu")]
    [InlineData("ISO 2022 IR 110", "d3ba", "Ķē")]
    [InlineData("ISO 2022 IR 144", "bbee", "Лю")]
    [InlineData("ISO 2022 IR 127", "e2c8", "قب")]
    [InlineData("ISO 2022 IR 126", "c4e9", "Δι")]
    [InlineData("ISO 2022 IR 138", "f9f8", "שר")]
    [InlineData("ISO 2022 IR 148", "dd", "İ")]
    [InlineData("ISO 2022 IR 203", "a4", "€")]
    [InlineData("ISO 2022 IR 13", "d4cfc0de", "ﾔﾏﾀﾞ")]
    [InlineData("ISO 2022 IR 166", "cac1", "สม")]
    // Multi-byte extensions without a sample file.
    [InlineData("ISO 2022 IR 6\\ISO 2022 IR 58", "57616e673d1b242941cdf55e1b242941d0a1b6ab", "Wang=王^小东")]
    [InlineData("ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159", "1b2428443021" + "2a22" + "1b2842", "丂À")]
    public void Decodes_known_text(string specificCharacterSet, string hex, string expected)
    {
        var decoded = Set(specificCharacterSet).Decode(CharsetSamples.Bytes(hex), DicomTextKind.PersonName);
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public void Default_reads_high_bytes_as_latin1()
    {
        Assert.Equal("Jérôme", DicomCharacterSet.Default.Decode(CharsetSamples.Bytes("4ae972f46d65"), DicomTextKind.MultiValued));
    }

    [Fact]
    public void Empty_input_decodes_to_empty_string_and_no_values()
    {
        Assert.Equal(string.Empty, Set("ISO_IR 192").Decode([], DicomTextKind.MultiValued));
        Assert.Empty(Set("GBK").DecodeValues([], DicomTextKind.MultiValued));
    }

    [Fact]
    public void Pn_delimiters_reset_g1_to_the_initial_set()
    {
        // After '^' the KS X 1001 designation is gone (value 1 has no G1), so the same bytes read as Latin-1.
        var set = Set("\\ISO 2022 IR 149");
        var bytes = CharsetSamples.Bytes("1b242943fbf35efbf3");
        Assert.Equal("洪^ûó", set.Decode(bytes, DicomTextKind.PersonName));
        // For a multi-valued string '^' is an ordinary character and the designation stays.
        Assert.Equal("洪^洪", set.Decode(bytes, DicomTextKind.MultiValued));
    }

    [Fact]
    public void Control_characters_reset_in_single_valued_text()
    {
        var set = Set("ISO 2022 IR 100\\ISO 2022 IR 126");
        // ESC - F, 0xC4 (Δ), LF, 0xC4 again: after LF Latin-1 is back (Ä).
        Assert.Equal("Δ\nÄ", set.Decode(CharsetSamples.Bytes("1b2d46c40ac4"), DicomTextKind.SingleValued));
        // '\' is not a delimiter in LT/ST/UT: the Greek designation survives it.
        Assert.Equal("Δ\\Δ", set.Decode(CharsetSamples.Bytes("1b2d46c45cc4"), DicomTextKind.SingleValued));
    }

    [Fact]
    public void Unknown_escape_sequence_is_kept_as_a_character()
    {
        var decoded = Set("ISO 2022 IR 6\\ISO 2022 IR 87").Decode(CharsetSamples.Bytes("411b2858"), DicomTextKind.MultiValued);
        Assert.Equal("A\u001b(X", decoded);
    }

    [Fact]
    public void Odd_trailing_byte_in_two_byte_mode_becomes_replacement_character()
    {
        var decoded = Set("\\ISO 2022 IR 87").Decode(CharsetSamples.Bytes("1b24423b33451b2842"), DicomTextKind.MultiValued);
        Assert.Equal("山\uFFFD", decoded);
    }

    [Fact]
    public void Long_values_use_the_pooled_buffers()
    {
        var set = Set("\\ISO 2022 IR 87");
        var text = string.Concat(Enumerable.Repeat("山田^Yamada=", 100));
        var bytes = set.Encode(text, DicomTextKind.PersonName);
        Assert.True(bytes.Length > 1000);
        Assert.Equal(text, set.Decode(bytes, DicomTextKind.PersonName));

        var latin = Set("ISO_IR 100");
        var longLatin = string.Concat(Enumerable.Repeat("Jérôme ", 100));
        Assert.Equal(longLatin, latin.Decode(latin.Encode(longLatin, DicomTextKind.SingleValued), DicomTextKind.SingleValued));
    }
}
