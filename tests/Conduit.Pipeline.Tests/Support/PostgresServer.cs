using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Conduit.Pipeline.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL cluster for the tests (Debian package <c>postgresql</c>; test.sh installs it): initdb into
/// a temp folder, <c>pg_ctl start</c> on 127.0.0.1 and a free port with its socket in the same folder, one database.
/// PostgreSQL refuses to run as root, so as root the server runs as the <c>postgres</c> user (<c>runuser</c>).
/// One cluster serves the whole test run (<see cref="Shared"/>); each test takes a schema of its own
/// (<see cref="CreateSchemaAsync"/>), so tests stay independent and run in parallel. Stopped and deleted on Dispose,
/// which the process exit calls. Without PostgreSQL installed the fixture throws: those tests fail, never skip.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string DatabaseName = "conduit_tests";
    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(() => Task.Run(StartShared));

    private readonly string _root;
    private readonly string _bin;
    private readonly bool _asPostgresUser;
    private bool _disposed;

    private PostgresServer(string root, string bin, bool asPostgresUser, int port)
    {
        _root = root;
        _bin = bin;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The test database, as the superuser <c>postgres</c> (trust authentication on loopback).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database={DatabaseName};Username=postgres;Pooling=true";

    /// <summary>The cluster of this test run, started on first use.</summary>
    public static Task<PostgresServer> Shared => SharedServer.Value;

    private static async Task<PostgresServer> StartShared()
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin();
        var asPostgresUser = Environment.UserName == "root";
        var root = Path.Combine(Path.GetTempPath(), "conduit-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new PostgresServer(root, bin, asPostgresUser, FreePort());
        try
        {
            if (asPostgresUser)
            {
                server.Run("/usr/bin/chown", "postgres:postgres", root);
            }
            // fsync off: a test cluster need not survive a power cut, and initdb and commits get much faster.
            server.RunAsServerUser("initdb", "-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync");
            server.RunAsServerUser("pg_ctl", "-D", server.DataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                "-o", $"-c listen_addresses=127.0.0.1 -p {server.Port} -k {root} -c fsync=off -c full_page_writes=off -c max_connections=300",
                "start");
            server.WatchOwner();
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={server.Port};Database=postgres;Username=postgres;Pooling=false");
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName};", connection);
            await create.ExecuteNonQueryAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>
    /// A new empty schema; the connection string puts it first on the search path, so every table goes there, and names
    /// it as the connections' application name.
    /// </summary>
    public async Task<string> CreateSchemaAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema};", connection);
        await create.ExecuteNonQueryAsync();
        // The application name tells this schema's connections apart in pg_stat_activity (a test may cut them).
        return ConnectionString + $";Search Path={schema};Application Name={schema}";
    }

    private static string FindBin()
    {
        const string Versions = "/usr/lib/postgresql";
        var bin = Directory.Exists(Versions)
            ? Directory.GetDirectories(Versions)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version).Select(d => Path.Combine(d.Dir, "bin")).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed (no {Versions}/<version>/bin/initdb): apt-get install postgresql (test.sh does).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void RunAsServerUser(string tool, params string[] arguments)
    {
        var program = Path.Combine(_bin, tool);
        if (_asPostgresUser)
        {
            Run("/usr/sbin/runuser", ["-u", "postgres", "--", program, .. arguments]);
        }
        else
        {
            Run(program, arguments);
        }
    }

    private void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Our temp folder, not the test's: postgres cannot read every working directory.
            WorkingDirectory = _root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish in 90 s.");
        }
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_root, "server.log");
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: "
                + $"{output.Result}{error.Result}{(File.Exists(log) ? File.ReadAllText(log) : "")}");
        }
    }

    /// <summary>
    /// Stops the server (immediate: nothing to keep) and deletes its folder. Both run in a detached shell: the test
    /// host may end a moment after the run, and the stop and the 80 MB delete must finish without it.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        NpgsqlConnection.ClearAllPools();
        Detached(StopAndRemove());
    }

    /// <summary>
    /// A detached watchdog stops and deletes the cluster once this test process is gone, however it ended: a test
    /// host killed before its exit handlers run (a hang timeout, a crash) leaves no server behind.
    /// </summary>
    private void WatchOwner() =>
        Detached($"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; {StopAndRemove()}");

    private string StopAndRemove()
    {
        var stop = $"{(_asPostgresUser ? "/usr/sbin/runuser -u postgres -- " : "")}{Path.Combine(_bin, "pg_ctl")} -D {DataDirectory} -m immediate -w stop";
        return $"[ -f {DataDirectory}/postmaster.pid ] && {stop} >/dev/null 2>&1; rm -rf {_root}";
    }

    private static void Detached(string script)
    {
        // Its own output goes nowhere: it must not hold the test host's pipes open after the host ended.
        using var shell = Process.Start("/usr/bin/setsid", ["-f", "/bin/sh", "-c", "exec </dev/null >/dev/null 2>&1; " + script]);
        shell.WaitForExit();
    }
}
