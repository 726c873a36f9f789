namespace Conduit.Dicom.Tests.Text;

/// <summary>
/// Raw (0010,0010) bytes from /work/shared/dicom-samples/charset (dclunie's character set test files as shipped by
/// pydicom, and fo-dicom's GH1301), plus vectors for sets without a sample file, built from the ISO 8859 / TIS 620 /
/// EUC code tables.
/// </summary>
internal static class CharsetSamples
{
    public const string Esc = "1b";

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    /// <summary>chrH31.dcm, charset "\ISO 2022 IR 87".</summary>
    public const string H31 = "59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b28423d1b24422464245e24401b28425e1b2442243f246d24261b2842";

    /// <summary>chrH32.dcm, charset "ISO 2022 IR 13\ISO 2022 IR 87".</summary>
    public const string H32 = "d4cfc0de5ec0dbb33d1b24423b3345441b284a5e1b244242404f3a1b284a3d1b24422464245e24401b284a5e1b2442243f246d24261b284a";

    /// <summary>chrI2.dcm, charset "\ISO 2022 IR 149".</summary>
    public const string I2 = "486f6e675e47696c646f6e673d1b242943fbf35e1b242943d1ced4d73d1b242943c8ab5e1b242943b1e6b5bf";

    public const string H31Text = "Yamada^Tarou=山田^太郎=やまだ^たろう";
    public const string H32Text = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう";
    public const string I2Text = "Hong^Gildong=洪^吉洞=홍^길동";
}
