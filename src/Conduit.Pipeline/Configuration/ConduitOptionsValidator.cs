using Conduit.Pipeline.Configuration.Schema;

namespace Conduit.Pipeline.Configuration;

/// <summary>
/// The stateless validator: every key's own rule (the same one the loader applies to each file and variable) and the
/// rules between keys. Each problem names the configuration path at fault, so options built in code are checked the
/// same way as options read from files.
/// </summary>
public static class ConduitOptionsValidator
{
    public static IReadOnlyList<ConfigProblem> Validate(ConduitOptions options)
    {
        var problems = ConfigSchema.Keys.SelectMany(k => k.Check(options)).ToList();

        if (options.Database.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.Database.ConnectionString))
            problems.Add(new ConfigProblem("database.connection_string", "required when database.provider is postgres (e.g. Host=db;Database=conduit;Username=conduit;Password=...)", "database.provider"));

        if (options.Queue.Provider == QueueProvider.RabbitMq)
        {
            var uri = options.Queue.ConnectionString;
            if (string.IsNullOrWhiteSpace(uri))
                problems.Add(new ConfigProblem("queue.connection_string", "required when queue.provider is rabbitmq (e.g. amqp://user:password@rabbit:5672/)", "queue.provider"));
            else if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
                problems.Add(new ConfigProblem("queue.connection_string", "is not an amqp:// or amqps:// URI"));
            // The database holds every job's state and the broker only hands job ids to nodes that share it; SQLite is one
            // node's file, so a broker in front of it has nobody to distribute to.
            if (options.Database.Provider != DatabaseProvider.Postgres)
                problems.Add(new ConfigProblem("queue.provider", "rabbitmq needs database.provider postgres (every node must share the database "
                    + "that holds the jobs' state); with SQLite, one node, use queue.provider inprocess"));
        }

        var https = options.Http.Urls.Any(u => u.TrimStart().StartsWith("https:", StringComparison.OrdinalIgnoreCase));
        if (https && options.Http.Certificate is null)
            problems.Add(new ConfigProblem("http.certificate", "required for an https:// URL in http.urls (a PEM certificate file)", "http.urls"));
        else if (!https && options.Http.Certificate is not null)
            problems.Add(new ConfigProblem("http.certificate", "is set, but no URL in http.urls is https:// (nothing would serve it)"));
        if (options.Http.CertificateKey is not null && options.Http.Certificate is null)
            problems.Add(new ConfigProblem("http.certificate_key", "is set without http.certificate"));

        // A node whose heartbeat write is merely late (a busy database, a pause) must not count as gone.
        if (options.Node.Lapse < 3 * options.Node.HeartbeatInterval)
            problems.Add(new ConfigProblem("node.lapse", "must be at least three times node.heartbeat_interval", "node.heartbeat_interval"));

        if (options.Destinations.MaxBackoff < options.Destinations.Backoff)
            problems.Add(new ConfigProblem("destinations.max_backoff", "must not be shorter than destinations.backoff", "destinations.backoff"));

        return problems;
    }
}
