namespace Conduit.Pipeline.Store;

/// <summary>
/// Counts for the dashboard, read from the store in one query each: throughput over time, jobs by status and by flow,
/// and each destination's record. Time slices are computed in SQL (julianday of the stored ISO text), so a day of
/// traffic is summed in the database instead of being read row by row.
/// </summary>
public sealed class SqlActivityStats(StoreDatabase database)
{
    /// <summary><paramref name="count"/> slices of <paramref name="width"/> ending now, oldest first.</summary>
    public Task<IReadOnlyList<ActivityBucket>> ThroughputAsync(TimeSpan width, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(width, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // Slices are aligned on multiples of the width since the epoch, so a refresh does not shift them.
        var now = database.UtcNow;
        var end = new DateTimeOffset((now.UtcTicks / width.Ticks + 1) * width.Ticks, TimeSpan.Zero);
        var from = end - width * count;
        var parameters = new (string, object?)[] { ("@from", UtcTime.ToText(from)), ("@seconds", width.TotalSeconds) };
        return database.ReadAsync<IReadOnlyList<ActivityBucket>>(c =>
        {
            // Each query is bounded by its indexed time column alone (migration 7), so only the window's rows are read.
            var instances = c.Query(null, $"SELECT {Slice("received_at")} AS slice, COUNT(*) AS n FROM instances WHERE received_at >= @from GROUP BY slice;",
                r => (Slice: r.Int("slice"), Count: r.Int("n")), parameters).ToDictionary(x => x.Slice, x => x.Count);
            var jobs = c.Query(null, $"""
                SELECT {Slice("ended_at")} AS slice,
                    SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent, SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed
                FROM jobs WHERE ended_at >= @from GROUP BY slice;
                """, r => (Slice: r.Int("slice"), Sent: r.Int("sent"), Failed: r.Int("failed")), parameters).ToDictionary(x => x.Slice);
            return Enumerable.Range(0, count).Select(i => new ActivityBucket(from + width * i, instances.GetValueOrDefault(i),
                jobs.GetValueOrDefault(i).Sent, jobs.GetValueOrDefault(i).Failed)).ToList();
        }, cancellationToken);
    }

    /// <summary>Instances received since <paramref name="since"/>.</summary>
    public Task<int> InstancesSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(c => Convert.ToInt32(c.Scalar(null, "SELECT COUNT(*) FROM instances WHERE received_at >= @from;",
            ("@from", UtcTime.ToText(since))), System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>How many jobs are in each status (stored names).</summary>
    public Task<IReadOnlyDictionary<string, int>> JobsByStatusAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, int>>(c => c.Query(null, "SELECT status, COUNT(*) AS n FROM jobs GROUP BY status;",
            r => (Status: r.String("status"), Count: r.Int("n"))).ToDictionary(x => x.Status, x => x.Count, StringComparer.Ordinal), cancellationToken);

    /// <summary>For each flow name, how many of its jobs are in each status.</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>> JobsByFlowAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>>(c => c.Query(null,
                "SELECT flow_name, status, COUNT(*) AS n FROM jobs GROUP BY flow_name, status;",
                r => (Flow: r.String("flow_name"), Status: r.String("status"), Count: r.Int("n")))
            .GroupBy(x => x.Flow, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(x => x.Status, x => x.Count, StringComparer.Ordinal),
                StringComparer.Ordinal), cancellationToken);

    /// <summary>Every destination that any job had, by flow then name.</summary>
    public Task<IReadOnlyList<DestinationActivity>> DestinationsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<DestinationActivity>>(c =>
        {
            using var t = database.BeginSnapshot(c);
            // The last error is the newest destination event with a message that left it pending (retry later) or
            // failed: the row's own last_error outlives a later success, so it cannot say when.
            var errors = c.Query(t, database.Dialect.MaxPicksRow ? LastErrorsByMax : LastErrorsDistinctOn, r => (Flow: r.String("flow_name"), Name: r.String("name"), JobId: r.String("job_id"), At: r.Time("at"), Message: r.String("message")))
                .ToDictionary(x => (x.Flow, x.Name));
            return c.Query(t, """
                SELECT j.flow_name, d.name, COUNT(*) AS jobs,
                    SUM(CASE WHEN d.status = 'sent' THEN 1 ELSE 0 END) AS sent,
                    SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END) AS failed,
                    SUM(CASE WHEN d.status IN ('pending', 'sending') THEN 1 ELSE 0 END) AS waiting,
                    MAX(d.sent_at) AS last_sent
                FROM job_destinations d JOIN jobs j ON j.id = d.job_id
                GROUP BY j.flow_name, d.name ORDER BY j.flow_name, d.name;
                """, r =>
                {
                    var key = (r.String("flow_name"), r.String("name"));
                    var error = errors.GetValueOrDefault(key);
                    return new DestinationActivity(key.Item1, key.Item2, r.Int("jobs"), r.Int("sent"), r.Int("failed"), r.Int("waiting"),
                        r.NullableTime("last_sent"), error.Message is null ? null : error.At, error.Message, error.JobId);
                });
        }, cancellationToken);

    // With MAX(), SQLite takes the other bare columns from the row holding the maximum.
    private const string LastErrorsByMax = """
        SELECT j.flow_name, e.name, e.job_id, MAX(e.at) AS at, e.message
        FROM job_events e JOIN jobs j ON j.id = e.job_id
        WHERE e.entity = 'destination' AND e.message IS NOT NULL AND e.to_status IN ('pending', 'failed')
        GROUP BY j.flow_name, e.name;
        """;

    // PostgreSQL has no bare columns: DISTINCT ON keeps the first row of each group in the ORDER BY, the newest.
    private const string LastErrorsDistinctOn = """
        SELECT DISTINCT ON (j.flow_name, e.name) j.flow_name, e.name, e.job_id, e.at, e.message
        FROM job_events e JOIN jobs j ON j.id = e.job_id
        WHERE e.entity = 'destination' AND e.message IS NOT NULL AND e.to_status IN ('pending', 'failed')
        ORDER BY j.flow_name, e.name, e.at DESC, e.id DESC;
        """;

    /// <summary>Which slice a stored time falls in: whole <c>@seconds</c> since <c>@from</c>.</summary>
    private string Slice(string column) => database.Dialect.WholeSlices("@from", column, "@seconds");
}
