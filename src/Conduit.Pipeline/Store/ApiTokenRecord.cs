namespace Conduit.Pipeline.Store;

/// <summary>An API token as stored: its SHA-256 (never the token), the role it grants, and when it was used or revoked.</summary>
public sealed record ApiTokenRecord(
    string Id, string Name, string Role, string TokenHash, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}
