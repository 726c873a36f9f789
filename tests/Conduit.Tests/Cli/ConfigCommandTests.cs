namespace Conduit.Tests.Cli;

/// <summary>`conduit config show` end to end: the built executable in a scratch working directory.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-config-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string LineOf(string stdout, string key) =>
        stdout.Split('\n').SingleOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"config show printed no line for {key}:\n{stdout}");

    [Fact]
    public async Task Config_show_prints_every_value_with_its_source_from_defaults_files_and_environment()
    {
        Write("conduit.yaml", "receiver:\n  ae_title: ROUTER\n");
        Write("conf.d/10-site.yaml", "grouping:\n  quiet_time: 20s\n");

        var run = await ConduitProcess.RunInAsync(_dir, new Dictionary<string, string> { ["CONDUIT__RECEIVER__PORT"] = "4104" }, "config", "show");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches(@"^receiver\.ae_title\s+ROUTER\s+# conduit\.yaml:2:3\s*$", LineOf(run.Stdout, "receiver.ae_title"));
        Assert.Matches(@"^grouping\.quiet_time\s+20s\s+# conf\.d/10-site\.yaml:2:3\s*$", LineOf(run.Stdout, "grouping.quiet_time"));
        Assert.Matches(@"^receiver\.port\s+4104\s+# env CONDUIT__RECEIVER__PORT\s*$", LineOf(run.Stdout, "receiver.port"));
        Assert.Matches(@"^http\.urls\s+\[http://127\.0\.0\.1:8080\]\s+# default\s*$", LineOf(run.Stdout, "http.urls"));
        Assert.Contains("# files: conduit.yaml, conf.d/10-site.yaml", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_show_reads_the_file_named_by_the_config_option()
    {
        var file = Write("etc/site.yaml", "workers:\n  concurrency: 9\n");

        var run = await ConduitProcess.RunInAsync(_dir, null, "config", "show", "--config", file);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches(@"^workers\.concurrency\s+9\s+# etc/site\.yaml:2:3\s*$", LineOf(run.Stdout, "workers.concurrency"));
    }

    [Fact]
    public async Task An_invalid_configuration_exits_non_zero_with_each_error_as_file_line_column()
    {
        Write("conduit.yaml", "receiver:\n  port: 70000\n");
        Write("conf.d/10-x.yaml", "# typo below\nrecever:\n  port: 104\n");

        var run = await ConduitProcess.RunInAsync(_dir, null, "config", "show");

        Assert.Equal(5, run.ExitCode); // ExitCodes.InvalidConfiguration
        Assert.Contains("conduit.yaml:2:3: receiver.port: 70000 is not a port (1-65535)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("conf.d/10-x.yaml:2:1: unknown key 'recever' (did you mean 'receiver'?)", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Serve_does_not_start_with_an_invalid_configuration_and_names_the_file_and_line()
    {
        Write("conduit.yaml", "receiver:\n  port: 104\nworkers:\n  concurency: 4\n");

        var run = await ConduitProcess.RunInAsync(_dir, null, "serve");

        Assert.Equal(5, run.ExitCode); // ExitCodes.InvalidConfiguration, before anything listens
        Assert.Contains("conduit.yaml:4:3: unknown key 'workers.concurency' (did you mean 'concurrency'?)", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "conduit-data")), "serve created its data directory before refusing the configuration");
    }

    [Fact]
    public async Task Config_show_help_describes_the_config_option()
    {
        var run = await ConduitProcess.RunAsync("config", "show", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"--config <FILE>\s+Configuration file", run.Stdout);
    }
}
