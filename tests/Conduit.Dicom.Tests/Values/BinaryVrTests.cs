namespace Conduit.Dicom.Tests.Values;

/// <summary>Binary VRs: little-endian bytes of the right width, typed values back, extremes and special values.</summary>
public class BinaryVrTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private static byte[] Encoded<T>(DicomVR vr, params T[] values) where T : System.Numerics.INumber<T> =>
        new DicomDataset().AddOrUpdate(VrTags.For(vr), vr, values).GetBytes(VrTags.For(vr)).ToArray();

    private static T[] RoundTrip<T>(DicomVR vr, params T[] values) where T : System.Numerics.INumber<T> =>
        new DicomDataset().AddOrUpdate(VrTags.For(vr), vr, values).GetValues<T>(VrTags.For(vr));

    [Fact]
    public void US_is_two_bytes_little_endian_per_value()
    {
        Assert.Equal(Hex("0100 FFFF 3412"), Encoded(DicomVR.US, (ushort)1, ushort.MaxValue, (ushort)0x1234));
        Assert.Equal([(ushort)1, ushort.MaxValue, (ushort)0x1234], RoundTrip(DicomVR.US, (ushort)1, ushort.MaxValue, (ushort)0x1234));
    }

    [Fact]
    public void SS_is_two_bytes_twos_complement()
    {
        Assert.Equal(Hex("0080 FF7F FFFF"), Encoded(DicomVR.SS, short.MinValue, short.MaxValue, (short)-1));
        Assert.Equal([short.MinValue, short.MaxValue, (short)-1], RoundTrip(DicomVR.SS, short.MinValue, short.MaxValue, (short)-1));
    }

    [Fact]
    public void UL_and_SL_are_four_bytes()
    {
        Assert.Equal(Hex("78563412 FFFFFFFF"), Encoded(DicomVR.UL, 0x12345678u, uint.MaxValue));
        Assert.Equal(Hex("00000080 FFFFFF7F"), Encoded(DicomVR.SL, int.MinValue, int.MaxValue));
        Assert.Equal([int.MinValue, int.MaxValue], RoundTrip(DicomVR.SL, int.MinValue, int.MaxValue));
        Assert.Equal([0x12345678u, uint.MaxValue], RoundTrip(DicomVR.UL, 0x12345678u, uint.MaxValue));
    }

    [Fact]
    public void SV_and_UV_keep_their_64_bit_extremes()
    {
        Assert.Equal(Hex("0000000000000080 FFFFFFFFFFFFFF7F"), Encoded(DicomVR.SV, long.MinValue, long.MaxValue));
        Assert.Equal(Hex("0000000000000000 FFFFFFFFFFFFFFFF"), Encoded(DicomVR.UV, ulong.MinValue, ulong.MaxValue));
        Assert.Equal([long.MinValue, long.MaxValue], RoundTrip(DicomVR.SV, long.MinValue, long.MaxValue));
        Assert.Equal([ulong.MinValue, ulong.MaxValue], RoundTrip(DicomVR.UV, ulong.MinValue, ulong.MaxValue));
    }

    [Fact]
    public void SV_and_UV_print_their_extremes_exactly()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(VrTags.For(DicomVR.SV), DicomVR.SV, long.MinValue, long.MaxValue)
            .AddOrUpdate(VrTags.For(DicomVR.UV), DicomVR.UV, ulong.MaxValue);
        Assert.Equal(["-9223372036854775808", "9223372036854775807"], ds.GetStrings(VrTags.For(DicomVR.SV)));
        Assert.Equal(["18446744073709551615"], ds.GetStrings(VrTags.For(DicomVR.UV)));
    }

    [Fact]
    public void SV_and_UV_given_as_text_keep_every_digit()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(VrTags.For(DicomVR.SV), DicomVR.SV, "-9223372036854775808", "9223372036854775807")
            .AddOrUpdate(VrTags.For(DicomVR.UV), DicomVR.UV, "18446744073709551615");
        Assert.Equal([long.MinValue, long.MaxValue], ds.GetValues<long>(VrTags.For(DicomVR.SV)));
        Assert.Equal([ulong.MaxValue], ds.GetValues<ulong>(VrTags.For(DicomVR.UV)));
    }

    [Fact]
    public void FL_is_IEEE_single_little_endian()
    {
        Assert.Equal(Hex("0000803F 0000C0FF 0000807F 000080FF"), Encoded(DicomVR.FL, 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity));
        var back = RoundTrip(DicomVR.FL, 1.5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon);
        Assert.Equal(1.5f, back[0]);
        Assert.True(float.IsNaN(back[1]));
        Assert.Equal(float.PositiveInfinity, back[2]);
        Assert.Equal(float.NegativeInfinity, back[3]);
        Assert.Equal(float.Epsilon, back[4]);
    }

    [Fact]
    public void FD_is_IEEE_double_little_endian()
    {
        Assert.Equal(Hex("000000000000F03F 000000000000F8FF 000000000000F07F"), Encoded(DicomVR.FD, 1d, double.NaN, double.PositiveInfinity));
        var back = RoundTrip(DicomVR.FD, Math.PI, double.NaN, double.NegativeInfinity, double.MaxValue);
        Assert.Equal(Math.PI, back[0]);
        Assert.True(double.IsNaN(back[1]));
        Assert.Equal(double.NegativeInfinity, back[2]);
        Assert.Equal(double.MaxValue, back[3]);
    }

    [Fact]
    public void FL_and_FD_print_NaN_and_infinity_invariantly()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(VrTags.For(DicomVR.FL), DicomVR.FL, float.NaN, float.NegativeInfinity)
            .AddOrUpdate(VrTags.For(DicomVR.FD), DicomVR.FD, 0.1, double.PositiveInfinity);
        Assert.Equal(["NaN", "-Infinity"], ds.GetStrings(VrTags.For(DicomVR.FL)));
        Assert.Equal(["0.1", "Infinity"], ds.GetStrings(VrTags.For(DicomVR.FD)));
    }

    [Fact]
    public void AT_is_written_group_then_element()
    {
        var tag = VrTags.For(DicomVR.AT);
        var ds = new DicomDataset().AddOrUpdate(tag, DicomTags.PatientName, new DicomTag(0x7FE0, 0x0010));
        Assert.Equal(Hex("1000 1000 E07F 1000"), ds.GetBytes(tag).ToArray());
        Assert.Equal([DicomTags.PatientName, DicomTags.PixelData], ds.GetTags(tag));
        Assert.Equal(["(0010,0010)", "(7FE0,0010)"], ds.GetStrings(tag));
    }

    [Fact]
    public void AT_as_a_number_is_the_tag_value_gggg_eeee()
    {
        var tag = VrTags.For(DicomVR.AT);
        var ds = new DicomDataset().AddOrUpdate(tag, DicomVR.AT, 0x00100020u);
        Assert.Equal(Hex("1000 2000"), ds.GetBytes(tag).ToArray());
        Assert.Equal(0x00100020u, ds.GetValue<uint>(tag));
        Assert.Equal([new DicomTag(0x0010, 0x0020)], ds.GetTags(tag));
    }

    [Fact]
    public void AT_can_be_given_as_text()
    {
        var tag = VrTags.For(DicomVR.AT);
        var ds = new DicomDataset().AddOrUpdate(tag, DicomVR.AT, "(0028,0010)", "PatientID");
        Assert.Equal([DicomTags.Rows, DicomTags.PatientID], ds.GetTags(tag));
    }

    [Theory]
    [InlineData("OB", 1)]
    [InlineData("UN", 1)]
    [InlineData("OW", 2)]
    [InlineData("OF", 4)]
    [InlineData("OL", 4)]
    [InlineData("OD", 8)]
    [InlineData("OV", 8)]
    public void Other_VRs_keep_their_bytes_as_given(string code, int unit)
    {
        Assert.True(DicomVRInfo.TryParse(code, out var vr));
        var bytes = Enumerable.Range(1, unit * 3).Select(i => (byte)i).ToArray();
        if (bytes.Length % 2 == 1) bytes = [.. bytes, 0];
        var tag = VrTags.For(vr);
        var ds = new DicomDataset().AddOrUpdate(tag, vr, bytes);
        Assert.Equal(bytes, ds.GetBytes(tag).ToArray());
        Assert.Equal(vr, ds.GetItem(tag)!.VR);
    }

    [Fact]
    public void OB_of_odd_length_is_padded_with_a_NUL()
    {
        Assert.Equal(Hex("010203 00"), Encoded(DicomVR.OB, (byte)1, (byte)2, (byte)3));
    }

    [Fact]
    public void OW_OL_OF_OD_OV_hold_numbers_of_their_width()
    {
        Assert.Equal(Hex("3412 FFFF"), Encoded(DicomVR.OW, 0x1234, 0xFFFF));
        Assert.Equal(Hex("78563412"), Encoded(DicomVR.OL, 0x12345678u));
        Assert.Equal(Hex("0000803F"), Encoded(DicomVR.OF, 1f));
        Assert.Equal(Hex("000000000000F03F"), Encoded(DicomVR.OD, 1d));
        Assert.Equal(Hex("FFFFFFFFFFFFFFFF"), Encoded(DicomVR.OV, ulong.MaxValue));
        Assert.Equal([1f, -2.5f], RoundTrip(DicomVR.OF, 1f, -2.5f));
        Assert.Equal([ulong.MaxValue], RoundTrip(DicomVR.OV, ulong.MaxValue));
    }

    [Fact]
    public void A_value_too_large_for_its_VR_is_refused()
    {
        Assert.Throws<OverflowException>(() => Encoded(DicomVR.US, 65536));
        Assert.Throws<OverflowException>(() => Encoded(DicomVR.SS, 40000));
        Assert.Throws<OverflowException>(() => Encoded(DicomVR.UL, -1));
    }

    [Fact]
    public void A_trailing_partial_value_is_ignored_when_decoding()
    {
        var tag = VrTags.For(DicomVR.US);
        var ds = new DicomDataset().AddOrUpdate(tag, DicomVR.US, Hex("0100 02"));
        Assert.Equal([(ushort)1], ds.GetValues<ushort>(tag));
    }

    [Fact]
    public void SQ_holds_items_with_their_own_values()
    {
        var tag = VrTags.For(DicomVR.SQ);
        var item = new DicomDataset().AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "T-A0100");
        var ds = new DicomDataset().Add(new DicomSequence(tag) { Items = { item } });
        var seq = ds.GetSequence(tag);
        Assert.NotNull(seq);
        Assert.Equal(DicomVR.SQ, seq.VR);
        Assert.Equal("T-A0100", Assert.Single(seq.Items).GetString(DicomTags.CodeValue));
    }
}
