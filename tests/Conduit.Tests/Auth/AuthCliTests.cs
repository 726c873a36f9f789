namespace Conduit.Tests.Auth;

/// <summary><c>conduit user</c> and <c>conduit token</c> refusals: each with a clear message and its exit code.</summary>
public sealed class AuthCliTests : IDisposable
{
    private readonly AuthSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_user_name_taken_in_any_letter_case_is_refused_and_the_first_password_stays()
    {
        await _site.AddUserAsync("alice", "viewer", "first-password");

        var again = await _site.RunAsync("second-password\n", "user", "add", "ALICE", "--role", "operator", "--password-stdin");
        var list = await _site.RunAsync(null, "user", "list");

        Assert.Equal(ExitCodes.NameConflict, again.ExitCode);
        Assert.Contains("exists already", again.Stderr);
        Assert.Single(list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        Assert.Contains("viewer", list.Stdout);
    }

    [Fact]
    public async Task Bad_names_roles_and_passwords_are_refused_before_anything_is_stored()
    {
        var badName = await _site.RunAsync("long-enough-password\n", "user", "add", "al ice", "--role", "viewer", "--password-stdin");
        var badRole = await _site.RunAsync("long-enough-password\n", "user", "add", "alice", "--role", "admin", "--password-stdin");
        var shortPassword = await _site.RunAsync("short\n", "user", "add", "alice", "--role", "viewer", "--password-stdin");
        var noTerminal = await _site.RunAsync("", "user", "add", "alice", "--role", "viewer");
        var list = await _site.RunAsync(null, "user", "list");

        Assert.Equal(ExitCodes.Usage, badName.ExitCode);
        Assert.Contains("not a valid name", badName.Stderr);
        Assert.NotEqual(0, badRole.ExitCode);
        Assert.Contains("admin", badRole.Stderr);
        Assert.Equal(ExitCodes.Usage, shortPassword.ExitCode);
        Assert.Contains("at least 8 characters", shortPassword.Stderr);
        Assert.Equal(ExitCodes.Usage, noTerminal.ExitCode);
        Assert.Contains("--password-stdin", noTerminal.Stderr);
        Assert.DoesNotContain("alice", list.Stdout);
    }

    [Fact]
    public async Task A_token_name_in_use_and_an_unknown_one_are_refused()
    {
        var token = await _site.CreateTokenAsync("ci", "operator");

        var again = await _site.RunAsync(null, "token", "create", "--name", "ci", "--role", "viewer");
        var unknown = await _site.RunAsync(null, "token", "revoke", "nope");
        var removeUnknown = await _site.RunAsync(null, "user", "remove", "nope");

        Assert.Matches("^cdt_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(ExitCodes.NameConflict, again.ExitCode);
        Assert.Contains("exists already", again.Stderr);
        Assert.Equal("", again.Stdout.Trim());
        Assert.Equal(ExitCodes.NameConflict, unknown.ExitCode);
        Assert.Equal(ExitCodes.NameConflict, removeUnknown.ExitCode);
    }
}
