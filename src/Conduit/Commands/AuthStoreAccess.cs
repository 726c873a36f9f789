using System.CommandLine;
using Conduit.Auth;
using Conduit.Hosting;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Store;

namespace Conduit.Commands;

/// <summary>
/// What <c>conduit user</c> and <c>conduit token</c> share: the store of the installation <c>conduit serve</c> would use
/// (same <c>--config</c>, data directory and database), opened beside a running serve (SQLite WAL, or PostgreSQL), and the options.
/// </summary>
internal static class AuthStoreAccess
{
    public static Option<string> CreateRoleOption() => new Option<string>("--role")
    {
        Description = "viewer (reads everything) or operator (also retries jobs, uploads, STOW-RS).",
        Required = true,
        HelpName = "ROLE",
    }.AcceptOnlyFromAmong(ConduitRoles.All);

    public static Argument<string> CreateNameArgument(string description) => new("NAME") { Description = description };

    /// <summary>Runs <paramref name="work"/> with the store; prints configuration problems and returns their exit code.</summary>
    public static async Task<int> RunAsync(FileInfo? config, Func<SqlAuthStore, Task<int>> work, CancellationToken cancellationToken)
    {
        var loaded = ConfigCommand.LoadOrReport(config);
        if (loaded is null) return ExitCodes.InvalidConfiguration;
        var options = loaded.Options;
        var dataDirectory = Path.GetFullPath(options.Storage.DataDirectory);
        StoreDatabase database;
        try
        {
            database = await StoreDatabases.OpenAsync(options, dataDirectory, null, cancellationToken);
        }
        catch (ServeException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.NetworkFailure;
        }
        await using var opened = database;
        return await work(new SqlAuthStore(database));
    }

    public static bool CheckName(string name)
    {
        if (UserNames.Problem(name) is not { } problem) return true;
        Console.Error.WriteLine($"error: {problem}");
        return false;
    }

    public static string Time(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
