using System.Security.Cryptography;

namespace Conduit.Pipeline.Store;

/// <summary>
/// Row ids: 26-character ULID-style text (48-bit millisecond time + 80 random bits, Crockford base 32). Text ids
/// rather than autoincrement integers so that several nodes can create rows in one shared database (or in
/// different ones that are merged) without coordinating, and so ids sort by creation time. Ids made by one process
/// in the same millisecond increase monotonically (the random part is incremented), which keeps FIFO order exact.
/// </summary>
public static class StoreIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly Lock Gate = new();
    private static long _lastMs;
    private static UInt128 _lastRandom;

    public static string New() => New(DateTimeOffset.UtcNow);

    public static string New(DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        UInt128 random;
        lock (Gate)
        {
            if (ms <= _lastMs)
            {
                ms = _lastMs;
                random = ++_lastRandom & Random80Mask;
            }
            else
            {
                Span<byte> bytes = stackalloc byte[16];
                RandomNumberGenerator.Fill(bytes);
                // Keep the top bit clear so increments within one millisecond do not overflow 80 bits.
                random = new UInt128(BitConverter.ToUInt64(bytes), BitConverter.ToUInt64(bytes[8..])) & (Random80Mask >> 1);
                _lastMs = ms;
            }
            _lastRandom = random;
        }
        return Encode(((UInt128)(ulong)ms << 80) | random);
    }

    private static readonly UInt128 Random80Mask = (UInt128.One << 80) - 1;

    private static string Encode(UInt128 value)
    {
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }
}
