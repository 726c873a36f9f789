using System.Diagnostics;

namespace Conduit.Tests.Cli;

/// <summary>What one run of the built <c>conduit</c> executable printed and returned.</summary>
internal sealed record ConduitRun(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs <c>dotnet conduit.dll</c> from beside the test assembly, where the project reference puts it.</summary>
internal static class ConduitProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string AssemblyPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "conduit.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"conduit.dll is not beside the tests in {AppContext.BaseDirectory}");
        }
    }

    public static Task<ConduitRun> RunAsync(params string[] args) => RunInAsync(null, null, args);

    /// <summary>Runs conduit in <paramref name="workingDirectory"/> (null: the test's), with extra environment variables.</summary>
    public static async Task<ConduitRun> RunInAsync(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // A wide, non-interactive terminal keeps help text on one line per option.
        start.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"conduit {string.Join(' ', args)} did not finish within {Timeout}");
        }
        return new ConduitRun(process.ExitCode, await stdout, await stderr);
    }
}
