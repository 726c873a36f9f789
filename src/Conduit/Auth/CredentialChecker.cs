using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Auth;

/// <summary>
/// Checks a user name and password, or an API token, against the store. A failure is logged (user name and remote
/// address, never the password) and answered after a fixed delay, so guessing is slow and an unknown user takes as long
/// as a wrong password (a dummy hash is checked for it). HTTP Basic repeats the password on every request, and PBKDF2 is
/// deliberately slow: a successful check is remembered for a few minutes, keyed by a hash of name, password and the
/// stored hash, so a password change or removal ends it at once.
/// </summary>
internal sealed partial class CredentialChecker(SqlAuthStore store, TimeProvider time, ILogger<CredentialChecker> logger)
{
    public static readonly TimeSpan FailureDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RememberSuccess = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TokenUseResolution = TimeSpan.FromMinutes(1);
    private const int MaxRemembered = 1024;
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));

    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    /// <summary>The user's principal, or null (after the failure delay) when the name or password is wrong.</summary>
    public async Task<ClaimsPrincipal?> CheckPasswordAsync(string userName, string password, string via, string remote, CancellationToken cancellationToken)
    {
        var user = userName.Length is > 0 and <= UserNames.MaxLength ? await store.FindUserAsync(userName, cancellationToken) : null;
        if (user is not null && Verify(user, password))
        {
            // A hash from a time of fewer iterations is strengthened now that the password is at hand.
            if (PasswordHasher.NeedsRehash(user.PasswordHash))
                await store.UpgradePasswordHashAsync(user.Name, user.PasswordHash, PasswordHasher.Hash(password), cancellationToken);
            return AuthSchemes.Principal(user.Name, user.Role, "user", via,
                new Claim(AuthSchemes.PasswordStampClaim, UtcTime.ToText(user.PasswordChangedAt)));
        }
        if (user is null) PasswordHasher.Verify(password, DummyHash.Value);
        await FailAsync(userName, remote, via, cancellationToken);
        return null;
    }

    /// <summary>The token's principal (named after the token), or null (after the failure delay) when unknown or revoked.</summary>
    public async Task<ClaimsPrincipal?> CheckTokenAsync(string token, string userName, string via, string remote, CancellationToken cancellationToken)
    {
        var record = ApiTokens.LooksLikeToken(token) ? await store.FindTokenByHashAsync(ApiTokens.Hash(token), cancellationToken) : null;
        if (record is null || record.IsRevoked)
        {
            await FailAsync(userName.Length > 0 ? userName : "(token)", remote, via, cancellationToken);
            return null;
        }
        var now = time.GetUtcNow();
        // Recording every use would be a write per request; a minute's resolution is what "last used" needs.
        if (record.LastUsedAt is not { } last || now - last >= TokenUseResolution)
            await store.MarkTokenUsedAsync(record.Id, now, cancellationToken);
        return AuthSchemes.Principal(record.Name, record.Role, "token", via);
    }

    public Task FailAsync(string userName, string remote, string via, CancellationToken cancellationToken)
    {
        LogFailed(logger, UserNames.ForLog(userName), remote, via);
        return Task.Delay(FailureDelay, time, cancellationToken);
    }

    private bool Verify(UserAccount user, string password)
    {
        var key = RememberKey(user, password);
        var now = time.GetUtcNow();
        if (_verified.TryGetValue(key, out var until) && until > now) return true;
        if (!PasswordHasher.Verify(password, user.PasswordHash)) return false;
        if (_verified.Count >= MaxRemembered) _verified.Clear();
        _verified[key] = now + RememberSuccess;
        return true;
    }

    private static string RememberKey(UserAccount user, string password) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{user.Name.ToUpperInvariant()}\0{password}\0{user.PasswordHash}"))));

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Failed sign-in for user '{User}' from {Remote} ({Via})")]
    private static partial void LogFailed(ILogger logger, string user, string remote, string via);
}
