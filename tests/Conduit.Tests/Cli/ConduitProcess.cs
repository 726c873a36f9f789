using Conduit.Tests.Support;

namespace Conduit.Tests.Cli;

/// <summary>What one run of the built <c>conduit</c> executable printed and returned.</summary>
internal sealed record ConduitRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs <c>dotnet conduit.dll</c> from beside the test assembly, where the project reference puts it. Long-running
/// verbs (<c>conduit receive</c>) are started by <see cref="ReceiverProcess"/>.
/// </summary>
internal static class ConduitProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    // A wide, non-interactive terminal keeps help text on one line per option.
    private static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string> { ["COLUMNS"] = "200" };

    public static string AssemblyPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "conduit.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"conduit.dll is not beside the tests in {AppContext.BaseDirectory}");
        }
    }

    public static Task<ConduitRun> RunAsync(params string[] args) => RunAsync(args, DefaultTimeout);

    /// <summary>Runs <c>conduit ARGS</c> to completion; the process is killed and a TimeoutException thrown after <paramref name="timeout"/>.</summary>
    public static async Task<ConduitRun> RunAsync(IEnumerable<string> args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var run = await ProcessRunner.RunAsync("dotnet", [AssemblyPath, .. args], timeout, Environment, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ConduitRun(run.ExitCode, run.Stdout, run.Stderr);
    }

    /// <summary>Runs <c>conduit ARGS</c> in <paramref name="workingDirectory"/> (null: the test's) with extra environment variables.</summary>
    public static async Task<ConduitRun> RunInAsync(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var merged = new Dictionary<string, string>(Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) merged[name] = value;
        var run = await ProcessRunner.RunAsync("dotnet", [AssemblyPath, .. args], DefaultTimeout, merged, workingDirectory).ConfigureAwait(false);
        return new ConduitRun(run.ExitCode, run.Stdout, run.Stderr);
    }
}
