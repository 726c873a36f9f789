using Conduit.Dicom.Text;

namespace Conduit.Dicom.Tests.Text;

public class DicomCharacterSetValuesTests
{
    private static DicomCharacterSet Set(string value) => DicomCharacterSet.FromSpecificCharacterSet(value.Split('\\'));

    [Theory]
    [InlineData("GBK")]
    [InlineData("GB18030")]
    public void Gbk_second_byte_0x5C_does_not_split_values(string term)
    {
        // 乗 is 81 5C; the only real delimiter is the 5C between the two characters.
        var bytes = CharsetSamples.Bytes("815c5c825c");
        var values = Set(term).DecodeValues(bytes, DicomTextKind.MultiValued);
        Assert.Equal(["乗", "俓"], values);
    }

    [Fact]
    public void Jis_x_0208_byte_0x5C_does_not_split_values()
    {
        // 俑 is JIS 50 5C: inside ESC $ B it is half a character, not a delimiter.
        var bytes = CharsetSamples.Bytes("1b2442505c1b28425c41");
        var values = Set("\\ISO 2022 IR 87").DecodeValues(bytes, DicomTextKind.MultiValued);
        Assert.Equal(["俑", "A"], values);
    }

    [Fact]
    public void Person_name_values_split_on_backslash_only()
    {
        var values = Set("ISO_IR 100").DecodeValues(CharsetSamples.Bytes("4275635e4ae972f46d655c415e42"), DicomTextKind.PersonName);
        Assert.Equal(["Buc^Jérôme", "A^B"], values);
    }

    [Fact]
    public void Single_valued_text_is_never_split()
    {
        var values = Set("ISO_IR 100").DecodeValues("a\\b"u8, DicomTextKind.SingleValued);
        Assert.Equal(["a\\b"], values);
    }

    [Fact]
    public void Empty_values_are_kept()
    {
        Assert.Equal(["", "A", ""], DicomCharacterSet.Default.DecodeValues("\\A\\"u8, DicomTextKind.MultiValued));
    }
}
