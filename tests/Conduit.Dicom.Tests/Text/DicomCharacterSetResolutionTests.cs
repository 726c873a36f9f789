using Conduit.Dicom.Text;

namespace Conduit.Dicom.Tests.Text;

public class DicomCharacterSetResolutionTests
{
    private static (DicomCharacterSet Set, List<string> Warnings) Resolve(params string[] values)
    {
        var warnings = new List<string>();
        var set = DicomCharacterSet.FromSpecificCharacterSet(values, warnings.Add);
        return (set, warnings);
    }

    [Fact]
    public void No_values_or_iso_ir_6_is_the_default()
    {
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet([]));
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet(["ISO_IR 6"]));
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet([""]));
        Assert.Equal(["ISO_IR 6"], DicomCharacterSet.Default.Terms);
        Assert.True(DicomCharacterSet.Default.IsAsciiCompatible);
    }

    [Theory]
    [InlineData("ISO-IR 100")]
    [InlineData("ISO_IR100")]
    [InlineData("iso_ir 100")]
    [InlineData("ISO IR 100")]
    [InlineData("ISO-8859-1")]
    public void Near_spellings_are_accepted_with_a_warning(string value)
    {
        var (set, warnings) = Resolve(value);
        Assert.Equal(["ISO_IR 100"], set.Terms);
        Assert.Single(warnings);
        Assert.Equal("Jérôme", set.Decode(CharsetSamples.Bytes("4ae972f46d65"), DicomTextKind.MultiValued));
    }

    [Fact]
    public void Padding_is_trimmed_silently()
    {
        var (set, warnings) = Resolve("GB18030 ");
        Assert.Equal(["GB18030"], set.Terms);
        Assert.Empty(warnings);
        Assert.False(set.IsAsciiCompatible);
    }

    [Fact]
    public void Unknown_first_value_warns_and_reads_latin1()
    {
        var (set, warnings) = Resolve("ISO_IR 999");
        Assert.Contains(warnings, w => w.Contains("ISO_IR 999", StringComparison.Ordinal));
        Assert.Equal(["ISO_IR 100"], set.Terms);
        Assert.Equal("é", set.Decode([0xE9], DicomTextKind.MultiValued));
    }

    [Fact]
    public void Unknown_later_value_is_dropped_with_a_warning()
    {
        var (set, warnings) = Resolve("ISO 2022 IR 6", "ISO 2022 IR 999", "ISO 2022 IR 87");
        Assert.Single(warnings);
        Assert.Equal(["ISO 2022 IR 6", "ISO 2022 IR 87"], set.Terms);
    }

    [Fact]
    public void Empty_first_value_with_extensions_means_iso_2022_ir_6()
    {
        var (set, warnings) = Resolve("", "ISO 2022 IR 87");
        Assert.Empty(warnings);
        Assert.Equal(["ISO 2022 IR 6", "ISO 2022 IR 87"], set.Terms);
        Assert.False(set.IsAsciiCompatible);
    }

    [Fact]
    public void Terms_without_the_iso_2022_prefix_are_converted_when_extensions_are_used()
    {
        // Seen in the wild: "ISO_IR 13\ISO 2022 IR 87".
        var (set, warnings) = Resolve("ISO_IR 13", "ISO 2022 IR 87");
        Assert.Single(warnings);
        Assert.Equal(["ISO 2022 IR 13", "ISO 2022 IR 87"], set.Terms);
        Assert.Equal(CharsetSamples.H32Text, set.Decode(CharsetSamples.Bytes(CharsetSamples.H32), DicomTextKind.PersonName));
    }

    [Fact]
    public void Multi_byte_set_as_value_1_keeps_its_g1_designated()
    {
        // Some Korean systems write only "ISO 2022 IR 149" and no escape sequences.
        var (set, warnings) = Resolve("ISO 2022 IR 149");
        Assert.Single(warnings);
        Assert.Equal("Hong=洪", set.Decode(CharsetSamples.Bytes("486f6e673dfbf3"), DicomTextKind.PersonName));
    }

    [Fact]
    public void Utf8_with_other_values_ignores_them()
    {
        var (set, warnings) = Resolve("ISO_IR 192", "ISO 2022 IR 87");
        Assert.Single(warnings);
        Assert.Equal(["ISO_IR 192"], set.Terms);
        Assert.True(set.IsAsciiCompatible);
    }

    [Fact]
    public void Instances_are_cached_and_warnings_replayed()
    {
        var (first, firstWarnings) = Resolve("ISO-IR 144");
        var (second, secondWarnings) = Resolve("ISO-IR 144");
        Assert.Same(first, second);
        Assert.Same(first, DicomCharacterSet.FromSpecificCharacterSet(["ISO_IR 144"]));
        Assert.Equal(firstWarnings, secondWarnings);
        Assert.Single(secondWarnings);
    }

    [Theory]
    [InlineData("ISO_IR 100", true)]
    [InlineData("ISO_IR 13", true)]
    [InlineData("ISO_IR 192", true)]
    [InlineData("GBK", false)]
    [InlineData("ISO 2022 IR 100", false)]
    [InlineData("ISO 2022 IR 6\\ISO 2022 IR 87", false)]
    public void Ascii_compatibility(string value, bool expected)
    {
        Assert.Equal(expected, DicomCharacterSet.FromSpecificCharacterSet(value.Split('\\')).IsAsciiCompatible);
    }

    [Fact]
    public void All_defined_terms_are_known()
    {
        string[] terms =
        [
            "ISO_IR 6", "ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127", "ISO_IR 126",
            "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 13", "ISO_IR 166", "ISO_IR 192", "GB18030", "GBK",
            "ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110", "ISO 2022 IR 144",
            "ISO 2022 IR 127", "ISO 2022 IR 126", "ISO 2022 IR 138", "ISO 2022 IR 148", "ISO 2022 IR 203", "ISO 2022 IR 13",
            "ISO 2022 IR 166",
        ];
        foreach (var term in terms)
        {
            var (set, warnings) = Resolve(term);
            Assert.Empty(warnings);
            Assert.Equal([term], set.Terms);
        }
        foreach (var term in new[] { "ISO 2022 IR 87", "ISO 2022 IR 159", "ISO 2022 IR 149", "ISO 2022 IR 58" })
        {
            var (set, warnings) = Resolve("ISO 2022 IR 6", term);
            Assert.Empty(warnings);
            Assert.Equal(["ISO 2022 IR 6", term], set.Terms);
        }
    }
}
