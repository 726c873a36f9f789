using System.Text;

namespace Conduit.Dicom.Text;

/// <summary>
/// Access to the legacy code pages (ISO 8859-x, EUC-JP, EUC-KR, GBK, GB18030, TIS 620) that ship in the .NET
/// shared framework but must be registered once through <see cref="CodePagesEncodingProvider"/>.
/// </summary>
internal static class CodePages
{
    static CodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// An encoding that writes nothing for unmappable characters (callers detect the empty result and pick another
    /// code element) and decodes invalid bytes to U+FFFD. No best-fit mapping is applied.
    /// </summary>
    public static Encoding Strict(int codePage) =>
        Encoding.GetEncoding(codePage, new EncoderReplacementFallback(string.Empty), new DecoderReplacementFallback("\uFFFD"));

    /// <summary>An encoding that writes '?' for unmappable characters and decodes invalid bytes to U+FFFD.</summary>
    public static Encoding Lenient(int codePage) =>
        Encoding.GetEncoding(codePage, new EncoderReplacementFallback("?"), new DecoderReplacementFallback("\uFFFD"));
}
