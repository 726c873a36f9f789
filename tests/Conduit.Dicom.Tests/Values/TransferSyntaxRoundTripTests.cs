using System.Buffers.Binary;

namespace Conduit.Dicom.Tests.Values;

/// <summary>
/// Every VR written with DicomWriter in the three uncompressed syntaxes and read back with DicomReader: the element
/// buffer is unchanged, and the stream has the header layout of PS3.5 §7.1 with values swapped per value size in big endian.
/// </summary>
public class TransferSyntaxRoundTripTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var vr in VrTags.All.Where(v => v != DicomVR.SQ))
            foreach (var ts in new[] { "implicit-le", "explicit-le", "explicit-be" })
                data.Add(vr.Code, ts);
        return data;
    }

    private static DicomTransferSyntax Syntax(string name) => name switch
    {
        "implicit-le" => DicomTransferSyntax.ImplicitVRLittleEndian,
        "explicit-le" => DicomTransferSyntax.ExplicitVRLittleEndian,
        _ => DicomTransferSyntax.ExplicitVRBigEndian,
    };

    /// <summary>Two or three values of each VR, so that per-value swapping is visible; little-endian as held in memory.</summary>
    private static DicomDataset Sample(DicomVR vr)
    {
        var tag = VrTags.For(vr);
        var ds = new DicomDataset();
        return vr switch
        {
            DicomVR.AE => ds.AddOrUpdate(tag, vr, "STORESCP", "ANY"),
            DicomVR.AS => ds.AddOrUpdate(tag, vr, "045Y"),
            DicomVR.AT => ds.AddOrUpdate(tag, DicomTags.PatientName, DicomTags.PixelData),
            DicomVR.CS => ds.AddOrUpdate(tag, vr, "ORIGINAL", "PRIMARY"),
            DicomVR.DA => ds.AddOrUpdate(tag, vr, "20240115"),
            DicomVR.DS => ds.AddOrUpdate(tag, vr, 1.5, -0.001, 1e10),
            DicomVR.DT => ds.AddOrUpdate(tag, vr, "20240115123456.123+0100"),
            DicomVR.FD => ds.AddOrUpdate(tag, vr, Math.PI, double.NaN),
            DicomVR.FL => ds.AddOrUpdate(tag, vr, 1.25f, float.NegativeInfinity),
            DicomVR.IS => ds.AddOrUpdate(tag, vr, 1, -2, 300),
            DicomVR.LO => ds.AddOrUpdate(tag, vr, "long string"),
            DicomVR.LT => ds.AddOrUpdate(tag, vr, "long text\\with a backslash"),
            DicomVR.OB => ds.AddOrUpdate(tag, vr, new byte[] { 1, 2, 3, 4, 5 }),
            DicomVR.OD => ds.AddOrUpdate(tag, vr, 1.0, -2.0),
            DicomVR.OF => ds.AddOrUpdate(tag, vr, 1f, -2f, 3.5f),
            DicomVR.OL => ds.AddOrUpdate(tag, vr, 0x01020304u, 0xA0B0C0D0u),
            DicomVR.OV => ds.AddOrUpdate(tag, vr, 0x0102030405060708ul, ulong.MaxValue),
            DicomVR.OW => ds.AddOrUpdate(tag, vr, (ushort)0x0102, (ushort)0xA0B0, (ushort)0xFFFE),
            DicomVR.PN => ds.AddOrUpdate(tag, vr, "Doe^John=ドウ^ジョン"),
            DicomVR.SH => ds.AddOrUpdate(tag, vr, "short"),
            DicomVR.SL => ds.AddOrUpdate(tag, vr, int.MinValue, 0x01020304),
            DicomVR.SS => ds.AddOrUpdate(tag, vr, (short)-2, (short)0x0102),
            DicomVR.ST => ds.AddOrUpdate(tag, vr, "short text"),
            DicomVR.SV => ds.AddOrUpdate(tag, vr, long.MinValue, 0x0102030405060708L),
            DicomVR.TM => ds.AddOrUpdate(tag, vr, "235959.999999"),
            DicomVR.UC => ds.AddOrUpdate(tag, vr, "unlimited", "characters"),
            DicomVR.UI => ds.AddOrUpdate(tag, vr, "1.2.840.10008.1.2.1"),
            DicomVR.UL => ds.AddOrUpdate(tag, vr, 0x01020304u, uint.MaxValue),
            DicomVR.UN => ds.AddOrUpdate(tag, vr, new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }),
            DicomVR.UR => ds.AddOrUpdate(tag, vr, "https://example.org/wado?x=1"),
            DicomVR.US => ds.AddOrUpdate(tag, vr, (ushort)0x0102, (ushort)0xFFFF),
            DicomVR.UT => ds.AddOrUpdate(tag, vr, "unlimited text"),
            DicomVR.UV => ds.AddOrUpdate(tag, vr, 0x0102030405060708ul, ulong.MaxValue),
            _ => throw new ArgumentOutOfRangeException(nameof(vr)),
        };
    }

    private static byte[] Write(DicomDataset ds, DicomTransferSyntax ts)
    {
        var ms = new MemoryStream();
        DicomWriter.WriteDataset(ms, ds, ts);
        return ms.ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_VR_is_read_back_with_the_same_value_bytes(string code, string syntax)
    {
        Assert.True(DicomVRInfo.TryParse(code, out var vr));
        var ts = Syntax(syntax);
        var tag = VrTags.For(vr);
        var written = Sample(vr);

        var read = DicomReader.ReadDataset(new MemoryStream(Write(written, ts)), ts);

        var element = Assert.IsType<DicomElement>(read.GetItem(tag));
        Assert.Equal(vr, element.VR);
        Assert.Equal(written.GetBytes(tag).ToArray(), element.Buffer.Span.ToArray());
        if (vr.IsString || vr.ValueSize > 0) Assert.Equal(written.GetStrings(tag), read.GetStrings(tag));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_VR_has_the_PS3_5_section_7_1_header_and_value_byte_order(string code, string syntax)
    {
        Assert.True(DicomVRInfo.TryParse(code, out var vr));
        var ts = Syntax(syntax);
        var tag = VrTags.For(vr);
        var value = Sample(vr).GetBytes(tag).ToArray();

        var raw = Write(Sample(vr), ts).AsSpan();

        var be = ts.IsBigEndian;
        ushort U16(ReadOnlySpan<byte> s) => be ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
        uint U32(ReadOnlySpan<byte> s) => be ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
        Assert.Equal(tag.Group, U16(raw));
        Assert.Equal(tag.Element, U16(raw[2..]));
        int headerLength;
        if (!ts.IsExplicitVR)
        {
            // PS3.5 §7.1.3: tag, 32-bit length.
            Assert.Equal((uint)value.Length, U32(raw[4..]));
            headerLength = 8;
        }
        else if (vr.HasLongLength)
        {
            // PS3.5 §7.1.2, Table 7.1-1: tag, VR, 2 reserved bytes 0000H, 32-bit length.
            Assert.Equal(vr.Code, System.Text.Encoding.ASCII.GetString(raw.Slice(4, 2)));
            Assert.Equal(0, raw[6] | raw[7]);
            Assert.Equal((uint)value.Length, U32(raw[8..]));
            headerLength = 12;
        }
        else
        {
            // PS3.5 §7.1.2, Table 7.1-2: tag, VR, 16-bit length.
            Assert.Equal(vr.Code, System.Text.Encoding.ASCII.GetString(raw.Slice(4, 2)));
            Assert.Equal(value.Length, U16(raw[6..]));
            headerLength = 8;
        }
        Assert.Equal(headerLength + value.Length, raw.Length);

        var expected = (byte[])value.Clone();
        var unit = be ? vr switch { DicomVR.AT => 2, _ => vr.ValueSize } : 0;
        for (var i = 0; unit > 1 && i + unit <= expected.Length; i += unit) Array.Reverse(expected, i, unit);
        Assert.Equal(expected, raw[headerLength..].ToArray());
    }

    [Fact]
    public void Big_endian_AT_keeps_group_before_element_with_each_half_swapped()
    {
        var tag = VrTags.For(DicomVR.AT);
        var raw = Write(new DicomDataset().AddOrUpdate(tag, new DicomTag(0x0010, 0x0020)), DicomTransferSyntax.ExplicitVRBigEndian);
        Assert.Equal(new byte[] { 0x00, 0x10, 0x00, 0x20 }, raw[^4..]);
    }

    [Theory]
    [InlineData("implicit-le")]
    [InlineData("explicit-le")]
    [InlineData("explicit-be")]
    public void Nested_sequences_are_read_back_item_by_item(string syntax)
    {
        var ts = Syntax(syntax);
        var tag = VrTags.For(DicomVR.SQ);
        var inner = new DicomDataset().AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "121");
        var item = new DicomDataset().AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)512)
            .Add(new DicomSequence(tag) { Items = { inner } });
        var undefinedItem = new DicomDataset { UndefinedLength = true }.AddOrUpdate(DicomTags.PatientID, "X");
        var ds = new DicomDataset().Add(new DicomSequence(tag) { UndefinedLength = true, Items = { item, undefinedItem } });

        var raw = Write(ds, ts);
        var read = DicomReader.ReadDataset(new MemoryStream(raw), ts);

        var seq = read.GetSequence(tag);
        Assert.NotNull(seq);
        Assert.True(seq.UndefinedLength);
        Assert.Equal(2, seq.Items.Count);
        Assert.Equal((ushort)512, seq.Items[0].GetValue<ushort>(DicomTags.Rows));
        Assert.Equal("121", Assert.Single(seq.Items[0].GetSequence(tag)!.Items).GetString(DicomTags.CodeValue));
        Assert.True(seq.Items[1].UndefinedLength);
        Assert.Equal("X", seq.Items[1].GetString(DicomTags.PatientID));
        Assert.Equal(raw, Write(read, ts));
    }

    [Fact]
    public void Explicit_VR_sequence_header_has_reserved_bytes_and_undefined_length()
    {
        var tag = VrTags.For(DicomVR.SQ);
        var ds = new DicomDataset().Add(new DicomSequence(tag) { UndefinedLength = true });
        var raw = Write(ds, DicomTransferSyntax.ExplicitVRBigEndian);
        var expected = new byte[12 + 8];
        BinaryPrimitives.WriteUInt16BigEndian(expected, tag.Group);
        BinaryPrimitives.WriteUInt16BigEndian(expected.AsSpan(2), tag.Element);
        expected[4] = (byte)'S';
        expected[5] = (byte)'Q';
        BinaryPrimitives.WriteUInt32BigEndian(expected.AsSpan(8), 0xFFFFFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(expected.AsSpan(12), 0xFFFEE0DD);
        Assert.Equal(expected, raw);
    }
}
