using Conduit.Pipeline.Jobs;
using System.Data.Common;

namespace Conduit.Pipeline.Store;

/// <summary>The <see cref="IJobRepository"/> on SQLite or PostgreSQL.</summary>
public sealed class SqlJobRepository(StoreDatabase database) : IJobRepository
{
    /// <summary>How much of a step's log is kept: the last 64 Ki characters.</summary>
    public const int MaxLogChars = 64 * 1024;

    public Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrWhiteSpace(job.FlowName);
        if (job.Steps.Distinct(StringComparer.Ordinal).Count() != job.Steps.Count
            || job.Destinations.Distinct(StringComparer.Ordinal).Count() != job.Destinations.Count)
        {
            throw new ArgumentException("Step and destination names must be unique within a job.", nameof(job));
        }
        var now = database.UtcNow;
        var id = StoreIds.New(now);
        return database.WriteAsync((c, t) =>
        {
            var nowText = UtcTime.ToText(now);
            c.Execute(t, """
                INSERT INTO jobs (id, flow_name, flow_version, priority, batch_id, study_uid, status, created_at, updated_at, attempts)
                VALUES (@id, @flow, @version, @priority, @batch, @study, 'pending', @now, @now, 0);
                """,
                ("@id", id), ("@flow", job.FlowName), ("@version", job.FlowVersion), ("@priority", job.Priority),
                ("@batch", job.BatchId), ("@study", job.StudyInstanceUid), ("@now", nowText));
            for (var i = 0; i < job.Steps.Count; i++)
            {
                c.Execute(t, "INSERT INTO job_steps (job_id, name, ordinal, status) VALUES (@id, @name, @ordinal, 'pending');",
                    ("@id", id), ("@name", job.Steps[i]), ("@ordinal", i));
            }
            foreach (var destination in job.Destinations)
            {
                c.Execute(t, "INSERT INTO job_destinations (job_id, name, status, updated_at) VALUES (@id, @name, 'pending', @now);",
                    ("@id", id), ("@name", destination), ("@now", nowText));
            }
            AddEvent(c, t, id, now, "job", null, null, "pending", $"flow {job.FlowName} {job.FlowVersion}");
            return ReadJob(c, t, id)!;
        }, cancellationToken);
    }

    public Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => ReadJob(c, null, jobId), cancellationToken);

    public Task<JobDetails?> GetDetailsAsync(string jobId, CancellationToken cancellationToken) =>
        database.ReadAsync(c =>
        {
            // One read transaction: the job, its steps and its events come from the same snapshot.
            using var t = database.BeginSnapshot(c);
            var job = ReadJob(c, t, jobId);
            return job is null ? null : new JobDetails(
                job,
                c.Query(t, "SELECT * FROM job_steps WHERE job_id = @id ORDER BY ordinal;", SqlJobRows.Step, ("@id", jobId)),
                c.Query(t, "SELECT * FROM job_destinations WHERE job_id = @id ORDER BY name;", SqlJobRows.Destination, ("@id", jobId)),
                c.Query(t, "SELECT * FROM job_events WHERE job_id = @id ORDER BY id;", SqlJobRows.Event, ("@id", jobId)));
        }, cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        // The list order is (created_at, id) descending; a cursor job that does not exist selects nothing. The jobs
        // just newer than After are the first ones in ascending order, turned back to newest first. Only the filters
        // given are in the statement: a catch-all "(@x IS NULL OR col = @x)" keeps a prepared plan (PostgreSQL's generic
        // one, SQLite's) from using jobs_created for the order and the cursor, and every page then sorts the whole table.
        var newer = query.After is not null;
        var filters = new List<string>();
        var parameters = new List<(string Name, object? Value)> { ("@limit", Math.Clamp(query.Limit, 1, 10_000)) };
        void Filter(string condition, string name, object? value)
        {
            if (value is null) return;
            filters.Add(condition);
            parameters.Add((name, value));
        }
        Filter("status = @status", "@status", query.Status?.ToText());
        Filter("flow_name = @flow", "@flow", query.FlowName);
        Filter("study_uid = @study", "@study", query.StudyInstanceUid);
        Filter("batch_id = @batch", "@batch", query.BatchId);
        Filter("(created_at, id) < (SELECT created_at, id FROM jobs WHERE id = @before)", "@before", query.Before);
        Filter("(created_at, id) > (SELECT created_at, id FROM jobs WHERE id = @after)", "@after", query.After);
        var where = filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters);
        var direction = newer ? "ASC" : "DESC";
        return database.ReadAsync<IReadOnlyList<JobRecord>>(c =>
        {
            var page = c.Query(null, $"SELECT * FROM jobs {where} ORDER BY created_at {direction}, id {direction} LIMIT @limit;",
                SqlJobRows.Job, [.. parameters]);
            if (newer) page.Reverse();
            return page;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<JobRecord>> ListUnfinishedAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<JobRecord>>(c => c.Query(null, """
            SELECT * FROM jobs WHERE status IN ('pending', 'running', 'finished', 'sending') ORDER BY created_at, id;
            """, SqlJobRows.Job), cancellationToken);

    public Task<JobRecord> TransitionAsync(string jobId, JobStatus to, string? message, CancellationToken cancellationToken)
    {
        var now = database.UtcNow;
        return database.WriteAsync((c, t) =>
        {
            var job = ReadJob(c, t, jobId) ?? throw new JobStateException($"Job {jobId} does not exist.");
            if (!JobTransitions.AllowedFrom(to).Contains(job.Status))
            {
                throw new JobStateException($"Job {jobId} cannot move from {job.Status.ToText()} to {to.ToText()}.");
            }
            var nowText = UtcTime.ToText(now);
            c.Execute(t, """
                UPDATE jobs SET status = @to, updated_at = @now,
                    attempts = attempts + @attempt,
                    started_at = CASE WHEN @to = 'running' THEN COALESCE(started_at, @now) ELSE started_at END,
                    ended_at = CASE WHEN @terminal THEN @now ELSE NULL END,
                    error = CASE WHEN @to = 'failed' THEN @message WHEN @to = 'pending' OR @to = 'running' THEN NULL ELSE error END
                WHERE id = @id;
                """,
                ("@id", jobId), ("@to", to.ToText()), ("@now", nowText), ("@attempt", to == JobStatus.Running ? 1 : 0),
                ("@terminal", JobTransitions.IsTerminal(to)), ("@message", message));
            AddEvent(c, t, jobId, now, "job", null, job.Status.ToText(), to.ToText(), message);
            return ReadJob(c, t, jobId)!;
        }, cancellationToken);
    }

    public Task SetWorkDirectoryAsync(string jobId, string workDirectory, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => RequireOne(c.Execute(t, "UPDATE jobs SET work_dir = @dir WHERE id = @id;",
            ("@id", jobId), ("@dir", workDirectory)), $"Job {jobId} does not exist."), cancellationToken);

    public Task StartStepAsync(string jobId, string stepName, CancellationToken cancellationToken)
    {
        var now = database.UtcNow;
        return database.WriteAsync((c, t) =>
        {
            var from = StepStatusOf(c, t, jobId, stepName);
            c.Execute(t, """
                UPDATE job_steps SET status = 'running', started_at = @now, ended_at = NULL, exit_code = NULL,
                    timed_out = 0, log_tail = NULL, error = NULL
                WHERE job_id = @id AND name = @name;
                """, ("@id", jobId), ("@name", stepName), ("@now", UtcTime.ToText(now)));
            AddEvent(c, t, jobId, now, "step", stepName, from, "running", null);
            return 0;
        }, cancellationToken);
    }

    public Task CompleteStepAsync(string jobId, string stepName, StepCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var now = database.UtcNow;
        var log = completion.LogTail is { Length: > MaxLogChars } tail ? tail[^MaxLogChars..] : completion.LogTail;
        return database.WriteAsync((c, t) =>
        {
            var from = StepStatusOf(c, t, jobId, stepName);
            c.Execute(t, """
                UPDATE job_steps SET status = @status, started_at = COALESCE(@started, started_at), ended_at = @ended,
                    exit_code = @exit, timed_out = @timedOut, log_tail = @log, error = @error
                WHERE job_id = @id AND name = @name;
                """,
                ("@id", jobId), ("@name", stepName), ("@status", completion.Status.ToText()),
                ("@started", UtcTime.ToText(completion.StartedAt)), ("@ended", UtcTime.ToText(completion.EndedAt)),
                ("@exit", completion.ExitCode), ("@timedOut", completion.TimedOut ? 1 : 0), ("@log", log), ("@error", completion.Error));
            AddEvent(c, t, jobId, now, "step", stepName, from, completion.Status.ToText(), completion.Error);
            return 0;
        }, cancellationToken);
    }

    public Task UpdateDestinationAsync(string jobId, string destination, DestinationStatus status, string? error,
        DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        var now = database.UtcNow;
        return database.WriteAsync((c, t) =>
        {
            var from = (string?)c.Scalar(t, "SELECT status FROM job_destinations WHERE job_id = @id AND name = @name;",
                ("@id", jobId), ("@name", destination))
                ?? throw new JobStateException($"Job {jobId} has no destination '{destination}'.");
            var nowText = UtcTime.ToText(now);
            c.Execute(t, """
                UPDATE job_destinations SET status = @status, attempts = attempts + @attempt, updated_at = @now,
                    last_error = COALESCE(@error, last_error), next_attempt_at = @next,
                    sent_at = CASE WHEN @status = 'sent' THEN @now ELSE sent_at END,
                    started_at = CASE WHEN @status = 'sending' THEN COALESCE(started_at, @now) ELSE started_at END,
                    ended_at = CASE WHEN @status IN ('sent', 'failed') THEN @now ELSE ended_at END
                WHERE job_id = @id AND name = @name;
                """,
                ("@id", jobId), ("@name", destination), ("@status", status.ToText()),
                ("@attempt", status == DestinationStatus.Sending ? 1 : 0), ("@now", nowText), ("@error", error),
                ("@next", UtcTime.ToText(nextAttemptAt)));
            AddEvent(c, t, jobId, now, "destination", destination, from, status.ToText(), error);
            return 0;
        }, cancellationToken);
    }

    private static JobRecord? ReadJob(DbConnection c, DbTransaction? t, string jobId) =>
        c.Query(t, "SELECT * FROM jobs WHERE id = @id;", SqlJobRows.Job, ("@id", jobId)).FirstOrDefault();

    private static string StepStatusOf(DbConnection c, DbTransaction t, string jobId, string stepName) =>
        (string?)c.Scalar(t, "SELECT status FROM job_steps WHERE job_id = @id AND name = @name;", ("@id", jobId), ("@name", stepName))
        ?? throw new JobStateException($"Job {jobId} has no step '{stepName}'.");

    internal static void AddEvent(DbConnection c, DbTransaction t, string jobId, DateTimeOffset at, string entity,
        string? name, string? from, string to, string? message) =>
        c.Execute(t, """
            INSERT INTO job_events (id, job_id, at, entity, name, from_status, to_status, message)
            VALUES (@id, @job, @at, @entity, @name, @from, @to, @message);
            """,
            ("@id", StoreIds.New(at)), ("@job", jobId), ("@at", UtcTime.ToText(at)), ("@entity", entity), ("@name", name),
            ("@from", from), ("@to", to), ("@message", message));

    private static int RequireOne(int rows, string message) => rows == 1 ? rows : throw new JobStateException(message);
}
