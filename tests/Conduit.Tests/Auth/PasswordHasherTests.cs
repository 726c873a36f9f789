using Conduit.Auth;

namespace Conduit.Tests.Auth;

public sealed class PasswordHasherTests
{
    [Fact]
    public void A_hash_verifies_its_password_only_and_names_its_algorithm_and_iterations()
    {
        var hash = PasswordHasher.Hash("s3cret-password");

        Assert.StartsWith($"pbkdf2-sha256${PasswordHasher.Iterations}$", hash);
        Assert.True(PasswordHasher.Verify("s3cret-password", hash));
        Assert.False(PasswordHasher.Verify("s3cret-passwore", hash));
        Assert.False(PasswordHasher.NeedsRehash(hash));
    }

    [Fact]
    public void The_same_password_hashes_differently_each_time_with_a_16_byte_salt()
    {
        var a = PasswordHasher.Hash("same-password").Split('$');
        var b = PasswordHasher.Hash("same-password").Split('$');

        Assert.NotEqual(a[2], b[2]);
        Assert.NotEqual(a[3], b[3]);
        Assert.Equal(16, Convert.FromBase64String(a[2]).Length);
    }

    [Fact]
    public void A_hash_made_with_fewer_iterations_still_verifies_and_asks_to_be_rehashed()
    {
        var old = PasswordHasher.Hash("old-password", new byte[16], 1000);

        Assert.True(PasswordHasher.Verify("old-password", old));
        Assert.True(PasswordHasher.NeedsRehash(old));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-text")]
    [InlineData("pbkdf2-sha256$abc$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64$AAAA")]
    [InlineData("sha1$1000$AAAA$AAAA")]
    public void A_malformed_stored_hash_never_verifies(string stored) => Assert.False(PasswordHasher.Verify("", stored));

    [Theory]
    [InlineData("/jobs?status=failed", "/jobs?status=failed")]
    [InlineData("/", "/")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void Only_a_local_return_url_is_followed_after_sign_in(string? url, string expected) =>
        Assert.Equal(expected, LoginEndpoints.LocalOrRoot(url));
}
