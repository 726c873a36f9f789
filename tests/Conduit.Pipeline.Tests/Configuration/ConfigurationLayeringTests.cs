using System.Collections;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Tests.Configuration;

public sealed class ConfigurationLayeringTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LoadedConfiguration Load(string? configFile = null, Hashtable? env = null) =>
        ConfigurationLoader.Load(configFile, env ?? [], _dir.Path);

    [Fact]
    public void With_no_file_and_no_environment_every_value_is_the_documented_default()
    {
        var loaded = Load();

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        var o = loaded.Options;
        Assert.Equal(11112, o.Receiver.Port);
        Assert.Equal("CONDUIT", o.Receiver.AeTitle);
        Assert.Equal("0.0.0.0", o.Receiver.Bind);
        Assert.True(o.Receiver.Fsync);
        Assert.Equal(["http://127.0.0.1:8080"], o.Http.Urls);
        Assert.Equal("./conduit-data", o.Storage.DataDirectory);
        Assert.Equal("./flows", o.Flows.Directory);
        Assert.Equal(DatabaseProvider.Sqlite, o.Database.Provider);
        Assert.Equal(QueueProvider.InProcess, o.Queue.Provider);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Grouping.QuietTime);
        Assert.Empty(loaded.Files);
        Assert.All(loaded.EffectiveValues(), v => Assert.Equal(ConfigSourceKind.Default, v.Source.Kind));
    }

    [Fact]
    public void The_default_database_is_a_sqlite_file_in_the_data_directory()
    {
        _dir.Write("conduit.yaml", "storage:\n  data_directory: /srv/conduit\n");

        var loaded = Load();

        var db = loaded.EffectiveValues().Single(v => v.Path == "database.connection_string");
        Assert.Equal("Data Source=/srv/conduit/conduit.db", db.Value);
        Assert.Contains("data_directory", db.Source.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Conduit_yaml_in_the_working_directory_is_read_and_each_value_remembers_its_line()
    {
        _dir.Write("conduit.yaml", "# comment\nreceiver:\n  port: 104\n  ae_title: ROUTER\n");

        var loaded = Load();

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.Equal(104, loaded.Options.Receiver.Port);
        var source = loaded.SourceOf("receiver.port");
        Assert.Equal(ConfigSourceKind.File, source.Kind);
        Assert.EndsWith("conduit.yaml", source.Location!.Value.File, StringComparison.Ordinal);
        Assert.Equal(3, source.Location.Value.Line);
        Assert.Equal(3, source.Location.Value.Column);
        Assert.Equal(4, loaded.SourceOf("receiver.ae_title").Location!.Value.Line);
        Assert.Equal(ConfigSourceKind.Default, loaded.SourceOf("receiver.bind").Kind);
    }

    [Fact]
    public void Conf_d_files_override_conduit_yaml_in_alphabetical_order()
    {
        _dir.Write("conduit.yaml", "receiver:\n  port: 104\n  max_associations: 8\n");
        _dir.Write("conf.d/20-late.yaml", "receiver:\n  port: 3000\n");
        _dir.Write("conf.d/10-early.yaml", "receiver:\n  port: 2000\n  ae_title: EARLY\n");
        _dir.Write("conf.d/README.txt", "receiver: not yaml, not read\n");

        var loaded = Load();

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.Equal(3000, loaded.Options.Receiver.Port);
        Assert.Equal("EARLY", loaded.Options.Receiver.AeTitle);
        Assert.Equal(8, loaded.Options.Receiver.MaxAssociations);
        Assert.EndsWith("20-late.yaml", loaded.SourceOf("receiver.port").Location!.Value.File, StringComparison.Ordinal);
        Assert.EndsWith("10-early.yaml", loaded.SourceOf("receiver.ae_title").Location!.Value.File, StringComparison.Ordinal);
        Assert.Equal(3, loaded.Files.Count);
    }

    [Fact]
    public void The_config_option_file_replaces_the_working_directory_one_and_its_conf_d_is_read()
    {
        _dir.Write("conduit.yaml", "receiver:\n  port: 104\n");
        var other = _dir.Write("etc/site.yaml", "receiver:\n  port: 105\n");
        _dir.Write("etc/conf.d/a.yaml", "workers:\n  concurrency: 7\n");

        var loaded = Load(other);

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.Equal(105, loaded.Options.Receiver.Port);
        Assert.Equal(7, loaded.Options.Workers.Concurrency);
    }

    [Fact]
    public void A_missing_config_option_file_is_an_error()
    {
        var loaded = Load(Path.Combine(_dir.Path, "nope.yaml"));

        var error = Assert.Single(loaded.Errors);
        Assert.Contains("nope.yaml", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_variables_override_every_file_case_insensitively_and_name_themselves_as_the_source()
    {
        _dir.Write("conduit.yaml", "receiver:\n  port: 104\n");
        _dir.Write("conf.d/x.yaml", "logging:\n  level: debug\n");

        var loaded = Load(env: new Hashtable
        {
            ["CONDUIT__RECEIVER__PORT"] = "4242",
            ["conduit__logging__level"] = "warning",
            ["CONDUIT__RECEIVER__ALLOWED_CALLERS"] = "CT1, MR2",
            ["CONDUIT__GROUPING__MODALITY_QUIET_TIME__MR"] = "45s",
            ["CONDUIT_SAMPLES"] = "/not/ours", // one underscore: not a configuration variable
            ["PATH"] = "/usr/bin",
        });

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.Equal(4242, loaded.Options.Receiver.Port);
        Assert.Equal(LogLevel.Warning, loaded.Options.Logging.Level);
        Assert.Equal(["CT1", "MR2"], loaded.Options.Receiver.AllowedCallers);
        Assert.Equal(TimeSpan.FromSeconds(45), loaded.Options.Grouping.QuietTimeFor("MR"));
        Assert.Equal(TimeSpan.FromSeconds(10), loaded.Options.Grouping.QuietTimeFor("CT"));
        Assert.Equal("env CONDUIT__RECEIVER__PORT", loaded.SourceOf("receiver.port").ToString());
        Assert.Equal("env CONDUIT__GROUPING__MODALITY_QUIET_TIME__MR", loaded.SourceOf("grouping.modality_quiet_time.MR").ToString());
    }

    [Fact]
    public void Map_entries_merge_across_layers_and_lists_are_replaced()
    {
        _dir.Write("conduit.yaml", "grouping:\n  modality_quiet_time:\n    MR: 30s\n    CT: 5s\nreceiver:\n  allowed_callers: [A, B]\n");
        _dir.Write("conf.d/x.yaml", "grouping:\n  modality_quiet_time:\n    CT: 8s\nreceiver:\n  allowed_callers: C\n");

        var loaded = Load();

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.Equal(TimeSpan.FromSeconds(30), loaded.Options.Grouping.ModalityQuietTime["MR"]);
        Assert.Equal(TimeSpan.FromSeconds(8), loaded.Options.Grouping.ModalityQuietTime["CT"]);
        Assert.Equal(["C"], loaded.Options.Receiver.AllowedCallers);
        Assert.Equal(3, loaded.SourceOf("grouping.modality_quiet_time.MR").Location!.Value.Line);
        Assert.EndsWith("x.yaml", loaded.SourceOf("grouping.modality_quiet_time.CT").Location!.Value.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_value_type_reads_from_yaml()
    {
        _dir.Write("conduit.yaml", """
            receiver:
              bind: 127.0.0.1
              fsync: no
              uncompressed_only: yes
              idle_timeout: 1m30s
            http:
              urls:
                - http://0.0.0.0:8080
                - https://conduit.example.org:8443
              certificate: /etc/conduit/tls/fullchain.pem
              trusted_proxies: [10.0.0.5, 10.0.0.0/8, "fd00::/8"]
            storage:
              disk_usage_watermark: 85%
            database:
              provider: postgres
              connection_string: Host=db;Database=conduit;Username=c;Password=secret
            queue:
              provider: rabbitmq
              connection_string: amqp://c:pw@rabbit:5672/
            retention:
              succeeded_jobs: 7d
            destinations:
              calling_ae_title: ROUTER
            """);

        var loaded = Load();

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        var o = loaded.Options;
        Assert.False(o.Receiver.Fsync);
        Assert.True(o.Receiver.UncompressedOnly);
        Assert.Equal(TimeSpan.FromSeconds(90), o.Receiver.IdleTimeout);
        Assert.Equal(2, o.Http.Urls.Count);
        Assert.Equal(("/etc/conduit/tls/fullchain.pem", null), (o.Http.Certificate, o.Http.CertificateKey));
        Assert.Equal(["10.0.0.5", "10.0.0.0/8", "fd00::/8"], o.Http.TrustedProxies);
        Assert.Equal(85, o.Storage.DiskUsageWatermarkPercent);
        Assert.Equal(DatabaseProvider.Postgres, o.Database.Provider);
        Assert.Equal(QueueProvider.RabbitMq, o.Queue.Provider);
        Assert.Equal(TimeSpan.FromDays(7), o.Retention.SucceededJobs);
        Assert.Equal("ROUTER", o.Destinations.CallingAeTitle);
        // Passwords never reach config show.
        var shown = loaded.EffectiveValues().ToDictionary(v => v.Path, v => v.Value);
        Assert.DoesNotContain("secret", shown["database.connection_string"], StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", shown["queue.connection_string"], StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_and_an_empty_section_change_nothing()
    {
        _dir.Write("conduit.yaml", "# nothing yet\n");
        _dir.Write("conf.d/a.yaml", "receiver:\n");

        var loaded = Load();

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.Equal(11112, loaded.Options.Receiver.Port);
    }
}
