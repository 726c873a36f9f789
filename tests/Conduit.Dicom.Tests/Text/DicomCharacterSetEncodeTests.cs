using Conduit.Dicom.Text;

namespace Conduit.Dicom.Tests.Text;

public class DicomCharacterSetEncodeTests
{
    private static DicomCharacterSet Set(string value) => DicomCharacterSet.FromSpecificCharacterSet(value.Split('\\'));

    [Theory]
    [InlineData("ISO_IR 6", "Buc^Jerome")]
    [InlineData("ISO_IR 100", "Buc^Jérôme")]
    [InlineData("ISO_IR 101", "Łódź^Ńć")]
    [InlineData("ISO_IR 109", "Ĉu^ĝi ħ")]
    [InlineData("ISO_IR 110", "Ķēniņš^Ŗ")]
    [InlineData("ISO_IR 144", "Люкceмбypг")]
    [InlineData("ISO_IR 127", "قباني^لنزار")]
    [InlineData("ISO_IR 126", "Διονυσιος")]
    [InlineData("ISO_IR 138", "שרון^דבורה")]
    [InlineData("ISO_IR 148", "İstanbul^Şığ")]
    [InlineData("ISO_IR 203", "Œuvre^€ Ÿ")]
    [InlineData("ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ")]
    [InlineData("ISO_IR 166", "สมชาย^ใจดี")]
    [InlineData("ISO_IR 192", "Wang^XiaoDong=王^小東=𠀀")]
    [InlineData("GB18030", "Wang^XiaoDong=王^小东=𠀀")]
    [InlineData("GBK", "Wang^XiaoDong=王^小东=乗")]
    [InlineData("ISO 2022 IR 6", "Buc^Jerome")]
    [InlineData("ISO 2022 IR 100", "Buc^Jérôme")]
    [InlineData("ISO 2022 IR 101", "Łódź^Ńć")]
    [InlineData("ISO 2022 IR 109", "Ĉu^ĝi ħ")]
    [InlineData("ISO 2022 IR 110", "Ķēniņš^Ŗ")]
    [InlineData("ISO 2022 IR 144", "Люкceмбypг")]
    [InlineData("ISO 2022 IR 127", "قباني^لنزار")]
    [InlineData("ISO 2022 IR 126", "Διονυσιος")]
    [InlineData("ISO 2022 IR 138", "שרון^דבורה")]
    [InlineData("ISO 2022 IR 148", "İstanbul^Şığ")]
    [InlineData("ISO 2022 IR 203", "Œuvre^€ Ÿ")]
    [InlineData("ISO 2022 IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ")]
    [InlineData("ISO 2022 IR 166", "สมชาย^ใจดี")]
    [InlineData("ISO 2022 IR 100\\ISO 2022 IR 126\\ISO 2022 IR 144", "Jérôme=Διονυσιος=Люкceмбypг")]
    [InlineData("\\ISO 2022 IR 87", CharsetSamples.H31Text)]
    [InlineData("ISO 2022 IR 13\\ISO 2022 IR 87", CharsetSamples.H32Text)]
    [InlineData("ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159", "Yamada^Tarou=山田丂^À")]
    [InlineData("\\ISO 2022 IR 149", CharsetSamples.I2Text)]
    [InlineData("ISO 2022 IR 6\\ISO 2022 IR 58", "Wang^XiaoDong=王^小东")]
    public void Round_trips(string specificCharacterSet, string text)
    {
        var set = Set(specificCharacterSet);
        foreach (var kind in Enum.GetValues<DicomTextKind>())
        {
            var bytes = set.Encode(text, kind);
            Assert.Equal(text, set.Decode(bytes, kind));
        }
    }

    [Theory]
    [InlineData("\\ISO 2022 IR 87", CharsetSamples.H31Text, CharsetSamples.H31)]
    [InlineData("ISO 2022 IR 13\\ISO 2022 IR 87", CharsetSamples.H32Text, CharsetSamples.H32)]
    [InlineData("\\ISO 2022 IR 149", CharsetSamples.I2Text, CharsetSamples.I2)]
    [InlineData("GB18030", "Wang^XiaoDong=王^小东=", "57616e675e5869616f446f6e673dcdf55ed0a1b6ab3d")]
    [InlineData("ISO_IR 192", "Wang^XiaoDong=王^小東= ", "57616e675e5869616f446f6e673de78e8b5ee5b08fe69db13d20")]
    [InlineData("ISO_IR 100", "Äneas^Rüdiger ", "c46e6561735e52fc646967657220")]
    [InlineData("ISO_IR 144", "Люкceмбypг", "bbeeda6365dcd17970d3")]
    public void Encodes_the_bytes_of_the_sample_files(string specificCharacterSet, string text, string expectedHex)
    {
        var bytes = Set(specificCharacterSet).Encode(text, DicomTextKind.PersonName);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Iso2022_switches_g1_and_designates_the_initial_set_at_the_end()
    {
        var bytes = Set("ISO 2022 IR 100\\ISO 2022 IR 126").Encode("é=Δ", DicomTextKind.PersonName);
        // é in the initial G1, '=' needs no switch, ESC - F Δ, ESC - A at the end of the value.
        Assert.Equal("e93d1b2d46c41b2d41", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Iso2022_switches_back_before_value_delimiters_but_not_before_caret_in_multi_valued_strings()
    {
        var set = Set("\\ISO 2022 IR 87");
        Assert.Equal("1b24423b331b28425c1b24423b331b2842", Convert.ToHexStringLower(set.Encode("山\\山", DicomTextKind.MultiValued)));
        Assert.Equal("1b24423b331b28425e1b24423b331b2842", Convert.ToHexStringLower(set.Encode("山^山", DicomTextKind.PersonName)));
        // In LO '^' is ordinary text: ASCII is designated for it, with no extra switch back.
        Assert.Equal("1b24423b331b28425e1b24423b331b2842", Convert.ToHexStringLower(set.Encode("山^山", DicomTextKind.MultiValued)));
    }

    [Fact]
    public void Unencodable_characters_become_question_marks()
    {
        Assert.Equal("3f41", Convert.ToHexStringLower(Set("ISO_IR 100").Encode("Δ A"[0] + "A", DicomTextKind.MultiValued)));
        Assert.Equal("3f", Convert.ToHexStringLower(Set("ISO_IR 126").Encode("𠀀", DicomTextKind.MultiValued)));
        Assert.Equal("1b24423b331b28423f", Convert.ToHexStringLower(Set("\\ISO 2022 IR 87").Encode("山Δ"[0] + "한", DicomTextKind.MultiValued)));
    }

    [Fact]
    public void Default_writes_latin1_back_unchanged()
    {
        Assert.Equal("4ae972f46d65", Convert.ToHexStringLower(DicomCharacterSet.Default.Encode("Jérôme", DicomTextKind.MultiValued)));
    }

    [Fact]
    public void EncodeValues_joins_with_backslash()
    {
        var set = Set("GBK");
        var bytes = set.EncodeValues(["乗", "王"], DicomTextKind.MultiValued);
        Assert.Equal("815c5ccdf5", Convert.ToHexStringLower(bytes));
        Assert.Equal(["乗", "王"], set.DecodeValues(bytes, DicomTextKind.MultiValued));
    }
}
