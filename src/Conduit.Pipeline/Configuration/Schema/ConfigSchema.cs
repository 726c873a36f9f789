using System.Collections.Frozen;
using Conduit.Pipeline.Configuration.Values;
using P = Conduit.Pipeline.Configuration.Schema.Parsers;

namespace Conduit.Pipeline.Configuration.Schema;

/// <summary>Every configuration key, in the order <c>config show</c> and docs/configuration.md list them.</summary>
public static class ConfigSchema
{
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);
    private static readonly TimeSpan OneYear = TimeSpan.FromDays(366);
    private const string PositiveDuration = "a duration (" + Durations.Examples + ")";

    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        // receiver
        new ScalarKey<int>("receiver.port", "TCP port of the DICOM receiver (C-STORE SCP).", "a port (1-65535)",
            o => o.Receiver.Port, (o, v) => o.Receiver.Port = v, P.Int, P.Format, v => v is >= 1 and <= 65535),
        new ScalarKey<string>("receiver.ae_title", "The receiver's AE title (the Called AE Title senders use).", "an AE title (1-16 printable ASCII characters, no backslash)",
            o => o.Receiver.AeTitle, (o, v) => o.Receiver.AeTitle = v, P.AeTitle, v => v, v => AeTitles.Problem(v) is null),
        new ScalarKey<string>("receiver.bind", "IP address the receiver listens on (0.0.0.0: every IPv4 interface).", "an IP address (e.g. 0.0.0.0, 127.0.0.1, ::)",
            o => o.Receiver.Bind, (o, v) => o.Receiver.Bind = v, P.IpAddress, v => v, v => P.IpAddress(v, out _)),
        new ScalarKey<int>("receiver.max_associations", "Associations served at once; more are rejected as transient.", "a number from 1 to 1000",
            o => o.Receiver.MaxAssociations, (o, v) => o.Receiver.MaxAssociations = v, P.Int, P.Format, v => v is >= 1 and <= 1000),
        new ScalarKey<bool>("receiver.fsync", "Flush each file, and its record in an SQLite database, to disk before the C-STORE response (false: a power loss may lose the last instances acknowledged).", "true or false",
            o => o.Receiver.Fsync, (o, v) => o.Receiver.Fsync = v, P.Bool, P.Format),
        new ListKey("receiver.allowed_callers", "Calling AE titles allowed to connect; empty allows any.", "AE titles",
            o => o.Receiver.AllowedCallers, (o, v) => o.Receiver.AllowedCallers = v, P.AeTitleProblem),
        new ScalarKey<bool>("receiver.uncompressed_only", "Accept only uncompressed transfer syntaxes.", "true or false",
            o => o.Receiver.UncompressedOnly, (o, v) => o.Receiver.UncompressedOnly = v, P.Bool, P.Format),
        new ScalarKey<TimeSpan>("receiver.idle_timeout", "Abort an association silent for this long.", "a duration from 1s to 1d (" + Durations.Examples + ")",
            o => o.Receiver.IdleTimeout, (o, v) => o.Receiver.IdleTimeout = v, P.Duration, P.Format, v => v >= TimeSpan.FromSeconds(1) && v <= OneDay),

        // http
        new ListKey("http.urls", "URLs the HTTP API listens on.", "absolute http:// or https:// URLs",
            o => o.Http.Urls, (o, v) => o.Http.Urls = v, P.UrlProblem),
        new ScalarKey<string?>("http.certificate", "PEM file of the certificate (with its chain) for the https:// URLs; unset: no HTTPS.", "a file path",
            o => o.Http.Certificate, (o, v) => o.Http.Certificate = v, P.PathText!, v => v!, v => P.PathText(v!, out _), nullable: true),
        new ScalarKey<string?>("http.certificate_key", "PEM file of the certificate's private key; unset: the key is in the certificate's file.", "a file path",
            o => o.Http.CertificateKey, (o, v) => o.Http.CertificateKey = v, P.PathText!, v => v!, v => P.PathText(v!, out _), nullable: true),
        new ListKey("http.trusted_proxies", "Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; empty: none.", "IP addresses or networks (e.g. 10.0.0.5, 10.0.0.0/8)",
            o => o.Http.TrustedProxies, (o, v) => o.Http.TrustedProxies = v, P.ProxyProblem),

        // storage
        new ScalarKey<string>("storage.data_directory", "Folder for instances, job work folders and the default database.", "a folder path",
            o => o.Storage.DataDirectory, (o, v) => o.Storage.DataDirectory = v, P.PathText, v => v, v => P.PathText(v, out _)),
        new ScalarKey<int>("storage.disk_usage_watermark", "Disk use (percent) above which new associations are refused.", "a percentage from 1 to 100",
            o => o.Storage.DiskUsageWatermarkPercent, (o, v) => o.Storage.DiskUsageWatermarkPercent = v, P.Percent, P.Format, v => v is >= 1 and <= 100),

        // flows
        new ScalarKey<string>("flows.directory", "Folder of flow files (*.yaml), watched for changes.", "a folder path",
            o => o.Flows.Directory, (o, v) => o.Flows.Directory = v, P.PathText, v => v, v => P.PathText(v, out _)),
        new ScalarKey<string>("flows.static_directory", "Folder that relative container mount sources are resolved against.", "a folder path",
            o => o.Flows.StaticDirectory, (o, v) => o.Flows.StaticDirectory = v, P.PathText, v => v, v => P.PathText(v, out _)),

        // database
        new ScalarKey<DatabaseProvider>("database.provider", "The store's database: sqlite (a file, one node) or postgres (one database shared by every node).", "sqlite or postgres",
            o => o.Database.Provider, (o, v) => o.Database.Provider = v, P.Enum(P.DatabaseProviders), P.Format),
        new ScalarKey<string?>("database.connection_string", "ADO.NET connection string; for postgres Npgsql's (Host=db;Database=conduit;Username=conduit;Password=...); unset: SQLite file conduit.db in the data directory.", "a connection string",
            o => o.Database.ConnectionString, (o, v) => o.Database.ConnectionString = v, P.Text!, v => v!, nullable: true) { IsSecret = true },

        // queue
        new ScalarKey<QueueProvider>("queue.provider", "Where jobs wait for a worker: inprocess, a table in the database (SQLite or PostgreSQL); rabbitmq, that table plus a broker that hands job ids to the nodes (needs database.provider postgres).", "inprocess or rabbitmq",
            o => o.Queue.Provider, (o, v) => o.Queue.Provider = v, P.Enum(P.QueueProviders), P.Format),
        new ScalarKey<string?>("queue.connection_string", "RabbitMQ URI (amqp:// or amqps://); unused by the in-process queue.", "an amqp:// or amqps:// URI",
            o => o.Queue.ConnectionString, (o, v) => o.Queue.ConnectionString = v, P.Text!, v => v!, nullable: true) { IsSecret = true },
        new ScalarKey<TimeSpan>("queue.republish_interval", "RabbitMQ: how often a node publishes again the waiting jobs the broker may not hold (a failed publish, or a job due for a whole interval that nobody took).", "a duration from 1s to 1d (" + Durations.Examples + ")",
            o => o.Queue.RepublishInterval, (o, v) => o.Queue.RepublishInterval = v, P.Duration, P.Format, v => v >= TimeSpan.FromSeconds(1) && v <= OneDay),

        // node
        new ScalarKey<string?>("node.id", "This node's id among those sharing the database (job leases, batches, heartbeat, containers); unset: the host name. Two nodes on one host need one each.", "1-64 letters, digits, '.', '_' or '-'",
            o => o.Node.Id, (o, v) => o.Node.Id = v, P.NodeId!, v => v!, v => NodeIds.Problem(v) is null, nullable: true),
        new ScalarKey<TimeSpan>("node.heartbeat_interval", "How often this node writes its heartbeat in the database and looks for gone nodes' open batches.", "a duration from 1s to 10m (" + Durations.Examples + ")",
            o => o.Node.HeartbeatInterval, (o, v) => o.Node.HeartbeatInterval = v, P.Duration, P.Format, v => v >= TimeSpan.FromSeconds(1) && v <= TimeSpan.FromMinutes(10)),
        new ScalarKey<TimeSpan>("node.lapse", "How long another node may go without a heartbeat (and without adding to its open series) before this node adopts its open series and closes them by its own quiet time; at least three heartbeat intervals.", "a duration from 3s to 1d (" + Durations.Examples + ")",
            o => o.Node.Lapse, (o, v) => o.Node.Lapse = v, P.Duration, P.Format, v => v >= TimeSpan.FromSeconds(3) && v <= OneDay),

        // workers
        new ScalarKey<int>("workers.concurrency", "Jobs run at once on this node.", $"a number from 1 to {WorkersOptions.MaxConcurrency}",
            o => o.Workers.Concurrency, (o, v) => o.Workers.Concurrency = v, P.Int, P.Format, v => v is >= 1 and <= WorkersOptions.MaxConcurrency),
        new ScalarKey<TimeSpan>("workers.step_timeout", "Timeout of a step that names none.", "a duration from 1s to 1d (" + Durations.Examples + ")",
            o => o.Workers.StepTimeout, (o, v) => o.Workers.StepTimeout = v, P.Duration, P.Format, v => v >= TimeSpan.FromSeconds(1) && v <= OneDay),

        // grouping
        new ScalarKey<TimeSpan>("grouping.quiet_time", "Time without a new instance after which a series or study is complete.", "a duration from 1s to 1d (" + Durations.Examples + ")",
            o => o.Grouping.QuietTime, (o, v) => o.Grouping.QuietTime = v, P.Duration, P.Format, v => v >= TimeSpan.FromSeconds(1) && v <= OneDay),
        new MapKey<TimeSpan>("grouping.modality_quiet_time", "Quiet time per Modality value, e.g. MR: 30s.", "durations from 1s to 1d (" + Durations.Examples + ")",
            o => o.Grouping.ModalityQuietTime, P.ModalityProblem, P.Duration, P.Format, v => v >= TimeSpan.FromSeconds(1) && v <= OneDay),

        // retention
        new ScalarKey<TimeSpan>("retention.succeeded_jobs", "Keep a succeeded job's files this long (0: remove at once).", "a duration up to 366d (e.g. 0, 12h, 7d)",
            o => o.Retention.SucceededJobs, (o, v) => o.Retention.SucceededJobs = v, P.Duration, P.Format, v => v >= TimeSpan.Zero && v <= OneYear),

        // destinations
        new ScalarKey<int>("destinations.retries", "Retries after a failed send.", "a number from 0 to 100",
            o => o.Destinations.Retries, (o, v) => o.Destinations.Retries = v, P.Int, P.Format, v => v is >= 0 and <= 100),
        new ScalarKey<TimeSpan>("destinations.backoff", "Wait before the first retry (doubled after each failure).", PositiveDuration,
            o => o.Destinations.Backoff, (o, v) => o.Destinations.Backoff = v, P.Duration, P.Format, v => v > TimeSpan.Zero && v <= OneDay),
        new ScalarKey<TimeSpan>("destinations.max_backoff", "Longest wait between two attempts.", PositiveDuration,
            o => o.Destinations.MaxBackoff, (o, v) => o.Destinations.MaxBackoff = v, P.Duration, P.Format, v => v > TimeSpan.Zero && v <= OneDay),
        new ScalarKey<int>("destinations.circuit_breaker_failures", "Consecutive failures that open a destination's circuit.", "a number from 1 to 1000",
            o => o.Destinations.CircuitBreakerFailures, (o, v) => o.Destinations.CircuitBreakerFailures = v, P.Int, P.Format, v => v is >= 1 and <= 1000),
        new ScalarKey<TimeSpan>("destinations.circuit_breaker_cooldown", "Pause of an open circuit before a trial send.", PositiveDuration,
            o => o.Destinations.CircuitBreakerCooldown, (o, v) => o.Destinations.CircuitBreakerCooldown = v, P.Duration, P.Format, v => v > TimeSpan.Zero && v <= OneDay),
        new ScalarKey<string?>("destinations.calling_ae_title", "Calling AE title for C-STORE destinations naming none; unset: receiver.ae_title.", "an AE title (1-16 printable ASCII characters, no backslash)",
            o => o.Destinations.CallingAeTitle, (o, v) => o.Destinations.CallingAeTitle = v, P.AeTitle!, v => v!, v => AeTitles.Problem(v) is null, nullable: true),

        // webhooks
        new ScalarKey<int>("webhooks.retries", "Retries after a failed webhook POST.", "a number from 0 to 100",
            o => o.Webhooks.Retries, (o, v) => o.Webhooks.Retries = v, P.Int, P.Format, v => v is >= 0 and <= 100),
        new ScalarKey<TimeSpan>("webhooks.backoff", "Wait before the first webhook retry (doubled after each failure).", PositiveDuration,
            o => o.Webhooks.Backoff, (o, v) => o.Webhooks.Backoff = v, P.Duration, P.Format, v => v > TimeSpan.Zero && v <= OneDay),
        new ScalarKey<TimeSpan>("webhooks.timeout", "Time allowed for one webhook POST.", PositiveDuration,
            o => o.Webhooks.Timeout, (o, v) => o.Webhooks.Timeout = v, P.Duration, P.Format, v => v > TimeSpan.Zero && v <= OneDay),

        // folders
        new FolderListKey("folders.watch", "Input folders; each ready subfolder (no .tmp* extension, settled) is imported as one batch.",
            "a list of { path, on_success: delete|keep|move, move_to, scan_interval, settle_time }"),

        // logging
        new ScalarKey<Microsoft.Extensions.Logging.LogLevel>("logging.level", "Least severe log level written.", "trace, debug, information, warning, error, critical or none",
            o => o.Logging.Level, (o, v) => o.Logging.Level = v, P.Enum(P.LogLevels), P.Format),
    ];

    private static readonly FrozenDictionary<string, ConfigKey> ByPath = Keys.ToFrozenDictionary(k => k.Path, StringComparer.Ordinal);

    /// <summary>Section names in schema order.</summary>
    public static IReadOnlyList<string> Sections { get; } = Keys.Select(k => k.Section).Distinct().ToArray();

    public static ConfigKey? Find(string path) => ByPath.GetValueOrDefault(path);

    public static IEnumerable<ConfigKey> InSection(string section) => Keys.Where(k => k.Section == section);
}
