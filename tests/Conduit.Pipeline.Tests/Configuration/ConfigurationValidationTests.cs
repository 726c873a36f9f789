using System.Collections;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Configuration;

/// <summary>Each kind of mistake stops start-up with the file, the line, the column and what is allowed.</summary>
public sealed class ConfigurationValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SingleError(string yaml, string file = "conduit.yaml")
    {
        _dir.Write(file, yaml);
        var loaded = ConfigurationLoader.Load(null, new Hashtable(), _dir.Path);
        Assert.False(loaded.IsValid);
        var error = Assert.Single(loaded.Errors);
        // Paths shown are relative to the process's working directory or absolute; compare from the file name on.
        var text = error.ToString();
        return text[text.IndexOf(file, StringComparison.Ordinal)..];
    }

    [Theory]
    [InlineData("receiver:\n  port: 70000\n", "conduit.yaml:2:3: receiver.port: 70000 is not a port (1-65535)")]
    [InlineData("receiver:\n  port: abc\n", "conduit.yaml:2:3: receiver.port: 'abc' is not a port (1-65535)")]
    [InlineData("receiver:\n  port:\n", "conduit.yaml:2:3: receiver.port: a value is required: a port (1-65535)")]
    [InlineData("receiver:\n  ae_title: THIS_TITLE_IS_TOO_LONG\n", "conduit.yaml:2:3: receiver.ae_title: 'THIS_TITLE_IS_TOO_LONG' is not an AE title (1-16 printable ASCII characters, no backslash)")]
    [InlineData("receiver:\n  bind: localhost\n", "conduit.yaml:2:3: receiver.bind: 'localhost' is not an IP address (e.g. 0.0.0.0, 127.0.0.1, ::)")]
    [InlineData("receiver:\n  fsync: maybe\n", "conduit.yaml:2:3: receiver.fsync: 'maybe' is not true or false")]
    [InlineData("receiver:\n  idle_timeout: 10 minutes\n", "conduit.yaml:2:3: receiver.idle_timeout: '10 minutes' is not a duration from 1s to 1d (e.g. 30s, 10m, 1h)")]
    [InlineData("receiver:\n  allowed_callers:\n    - GOOD\n    - 'BAD\\TITLE'\n", "conduit.yaml:4:7: receiver.allowed_callers[1]: 'BAD\\TITLE' contains a backslash, which an AE title may not (PS3.5 §6.2)")]
    [InlineData("receiver:\n  port: [1, 2]\n", "conduit.yaml:2:9: receiver.port: expected a single value, found a list")]
    [InlineData("http:\n  urls: ftp://x\n", "conduit.yaml:2:9: http.urls[0]: 'ftp://x' is not an absolute http:// or https:// URL")]
    [InlineData("http:\n  trusted_proxies: [10.0.0.5, proxy.local]\n", "conduit.yaml:2:31: http.trusted_proxies[1]: 'proxy.local' is not an IP address or a network (e.g. 10.0.0.5, 10.0.0.0/8)")]
    [InlineData("http:\n  urls: [https://0.0.0.0:8443]\n", "conduit.yaml:2:3: http.certificate: required for an https:// URL in http.urls (a PEM certificate file)")]
    [InlineData("http:\n  certificate: cert.pem\n", "conduit.yaml:2:3: http.certificate: is set, but no URL in http.urls is https:// (nothing would serve it)")]
    [InlineData("http:\n  certificate_key: key.pem\n", "conduit.yaml:2:3: http.certificate_key: is set without http.certificate")]
    [InlineData("storage:\n  disk_usage_watermark: 101\n", "conduit.yaml:2:3: storage.disk_usage_watermark: 101 is not a percentage from 1 to 100")]
    [InlineData("database:\n  provider: oracle\n", "conduit.yaml:2:3: database.provider: 'oracle' is not sqlite or postgres")]
    [InlineData("queue:\n  provider: kafka\n", "conduit.yaml:2:3: queue.provider: 'kafka' is not inprocess or rabbitmq")]
    [InlineData("node:\n  id: ct/router 2\n", "conduit.yaml:2:3: node.id: 'ct/router 2' is not 1-64 letters, digits, '.', '_' or '-'")]
    [InlineData("node:\n  heartbeat_interval: 20s\n  lapse: 40s\n", "conduit.yaml:2:3: node.lapse: must be at least three times node.heartbeat_interval")]
    [InlineData("node:\n  heartbeat_interval: 1m\n", "conduit.yaml:2:3: node.lapse: must be at least three times node.heartbeat_interval")]
    [InlineData("node:\n  lapse: 1s\n", "conduit.yaml:2:3: node.lapse: '1s' is not a duration from 3s to 1d (e.g. 30s, 10m, 1h)")]
    [InlineData("queue:\n  republish_interval: 0s\n", "conduit.yaml:2:3: queue.republish_interval: '0s' is not a duration from 1s to 1d (e.g. 30s, 10m, 1h)")]
    [InlineData("workers:\n  concurrency: 0\n", "conduit.yaml:2:3: workers.concurrency: 0 is not a number from 1 to 256")]
    [InlineData("grouping:\n  modality_quiet_time:\n    mr: 30s\n", "conduit.yaml:3:5: grouping.modality_quiet_time.mr: 'mr' is not a Modality value (upper-case code string of at most 16 characters, e.g. CT, MR)")]
    [InlineData("grouping:\n  modality_quiet_time: 30s\n", "conduit.yaml:2:3: grouping.modality_quiet_time: expected a map of durations from 1s to 1d (e.g. 30s, 10m, 1h)")]
    [InlineData("logging:\n  level: loud\n", "conduit.yaml:2:3: logging.level: 'loud' is not trace, debug, information, warning, error, critical or none")]
    [InlineData("database:\n  provider: postgres\n", "conduit.yaml:2:3: database.connection_string: required when database.provider is postgres (e.g. Host=db;Database=conduit;Username=conduit;Password=...)")]
    [InlineData("queue:\n  provider: rabbitmq\n  connection_string: http://rabbit\ndatabase:\n  provider: postgres\n  connection_string: Host=db\n", "conduit.yaml:3:3: queue.connection_string: is not an amqp:// or amqps:// URI")]
    [InlineData("queue:\n  provider: rabbitmq\n  connection_string: amqp://rabbit/\n", "conduit.yaml:2:3: queue.provider: rabbitmq needs database.provider postgres (every node must share the database that holds the jobs' state); with SQLite, one node, use queue.provider inprocess")]
    [InlineData("destinations:\n  backoff: 5m\n  max_backoff: 1m\n", "conduit.yaml:2:3: destinations.max_backoff: must not be shorter than destinations.backoff")]
    [InlineData("destinations:\n  backoff: 1h\n", "conduit.yaml:2:3: destinations.max_backoff: must not be shorter than destinations.backoff")]
    [InlineData("destinations:\n  max_backoff: 1s\n", "conduit.yaml:2:3: destinations.max_backoff: must not be shorter than destinations.backoff")]
    [InlineData("receiver:\n  prot: 104\n", "conduit.yaml:2:3: unknown key 'receiver.prot' (did you mean 'port'?); receiver has port, ae_title, bind, max_associations, fsync, allowed_callers, uncompressed_only, idle_timeout")]
    [InlineData("receiver: 104\n", "conduit.yaml:1:1: receiver: expected a map of receiver settings (port, ae_title, bind, max_associations, fsync, allowed_callers, uncompressed_only, idle_timeout)")]
    [InlineData("- receiver\n", "conduit.yaml:1:1: expected a map of sections (receiver:, http:, storage:, flows:, database:, queue:, node:, workers:, grouping:, retention:, destinations:, webhooks:, folders:, logging:)")]
    [InlineData("receiver:\n  port: 1\n  port: 2\n", "conduit.yaml:3:3: not valid YAML: Duplicate key port")]
    [InlineData("receiver:\n  port: [1\n", "conduit.yaml:3:1: not valid YAML: While parsing a flow sequence, did not find expected ',' or ']'.")]
    [InlineData("a: 1\n---\nb: 2\n", "conduit.yaml:3:1: a file holds one YAML document; remove the '---' separator")]
    public void Each_mistake_is_reported_with_file_line_column_and_what_is_allowed(string yaml, string expected)
    {
        Assert.Equal(expected, SingleError(yaml));
    }

    [Fact]
    public void An_unknown_section_in_a_conf_d_file_names_that_file_and_suggests_the_known_one()
    {
        Assert.Equal("conf.d/10-x.yaml:4:1: unknown key 'recever' (did you mean 'receiver'?)",
            SingleError("# site overrides\n\n\nrecever:\n  port: 104\n", "conf.d/10-x.yaml"));
    }

    [Fact]
    public void A_value_starting_with_an_exclamation_mark_read_as_a_yaml_tag_gets_a_hint()
    {
        Assert.Equal("conduit.yaml:2:13: receiver.ae_title: '!ROUTER' was read as a YAML tag; quote the value (\"!ROUTER\")",
            SingleError("receiver:\n  ae_title: !ROUTER\n"));
    }

    [Fact]
    public void Every_problem_in_every_layer_is_reported_in_one_run()
    {
        _dir.Write("conduit.yaml", "receiver:\n  port: 0\nqueue:\n  provider: x\n");
        _dir.Write("conf.d/a.yaml", "workers:\n  concurrency: -1\n");

        var loaded = ConfigurationLoader.Load(null, new Hashtable { ["CONDUIT__RECEIVER__MAX_ASSOCIATIONS"] = "lots" }, _dir.Path);

        Assert.Equal(4, loaded.Errors.Count);
        Assert.Contains(loaded.Errors, e => e.ToString().EndsWith("environment variable CONDUIT__RECEIVER__MAX_ASSOCIATIONS: receiver.max_associations: 'lots' is not a number from 1 to 1000", StringComparison.Ordinal));
        Assert.Throws<ConfigurationException>(() => loaded.OptionsOrThrow());
    }

    [Theory]
    [InlineData("CONDUIT__RECEVER__PORT", "1", "environment variable CONDUIT__RECEVER__PORT: unknown key 'recever' (did you mean 'receiver'?)")]
    [InlineData("CONDUIT__RECEIVER__PROT", "1", "environment variable CONDUIT__RECEIVER__PROT: unknown key 'receiver.prot' (did you mean 'port'?)")]
    [InlineData("CONDUIT__RECEIVER", "1", "environment variable CONDUIT__RECEIVER: name a key as CONDUIT__SECTION__KEY, e.g. CONDUIT__RECEIVER__PORT")]
    [InlineData("CONDUIT__RECEIVER__PORT", "", "environment variable CONDUIT__RECEIVER__PORT: receiver.port: '' is not a port (1-65535)")]
    [InlineData("CONDUIT__GROUPING__MODALITY_QUIET_TIME", "5s", "environment variable CONDUIT__GROUPING__MODALITY_QUIET_TIME: grouping.modality_quiet_time: grouping.modality_quiet_time is a map: set one entry with CONDUIT__GROUPING__MODALITY_QUIET_TIME__NAME")]
    public void Bad_environment_variables_are_named_in_the_error(string name, string value, string expected)
    {
        var loaded = ConfigurationLoader.Load(null, new Hashtable { [name] = value }, _dir.Path);

        Assert.Equal(expected, Assert.Single(loaded.Errors).ToString());
    }

    [Fact]
    public void The_validator_checks_options_built_in_code_and_names_the_path()
    {
        var options = new ConduitOptions();
        options.Receiver.Port = 0;
        options.Receiver.AllowedCallers.Add("");
        options.Database.Provider = DatabaseProvider.Postgres;

        var problems = ConduitOptionsValidator.Validate(options).Select(p => p.ToString()).ToList();

        Assert.Equal(
        [
            "receiver.port: 0 is not a port (1-65535)",
            "receiver.allowed_callers[0]: an AE title may not be empty",
            "database.connection_string: required when database.provider is postgres (e.g. Host=db;Database=conduit;Username=conduit;Password=...)",
        ], problems);
        Assert.Empty(ConduitOptionsValidator.Validate(new ConduitOptions()));
    }
}
