using System.Security.Claims;
using Conduit.Auth;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Tests.Auth;

/// <summary>The credential checks over a real SQLite store.</summary>
public sealed class CredentialCheckerTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-credentials-").FullName;
    private SqliteDatabase _database = null!;
    private SqlAuthStore _store = null!;
    private CredentialChecker _checker = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = Path.Combine(_dir, "conduit.db") });
        _store = new SqlAuthStore(_database);
        _checker = new CredentialChecker(_store, TimeProvider.System, NullLogger<CredentialChecker>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_hash_with_fewer_iterations_is_strengthened_at_sign_in_without_ending_sessions()
    {
        await _store.AddUserAsync("alice", ConduitRoles.Viewer, PasswordHasher.Hash("old-iterations", new byte[16], 1000), CancellationToken.None);
        var before = (await _store.FindUserAsync("alice", CancellationToken.None))!;

        var principal = await _checker.CheckPasswordAsync("alice", "old-iterations", AuthSchemes.ViaBasic, "127.0.0.1", CancellationToken.None);

        var after = (await _store.FindUserAsync("alice", CancellationToken.None))!;
        Assert.Equal("alice", principal?.Identity?.Name);
        Assert.StartsWith($"pbkdf2-sha256${PasswordHasher.Iterations}$", after.PasswordHash);
        Assert.True(PasswordHasher.Verify("old-iterations", after.PasswordHash));
        Assert.Equal(before.PasswordChangedAt, after.PasswordChangedAt);
    }

    [Fact]
    public async Task User_names_match_in_any_letter_case_and_the_principal_carries_the_stored_name_and_role()
    {
        await _store.AddUserAsync("Alice", ConduitRoles.Operator, PasswordHasher.Hash("right-password"), CancellationToken.None);

        var principal = await _checker.CheckPasswordAsync("alice", "right-password", AuthSchemes.ViaCookie, "127.0.0.1", CancellationToken.None);

        Assert.Equal("Alice", principal?.Identity?.Name);
        Assert.Equal(ConduitRoles.Operator, principal?.FindFirstValue(ClaimTypes.Role));
        Assert.False(await _store.AddUserAsync("ALICE", ConduitRoles.Viewer, "x", CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_user_a_wrong_password_and_a_revoked_token_are_refused()
    {
        await _store.AddUserAsync("alice", ConduitRoles.Viewer, PasswordHasher.Hash("right-password"), CancellationToken.None);
        var token = ApiTokens.Generate();
        await _store.AddTokenAsync("ci", ConduitRoles.Viewer, ApiTokens.Hash(token), CancellationToken.None);

        Assert.Null(await _checker.CheckPasswordAsync("nobody", "right-password", AuthSchemes.ViaBasic, "127.0.0.1", CancellationToken.None));
        Assert.Null(await _checker.CheckPasswordAsync("alice", "wrong-password", AuthSchemes.ViaBasic, "127.0.0.1", CancellationToken.None));
        Assert.NotNull(await _checker.CheckTokenAsync(token, "", AuthSchemes.ViaBearer, "127.0.0.1", CancellationToken.None));
        Assert.True(await _store.RevokeTokenAsync("ci", CancellationToken.None));
        Assert.Null(await _checker.CheckTokenAsync(token, "", AuthSchemes.ViaBearer, "127.0.0.1", CancellationToken.None));
        // The name is free again once revoked; the old row stays for the record.
        Assert.True(await _store.AddTokenAsync("ci", ConduitRoles.Viewer, ApiTokens.Hash(ApiTokens.Generate()), CancellationToken.None));
        Assert.Equal(2, (await _store.ListTokensAsync(CancellationToken.None)).Count);
    }
}
