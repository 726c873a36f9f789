namespace Conduit.Dicom.Tests.Values;

/// <summary>DA, TM and DT (PS3.5 Table 6.2-1), with the partial forms and the ACR-NEMA forms readers must accept.</summary>
public class DateTimeVrTests
{
    private static readonly DicomTag DA = VrTags.For(DicomVR.DA);
    private static readonly DicomTag TM = VrTags.For(DicomVR.TM);
    private static readonly DicomTag DT = VrTags.For(DicomVR.DT);

    private static DicomDataset With(DicomTag tag, DicomVR vr, string value) => new DicomDataset().AddOrUpdate(tag, vr, value);

    [Fact]
    public void DA_is_YYYYMMDD()
    {
        var ds = With(DA, DicomVR.DA, "20240229");
        Assert.Equal("20240229"u8.ToArray(), ds.GetBytes(DA).ToArray());
        Assert.Equal(new DateOnly(2024, 2, 29), ds.GetDate(DA));
    }

    [Fact]
    public void DA_in_the_ACR_NEMA_form_YYYY_MM_DD_is_read()
    {
        Assert.Equal(new DateOnly(1993, 8, 22), With(DA, DicomVR.DA, "1993.08.22").GetDate(DA));
    }

    [Fact]
    public void DA_that_is_not_a_date_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => With(DA, DicomVR.DA, "20230229").GetDate(DA));
    }

    [Theory]
    [InlineData("07", 7, 0, 0, 0)]
    [InlineData("0712", 7, 12, 0, 0)]
    [InlineData("071205", 7, 12, 5, 0)]
    [InlineData("071205.5", 7, 12, 5, 5_000_000)]
    [InlineData("071205.123456", 7, 12, 5, 1_234_560)]
    [InlineData("07:12:05", 7, 12, 5, 0)]
    [InlineData("07:12:05.25", 7, 12, 5, 2_500_000)]
    [InlineData("235960", 23, 59, 59, 0)]
    public void TM_reads_partial_forms_ACR_NEMA_colons_and_the_leap_second(string text, int h, int m, int s, long fractionTicks)
    {
        var expected = new TimeOnly(h, m, s).Add(TimeSpan.FromTicks(fractionTicks));
        Assert.Equal(expected, With(TM, DicomVR.TM, text).GetTime(TM));
    }

    [Theory]
    [InlineData("2024", 2024, 1, 1, 0, 0, 0, 0)]
    [InlineData("202403", 2024, 3, 1, 0, 0, 0, 0)]
    [InlineData("20240315", 2024, 3, 15, 0, 0, 0, 0)]
    [InlineData("2024031514", 2024, 3, 15, 14, 0, 0, 0)]
    [InlineData("202403151430", 2024, 3, 15, 14, 30, 0, 0)]
    [InlineData("20240315143059.5", 2024, 3, 15, 14, 30, 59, 0)]
    [InlineData("20240315143059+0130", 2024, 3, 15, 14, 30, 59, 90)]
    [InlineData("20240315143059.5-0500", 2024, 3, 15, 14, 30, 59, -300)]
    [InlineData("2024-0500", 2024, 1, 1, 0, 0, 0, -300)]
    public void DT_reads_every_partial_form_with_an_optional_offset(string text, int y, int mo, int d, int h, int mi, int s, int offsetMinutes)
    {
        var value = With(DT, DicomVR.DT, text).GetDateTime(DT);
        Assert.Equal(new DateTime(y, mo, d, h, mi, s), new DateTime(value.Year, value.Month, value.Day, value.Hour, value.Minute, value.Second));
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), value.Offset);
        if (text.Contains('.', StringComparison.Ordinal)) Assert.Equal(500, value.Millisecond);
    }

    [Fact]
    public void Trailing_padding_does_not_disturb_the_date_and_time_getters()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DA, DicomVR.DA, "20240101")
            .AddOrUpdate(TM, DicomVR.TM, "100102.25")
            .AddOrUpdate(DT, DicomVR.DT, "2024010112");
        Assert.Equal("100102.25 "u8.ToArray(), ds.GetBytes(TM).ToArray());
        Assert.Equal(new TimeOnly(10, 1, 2, 250), ds.GetTime(TM));
        Assert.Equal(new DateOnly(2024, 1, 1), ds.GetDate(DA));
        Assert.Equal(12, ds.GetDateTime(DT).Hour);
    }
}
