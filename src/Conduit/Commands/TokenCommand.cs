using System.CommandLine;
using Conduit.Auth;

namespace Conduit.Commands;

/// <summary><c>conduit token create|list|revoke</c>: API tokens for scripts and DICOMweb peers.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var config = ConfigCommand.CreateConfigOption();
        var name = new Option<string>("--name") { Description = "A name for the token (who or what uses it).", Required = true, HelpName = "NAME" };
        var role = AuthStoreAccess.CreateRoleOption();

        var create = new Command("create",
            "Create a token and print it once on standard output (only its SHA-256 is kept). Send it as 'Authorization: Bearer TOKEN', " +
            "or as the password of HTTP Basic with any user name.")
        {
            name, role, config,
        };
        create.SetAction((parse, ct) => AuthStoreAccess.RunAsync(parse.GetValue(config), async store =>
        {
            var tokenName = parse.GetValue(name)!;
            if (!AuthStoreAccess.CheckName(tokenName)) return ExitCodes.Usage;
            var token = ApiTokens.Generate();
            if (!await store.AddTokenAsync(tokenName, parse.GetValue(role)!, ApiTokens.Hash(token), ct))
                return UserCommand.Refuse($"a token named '{tokenName}' exists already (revoke it first)");
            Console.WriteLine(token);
            Console.Error.WriteLine($"token '{tokenName}' ({parse.GetValue(role)}) created; it is shown only this once");
            return ExitCodes.Success;
        }, ct));

        var list = new Command("list", "List the tokens: name, role, when created and last used, and whether revoked (never the token).") { config };
        list.SetAction((parse, ct) => AuthStoreAccess.RunAsync(parse.GetValue(config), async store =>
        {
            var tokens = await store.ListTokensAsync(ct);
            Console.WriteLine($"{"NAME",-24} {"ROLE",-9} {"CREATED",-20} {"LAST USED",-20} STATE");
            foreach (var t in tokens)
            {
                var state = t.RevokedAt is { } revoked ? $"revoked {AuthStoreAccess.Time(revoked)}" : "active";
                Console.WriteLine($"{t.Name,-24} {t.Role,-9} {AuthStoreAccess.Time(t.CreatedAt),-20} {AuthStoreAccess.Time(t.LastUsedAt),-20} {state}");
            }
            return ExitCodes.Success;
        }, ct));

        var revokeName = AuthStoreAccess.CreateNameArgument("The token to revoke; it is refused from the next request on.");
        var revoke = new Command("revoke", "Revoke a token.") { revokeName, config };
        revoke.SetAction((parse, ct) => AuthStoreAccess.RunAsync(parse.GetValue(config), async store =>
        {
            var tokenName = parse.GetValue(revokeName)!;
            if (!await store.RevokeTokenAsync(tokenName, ct)) return UserCommand.Refuse($"there is no active token '{tokenName}'");
            Console.WriteLine($"revoked token {tokenName}");
            return ExitCodes.Success;
        }, ct));

        return new Command("token", "Manage API tokens (same --config and data directory as serve; works while it runs).") { create, list, revoke };
    }
}
