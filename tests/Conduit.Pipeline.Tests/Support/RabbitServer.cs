using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Conduit.Pipeline.Tests.Support;

/// <summary>
/// A private RabbitMQ broker for the tests (Debian package <c>rabbitmq-server</c>; test.sh installs it): the server
/// script run directly with its node name, ports, database, logs and configuration in a temp folder, every listener on
/// 127.0.0.1. Erlang's port mapper (epmd) is started first, in the foreground on a free port of its own, so the broker
/// does not spawn a shared daemon that outlives the test run. One broker serves a test collection
/// (<see cref="RabbitFixture"/>); tests take a queue name of their own. Dispose kills the Erlang VM's process tree and
/// the epmd. Without RabbitMQ installed the fixture throws: those tests fail, never skip.
/// </summary>
public sealed class RabbitServer : IDisposable
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly List<Process> _processes = [];
    private bool _disposed;

    private const string CtlScript = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private string _nodeName = "";
    private int _epmdPort;

    private RabbitServer(string root, int port)
    {
        _root = root;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The default virtual host as the built-in guest user (allowed from loopback only, which is where it is).</summary>
    public Uri Uri => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    /// <summary>The broker's console output and log, for assertion messages.</summary>
    public string Log => string.Join("\n", Directory.EnumerateFiles(_root, "*.log", SearchOption.AllDirectories).Select(File.ReadAllText));

    public static async Task<RabbitServer> StartAsync()
    {
        if (!File.Exists(ServerScript))
            throw new InvalidOperationException($"RabbitMQ is not installed (no {ServerScript}): apt-get install rabbitmq-server (test.sh does).");
        var root = Path.Combine(Path.GetTempPath(), "conduit-rabbit-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new RabbitServer(root, FreePort());
        try
        {
            var epmdPort = FreePort();
            File.WriteAllText(Path.Combine(root, "rabbitmq.conf"), $"""
                listeners.tcp.1 = 127.0.0.1:{server.Port}
                log.console = false
                log.file.level = warning
                """);
            File.WriteAllText(Path.Combine(root, "enabled_plugins"), "[].\n");
            server._epmdPort = epmdPort;
            var epmd = FindEpmd();
            server.Start(epmd, ["-port", epmdPort.ToString(), "-address", "127.0.0.1"], []);
            await WaitForPortAsync(epmdPort, null);
            var name = "conduit-test-" + Guid.NewGuid().ToString("N")[..8];
            server._nodeName = $"{name}@localhost";
            server.Start(ServerScript, [], new Dictionary<string, string>
            {
                ["HOME"] = root, // the Erlang cookie is written here
                ["RABBITMQ_NODENAME"] = $"{name}@localhost",
                ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
                ["RABBITMQ_NODE_PORT"] = server.Port.ToString(),
                ["RABBITMQ_DIST_PORT"] = FreePort().ToString(),
                ["ERL_EPMD_PORT"] = epmdPort.ToString(),
                ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
                // The node's distribution listener on loopback too (it binds every interface otherwise).
                ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
                ["RABBITMQ_MNESIA_BASE"] = Path.Combine(root, "mnesia"),
                ["RABBITMQ_LOG_BASE"] = Path.Combine(root, "log"),
                ["RABBITMQ_CONFIG_FILE"] = Path.Combine(root, "rabbitmq.conf"),
                ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(root, "enabled_plugins"),
                ["RABBITMQ_PLUGINS_EXPAND_DIR"] = Path.Combine(root, "plugins-expand"),
            });
            await WaitForPortAsync(server.Port, server._processes[^1]);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <c>rabbitmqctl</c> against this broker (its node name, its epmd, the Erlang cookie in its HOME), e.g. to set
    /// a policy; throws with the tool's output when it fails.
    /// </summary>
    public async Task CtlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(CtlScript)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        foreach (var argument in (string[])["-n", _nodeName, .. arguments]) start.ArgumentList.Add(argument);
        start.Environment["HOME"] = _root;
        start.Environment["ERL_EPMD_PORT"] = _epmdPort.ToString();
        start.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} did not finish within {StartTimeout.TotalSeconds} s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
    }

    private static string FindEpmd() =>
        Directory.Exists("/usr/lib/erlang")
            ? Directory.EnumerateFiles("/usr/lib/erlang", "epmd", SearchOption.AllDirectories).FirstOrDefault(f => f.Contains("/erts-", StringComparison.Ordinal))
              ?? throw new InvalidOperationException("Erlang's epmd was not found under /usr/lib/erlang.")
            : throw new InvalidOperationException("Erlang is not installed (no /usr/lib/erlang): apt-get install rabbitmq-server (test.sh does).");

    private void Start(string program, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = Path.Combine(_root, Path.GetFileName(program) + ".console.log");
        _ = process.StandardOutput.BaseStream.CopyToAsync(File.Create(output));
        _ = process.StandardError.BaseStream.CopyToAsync(File.Create(output + ".err"));
        _processes.Add(process);
    }

    private static async Task WaitForPortAsync(int port, Process? process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process is { HasExited: true })
                throw new InvalidOperationException($"rabbitmq-server exited with code {process.ExitCode} before it listened.");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"nothing listened on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // The broker first (the script, the Erlang VM and its helpers form one tree), then its epmd.
        foreach (var process in Enumerable.Reverse(_processes))
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder is cleaned up with the machine.
        }
    }
}
