namespace Conduit.Pipeline.Store;

/// <summary>
/// Migration 6: the people who sign in to the HTTP side and the API tokens scripts use. Only hashes are stored: a
/// password as a PBKDF2 string (algorithm, iterations, salt, hash), a token as its SHA-256. A token's name is unique
/// among the tokens not revoked, so a revoked name can be issued again while the old row stays for the record.
/// </summary>
internal static class SchemaV6Auth
{
    public const string Sql = """
        CREATE TABLE users (
            name                TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            role                TEXT NOT NULL CHECK (role IN ('viewer', 'operator')),
            password_hash       TEXT NOT NULL,
            created_at          TEXT NOT NULL,
            password_changed_at TEXT NOT NULL
        );

        CREATE TABLE api_tokens (
            id           TEXT PRIMARY KEY,
            name         TEXT NOT NULL,
            role         TEXT NOT NULL CHECK (role IN ('viewer', 'operator')),
            token_hash   TEXT NOT NULL UNIQUE,
            created_at   TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at   TEXT
        );

        CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens (name) WHERE revoked_at IS NULL;
        """;
}
