using System.Data.Common;

namespace Conduit.Pipeline.Store;

/// <summary>
/// Users and API tokens in the store. It holds hashes only; hashing and checking belong to the HTTP side
/// (Conduit.Auth). The CLI (<c>conduit user</c>, <c>conduit token</c>) and <c>conduit serve</c> open the same database
/// at once (on SQLite, WAL lets the one read while the other writes). A name already taken is found by
/// <c>ON CONFLICT DO NOTHING</c> rather than by catching the violation, because a failed statement ends a PostgreSQL
/// transaction.
/// </summary>
public sealed class SqlAuthStore(StoreDatabase database)
{
    /// <summary>False when a user of that name (in any letter case) exists already.</summary>
    public Task<bool> AddUserAsync(string name, string role, string passwordHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(t, """
            INSERT INTO users (name, role, password_hash, created_at, password_changed_at) VALUES (@n, @r, @h, @at, @at)
            ON CONFLICT (name) DO NOTHING;
            """, ("@n", name), ("@r", role), ("@h", passwordHash), ("@at", UtcTime.ToText(database.UtcNow))) == 1, cancellationToken);

    /// <summary>False when there is no such user.</summary>
    public Task<bool> SetPasswordAsync(string name, string passwordHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(t, "UPDATE users SET password_hash = @h, password_changed_at = @at WHERE name = @n;",
            ("@n", name), ("@h", passwordHash), ("@at", UtcTime.ToText(database.UtcNow))) == 1, cancellationToken);

    /// <summary>
    /// Replaces a hash by a stronger one of the same password (more iterations), only if it is still
    /// <paramref name="oldHash"/>; the password's change time (and so the user's sessions) stays.
    /// </summary>
    public Task<bool> UpgradePasswordHashAsync(string name, string oldHash, string newHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(t, "UPDATE users SET password_hash = @new WHERE name = @n AND password_hash = @old;",
            ("@n", name), ("@old", oldHash), ("@new", newHash)) == 1, cancellationToken);

    /// <summary>False when there is no such user.</summary>
    public Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(t, "DELETE FROM users WHERE name = @n;", ("@n", name)) == 1, cancellationToken);

    public Task<UserAccount?> FindUserAsync(string name, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.Query(null, "SELECT * FROM users WHERE name = @n;", ReadUser, ("@n", name)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<UserAccount>> ListUsersAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<UserAccount>>(c => c.Query(null, "SELECT * FROM users ORDER BY name;", ReadUser), cancellationToken);

    public Task<bool> AnyUserAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.Scalar("SELECT 1 FROM users LIMIT 1;") is not null, cancellationToken);

    /// <summary>False when a token of that name is active (not revoked).</summary>
    public Task<bool> AddTokenAsync(string name, string role, string tokenHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(t, """
            INSERT INTO api_tokens (id, name, role, token_hash, created_at) VALUES (@id, @n, @r, @h, @at)
            ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING;
            """, ("@id", StoreIds.New(database.UtcNow)), ("@n", name), ("@r", role), ("@h", tokenHash), ("@at", UtcTime.ToText(database.UtcNow))) == 1,
            cancellationToken);

    /// <summary>Revokes the active token of that name; false when there is none.</summary>
    public Task<bool> RevokeTokenAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(t, "UPDATE api_tokens SET revoked_at = @at WHERE name = @n AND revoked_at IS NULL;",
            ("@n", name), ("@at", UtcTime.ToText(database.UtcNow))) == 1, cancellationToken);

    public Task<IReadOnlyList<ApiTokenRecord>> ListTokensAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ApiTokenRecord>>(c => c.Query(null, "SELECT * FROM api_tokens ORDER BY name, created_at;", ReadToken), cancellationToken);

    public Task<ApiTokenRecord?> FindTokenByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.Query(null, "SELECT * FROM api_tokens WHERE token_hash = @h;", ReadToken, ("@h", tokenHash)).FirstOrDefault(),
            cancellationToken);

    public Task MarkTokenUsedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(t, "UPDATE api_tokens SET last_used_at = @at WHERE id = @id;", ("@id", id), ("@at", UtcTime.ToText(at))),
            cancellationToken);

    private static UserAccount ReadUser(DbDataReader r) =>
        new(r.String("name"), r.String("role"), r.String("password_hash"), r.Time("created_at"), r.Time("password_changed_at"));

    private static ApiTokenRecord ReadToken(DbDataReader r) =>
        new(r.String("id"), r.String("name"), r.String("role"), r.String("token_hash"), r.Time("created_at"),
            r.NullableTime("last_used_at"), r.NullableTime("revoked_at"));
}
