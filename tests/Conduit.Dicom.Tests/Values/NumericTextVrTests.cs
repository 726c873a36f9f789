using System.Text;

namespace Conduit.Dicom.Tests.Values;

/// <summary>DS and IS: numbers written as text, within the limits of PS3.5 Table 6.2-1.</summary>
public class NumericTextVrTests
{
    private static readonly DicomTag DS = VrTags.For(DicomVR.DS);
    private static readonly DicomTag IS = VrTags.For(DicomVR.IS);

    private static string Text(DicomDataset ds, DicomTag tag) => Encoding.ASCII.GetString(ds.GetBytes(tag).Span);

    [Theory]
    [InlineData(0.0, "0 ")]
    [InlineData(1.5, "1.5 ")]
    [InlineData(-0.25, "-0.25 ")]
    [InlineData(1e-20, "1E-20 ")]
    [InlineData(123456789012.0, "123456789012")]
    public void DS_is_the_shortest_text_that_round_trips(double value, string expected)
    {
        var ds = new DicomDataset().AddOrUpdate(DS, DicomVR.DS, value);
        Assert.Equal(expected, Text(ds, DS));
        Assert.Equal(value, ds.GetValue<double>(DS));
    }

    [Theory]
    [InlineData(0.1 + 0.2)]
    [InlineData(-1.2345678901234567)]
    [InlineData(Math.PI * 1e300)]
    [InlineData(-Math.E * 1e-300)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(1234567890123456789.0)]
    public void DS_never_exceeds_16_characters_and_stays_close_to_the_value(double value)
    {
        var ds = new DicomDataset().AddOrUpdate(DS, DicomVR.DS, value);
        var text = Text(ds, DS).TrimEnd(' ');
        Assert.InRange(text.Length, 1, 16);
        Assert.Matches("^[-+]?[0-9]*\\.?[0-9]*(E[-+]?[0-9]+)?$", text);
        var back = ds.GetValue<double>(DS);
        Assert.True(Math.Abs(back - value) <= Math.Abs(value) * 1e-8, $"{text} is too far from {value}");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void DS_cannot_hold_NaN_or_infinity(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomDataset().AddOrUpdate(DS, DicomVR.DS, value));
    }

    [Fact]
    public void DS_reads_leading_and_trailing_spaces_and_exponents()
    {
        var ds = new DicomDataset().AddOrUpdate(DS, DicomVR.DS, " 1.5\\-2E3 \\+.5"u8.ToArray());
        Assert.Equal([1.5, -2000, 0.5], ds.GetValues<double>(DS));
        Assert.Equal([1.5m, -2000m, 0.5m], ds.GetValues<decimal>(DS));
    }

    [Fact]
    public void IS_is_written_as_decimal_integers()
    {
        var ds = new DicomDataset().AddOrUpdate(IS, DicomVR.IS, 0, -12, int.MaxValue);
        Assert.Equal("0\\-12\\2147483647", Text(ds, IS));
        Assert.Equal([0, -12, int.MaxValue], ds.GetValues<int>(IS));
    }

    [Fact]
    public void IS_accepts_the_whole_range_of_PS3_5()
    {
        var ds = new DicomDataset().AddOrUpdate(IS, DicomVR.IS, (long)int.MinValue, (long)int.MaxValue, 77L);
        Assert.Equal("-2147483648\\2147483647\\77 ", Text(ds, IS));
        Assert.Equal([int.MinValue, int.MaxValue, 77], ds.GetValues<int>(IS));
    }

    [Theory]
    [InlineData(2147483648L)]
    [InlineData(-2147483649L)]
    public void IS_outside_the_32_bit_range_is_refused(long value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomDataset().AddOrUpdate(IS, DicomVR.IS, value));
    }

    [Fact]
    public void IS_refuses_a_fraction_rather_than_truncating_it()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomDataset().AddOrUpdate(IS, DicomVR.IS, 1.5));
        Assert.Equal("2 ", Text(new DicomDataset().AddOrUpdate(IS, DicomVR.IS, 2.0), IS));
    }

    [Fact]
    public void IS_reads_padded_and_signed_values()
    {
        var ds = new DicomDataset().AddOrUpdate(IS, DicomVR.IS, "  +7\\-3  "u8.ToArray());
        Assert.Equal([7, -3], ds.GetValues<int>(IS));
    }

    [Fact]
    public void IS_that_is_not_a_number_is_a_format_error_and_TryGetValue_says_no()
    {
        var ds = new DicomDataset().AddOrUpdate(IS, DicomVR.IS, "1A");
        Assert.Throws<FormatException>(() => ds.GetValue<int>(IS));
        Assert.False(ds.TryGetValue<int>(IS, out _));
        Assert.Equal(5, ds.GetValueOrDefault(IS, 5));
        Assert.Equal("1A", ds.GetString(IS));
    }

    [Fact]
    public void An_empty_DS_or_IS_has_no_values()
    {
        var ds = new DicomDataset().AddOrUpdate(IS, DicomVR.IS, "  "u8.ToArray());
        Assert.Empty(ds.GetValues<int>(IS));
    }
}
