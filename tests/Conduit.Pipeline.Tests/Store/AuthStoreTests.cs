using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Store;

public sealed class AuthStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, BothProviders]
    public async Task A_user_name_is_unique_and_found_in_any_letter_case(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var auth = new SqlAuthStore(store.Database);
        Assert.False(await auth.AnyUserAsync(None));

        Assert.True(await auth.AddUserAsync("Alice", "operator", "hash-1", None));
        Assert.False(await auth.AddUserAsync("alice", "viewer", "hash-2", None));

        var found = await auth.FindUserAsync("ALICE", None);
        Assert.Equal(("Alice", "operator", "hash-1"), (found!.Name, found.Role, found.PasswordHash));
        Assert.True(await auth.SetPasswordAsync("aLiCe", "hash-3", None));
        Assert.Equal("hash-3", (await auth.FindUserAsync("alice", None))!.PasswordHash);
        Assert.True(await auth.AnyUserAsync(None));
        Assert.True(await auth.RemoveUserAsync("ALICE", None));
        Assert.Empty(await auth.ListUsersAsync(None));
    }

    [Theory, BothProviders]
    public async Task A_token_name_is_taken_while_the_token_is_active_and_free_again_once_it_is_revoked(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var auth = new SqlAuthStore(store.Database);

        Assert.True(await auth.AddTokenAsync("ci", "viewer", "sha-1", None));
        Assert.False(await auth.AddTokenAsync("ci", "operator", "sha-2", None));
        Assert.True(await auth.RevokeTokenAsync("ci", None));
        Assert.True(await auth.AddTokenAsync("ci", "operator", "sha-3", None));

        var tokens = await auth.ListTokensAsync(None);
        Assert.Equal([("sha-1", true), ("sha-3", false)], tokens.Select(t => (t.TokenHash, t.RevokedAt is not null)).Order());
        Assert.Equal("operator", (await auth.FindTokenByHashAsync("sha-3", None))!.Role);
        Assert.Null(await auth.FindTokenByHashAsync("sha-2", None));
    }
}
