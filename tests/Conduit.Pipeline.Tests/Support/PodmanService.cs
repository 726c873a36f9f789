using System.Diagnostics;
using System.Formats.Tar;
using Conduit.Pipeline.Steps.Containers;

namespace Conduit.Pipeline.Tests.Support;

/// <summary>
/// A real container engine for the container step tests: <c>podman system service</c> on a private unix socket,
/// configured for this machine's hybrid cgroups (runc, cgroupfs), and a local busybox image built offline from
/// Debian's busybox-static. Nothing is mocked. When podman or busybox-static is missing, or the service does not come
/// up, the fixture throws, so every container test fails loudly instead of being skipped.
/// </summary>
public sealed class PodmanService : IAsyncLifetime
{
    public const string BusyboxImage = "localhost/busybox:latest";

    /// <summary>The applets linked into the image, beside /bin/busybox.</summary>
    private static readonly string[] Applets =
        ["sh", "cp", "cat", "echo", "sleep", "ls", "mkdir", "touch", "rm", "id", "env", "test", "true", "false", "printf", "wc", "ip"];

    private const string ContainersConf = """
        [containers]
        default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
        [engine]
        runtime = "runc"
        cgroup_manager = "cgroupfs"
        """;

    private readonly TempDirectory _directory = new();
    private Process? _service;

    public string SocketPath => _directory.Combine("podman.sock");

    public string ConfigPath => _directory.Combine("containers.conf");

    public DockerEngineClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(ConfigPath, ContainersConf);
        RequireTool("podman", "install the Debian packages podman and runc (test.sh does)");
        RequireStaticBusybox();
        _service = Process.Start(Podman("system", "service", "--time=0", "unix://" + SocketPath))
            ?? throw new InvalidOperationException("podman system service did not start.");
        Client = new DockerEngineClient(new DockerEngineOptions { SocketPath = SocketPath });
        await WaitForServiceAsync();
        if ((await RunPodmanAsync("image", "exists", BusyboxImage)).ExitCode != 0)
        {
            await ImportBusyboxAsync();
        }
    }

    /// <summary>Runs the podman CLI against the same storage and configuration as the service.</summary>
    public async Task<(int ExitCode, string Output)> RunPodmanAsync(params string[] arguments)
    {
        var start = Podman(arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await error);
    }

    private ProcessStartInfo Podman(params string[] arguments)
    {
        var start = new ProcessStartInfo("podman") { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["CONTAINERS_CONF"] = ConfigPath;
        return start;
    }

    private async Task WaitForServiceAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_service!.HasExited)
            {
                throw new InvalidOperationException($"podman system service exited with code {_service.ExitCode}.");
            }
            if (File.Exists(SocketPath))
            {
                try
                {
                    if (await Client.PingAsync(CancellationToken.None))
                    {
                        return;
                    }
                }
                catch (DockerEngineException e)
                {
                    last = e;
                }
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"podman system service did not answer on {SocketPath} within 60 s.", last);
    }

    /// <summary>A rootfs holding the static busybox and its applet links, imported as <see cref="BusyboxImage"/>.</summary>
    private async Task ImportBusyboxAsync()
    {
        var tar = _directory.Combine("rootfs.tar");
        await using (var stream = File.Create(tar))
        await using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            foreach (var folder in new[] { "bin/", "tmp/", "input/", "output/" })
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, folder) { Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
            }
            await writer.WriteEntryAsync("/bin/busybox", "bin/busybox");
            foreach (var applet in Applets)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
            }
        }
        var (exitCode, output) = await RunPodmanAsync("import", tar, BusyboxImage);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"podman import of the busybox rootfs failed ({exitCode}): {output}");
        }
    }

    private static void RequireTool(string name, string hint)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, name)));
        if (!found)
        {
            throw new InvalidOperationException($"'{name}' is not on PATH: {hint}.");
        }
    }

    private static void RequireStaticBusybox()
    {
        // Debian's busybox (dynamic) and busybox-static both install /bin/busybox; only the static one runs in an
        // image without a libc. A static ELF has no PT_INTERP program header.
        if (!File.Exists("/bin/busybox") || HasInterpreter("/bin/busybox"))
        {
            throw new InvalidOperationException("/bin/busybox is missing or dynamically linked: install the Debian package busybox-static (test.sh does).");
        }
    }

    private static bool HasInterpreter(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        stream.Position = 0x20;
        var programHeaders = reader.ReadInt64();
        stream.Position = 0x36;
        var entrySize = reader.ReadUInt16();
        var count = reader.ReadUInt16();
        for (var i = 0; i < count; i++)
        {
            stream.Position = programHeaders + (i * entrySize);
            if (reader.ReadUInt32() == 3) // PT_INTERP
            {
                return true;
            }
        }
        return false;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        _service?.Dispose();
        _directory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PodmanCollection : ICollectionFixture<PodmanService>
{
    public const string Name = "podman";
}
