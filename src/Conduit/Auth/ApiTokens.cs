using System.Security.Cryptography;
using System.Text;

namespace Conduit.Auth;

/// <summary>
/// API tokens: 32 random bytes shown once as <c>cdt_BASE64URL</c>; the store keeps only their SHA-256. A token has
/// 256 bits of entropy, so a fast hash is enough (no salt or stretching needed, unlike passwords), and the hash can
/// be looked up directly.
/// </summary>
internal static class ApiTokens
{
    public const string Prefix = "cdt_";
    private const int TokenBytes = 32;

    public static string Generate() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(TokenBytes));

    public static bool LooksLikeToken(string text) => text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length > Prefix.Length;

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
