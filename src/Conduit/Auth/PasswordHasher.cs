using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Conduit.Auth;

/// <summary>
/// Password hashes as one self-describing string, <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash in
/// base64): PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) with a 16-byte random salt. The iteration count travels with each hash,
/// so raising <see cref="Iterations"/> later keeps old hashes verifiable and <see cref="NeedsRehash"/> tells which to
/// upgrade at the next sign-in. 600,000 iterations is OWASP's 2023 figure for this PRF.
/// </summary>
internal static class PasswordHasher
{
    public const int Iterations = 600_000;
    private const string Algorithm = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password) => Hash(password, RandomNumberGenerator.GetBytes(SaltBytes), Iterations);

    internal static string Hash(string password, byte[] salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Algorithm, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="password"/> matches; a malformed stored hash never matches.</summary>
    public static bool Verify(string password, string stored)
    {
        if (!TryParse(stored, out var iterations, out var salt, out var expected)) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        // Constant time: how many leading bytes matched must not show in the time taken.
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>True when the hash was made with fewer iterations than today's (or cannot be read).</summary>
    public static bool NeedsRehash(string stored) => !TryParse(stored, out var iterations, out _, out _) || iterations < Iterations;

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Algorithm) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1) return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length > 0 && hash.Length > 0;
    }
}
