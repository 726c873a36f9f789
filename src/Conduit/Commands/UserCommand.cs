using System.CommandLine;
using Conduit.Auth;

namespace Conduit.Commands;

/// <summary><c>conduit user add|list|remove|passwd</c>: the people who sign in to the HTTP side.</summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var config = ConfigCommand.CreateConfigOption();
        var name = AuthStoreAccess.CreateNameArgument("The user name (letters, digits, '.', '_', '-', '@').");
        var role = AuthStoreAccess.CreateRoleOption();
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of a prompt." };

        var add = new Command("add", "Add a user; the password is asked twice (no echo) or read with --password-stdin.") { name, role, passwordStdin, config };
        add.SetAction((parse, ct) => AuthStoreAccess.RunAsync(parse.GetValue(config), async store =>
        {
            var userName = parse.GetValue(name)!;
            if (!AuthStoreAccess.CheckName(userName)) return ExitCodes.Usage;
            if (await store.FindUserAsync(userName, ct) is not null) return Refuse($"user '{userName}' exists already");
            if (PasswordInput.Read(parse.GetValue(passwordStdin)) is not { } password) return ExitCodes.Usage;
            if (!await store.AddUserAsync(userName, parse.GetValue(role)!, PasswordHasher.Hash(password), ct)) return Refuse($"user '{userName}' exists already");
            Console.WriteLine($"added user {userName} ({parse.GetValue(role)})");
            return ExitCodes.Success;
        }, ct));

        var list = new Command("list", "List the users: name, role, when created and when the password last changed.") { config };
        list.SetAction((parse, ct) => AuthStoreAccess.RunAsync(parse.GetValue(config), async store =>
        {
            var users = await store.ListUsersAsync(ct);
            Console.WriteLine($"{"NAME",-24} {"ROLE",-9} {"CREATED",-20} PASSWORD CHANGED");
            foreach (var u in users)
                Console.WriteLine($"{u.Name,-24} {u.Role,-9} {AuthStoreAccess.Time(u.CreatedAt),-20} {AuthStoreAccess.Time(u.PasswordChangedAt)}");
            return ExitCodes.Success;
        }, ct));

        var removeName = AuthStoreAccess.CreateNameArgument("The user to remove; their sessions end with their next request.");
        var remove = new Command("remove", "Remove a user.") { removeName, config };
        remove.SetAction((parse, ct) => AuthStoreAccess.RunAsync(parse.GetValue(config), async store =>
        {
            var userName = parse.GetValue(removeName)!;
            if (!await store.RemoveUserAsync(userName, ct)) return Refuse($"there is no user '{userName}'");
            Console.WriteLine($"removed user {userName}");
            return ExitCodes.Success;
        }, ct));

        var passwdName = AuthStoreAccess.CreateNameArgument("The user whose password changes; their open sessions end.");
        var passwd = new Command("passwd", "Set a user's password (asked twice, or read with --password-stdin).") { passwdName, passwordStdin, config };
        passwd.SetAction((parse, ct) => AuthStoreAccess.RunAsync(parse.GetValue(config), async store =>
        {
            var userName = parse.GetValue(passwdName)!;
            if (await store.FindUserAsync(userName, ct) is null) return Refuse($"there is no user '{userName}'");
            if (PasswordInput.Read(parse.GetValue(passwordStdin)) is not { } password) return ExitCodes.Usage;
            if (!await store.SetPasswordAsync(userName, PasswordHasher.Hash(password), ct)) return Refuse($"there is no user '{userName}'");
            Console.WriteLine($"password of {userName} changed");
            return ExitCodes.Success;
        }, ct));

        return new Command("user", "Manage the users who sign in to the dashboard and API (same --config and data directory as serve; works while it runs).")
        {
            add, list, remove, passwd,
        };
    }

    internal static int Refuse(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.NameConflict;
    }
}
