using Conduit.Pipeline.Grouping;
using System.Data.Common;

namespace Conduit.Pipeline.Store;

/// <summary>
/// The <see cref="IInstanceStore"/> on SQLite or PostgreSQL: each call is one write transaction or one read. The batches
/// it opens belong to <paramref name="nodeId"/> (null: no node, one process on its own).
/// </summary>
public sealed class SqlInstanceStore(StoreDatabase database, string? nodeId = null) : IInstanceStore
{
    // Instances with the series-level tags a restored batch needs (modality and description for required series).
    private const string InstanceSelect = """
        SELECT i.*, r.modality, r.series_description, r.expected_instances
        FROM instances i JOIN series r ON r.series_uid = i.series_uid
        """;

    public Task<RecordedInstance> RecordAsync(InstanceRecord instance, IReadOnlyList<BatchMembership> batches,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(batches);
        var now = database.UtcNow;
        return database.WriteAsync((connection, transaction) => Record(connection, transaction, instance, batches, now),
            cancellationToken);
    }

    private RecordedInstance Record(DbConnection c, DbTransaction t, InstanceRecord i,
        IReadOnlyList<BatchMembership> batches, DateTimeOffset now)
    {
        var nowText = UtcTime.ToText(now);
        var patientRef = (string?)c.ScalarReused(t,
            "SELECT id FROM patients WHERE patient_id = @pid AND issuer_of_patient_id = @iss;",
            ("@pid", i.PatientId), ("@iss", i.IssuerOfPatientId));
        if (patientRef is null)
        {
            patientRef = StoreIds.New(now);
            c.ExecuteReused(t, """
                INSERT INTO patients (id, patient_id, issuer_of_patient_id, patient_name, birth_date, sex, created_at, updated_at)
                VALUES (@id, @pid, @iss, @name, @birth, @sex, @now, @now);
                """,
                ("@id", patientRef), ("@pid", i.PatientId), ("@iss", i.IssuerOfPatientId), ("@name", i.PatientName),
                ("@birth", i.PatientBirthDate), ("@sex", i.PatientSex), ("@now", nowText));
        }
        else
        {
            // The latest instance's demographics win (a correction re-sent by the modality), blanks keep what was there.
            c.ExecuteReused(t, """
                UPDATE patients SET patient_name = COALESCE(@name, patient_name), birth_date = COALESCE(@birth, birth_date),
                    sex = COALESCE(@sex, sex), updated_at = @now WHERE id = @id;
                """,
                ("@id", patientRef), ("@name", i.PatientName), ("@birth", i.PatientBirthDate), ("@sex", i.PatientSex),
                ("@now", nowText));
        }

        c.ExecuteReused(t, """
            INSERT INTO studies (study_uid, patient_ref, accession_number, study_date, study_description, created_at, updated_at)
            VALUES (@uid, @patient, @acc, @date, @desc, @now, @now)
            ON CONFLICT (study_uid) DO UPDATE SET
                patient_ref = excluded.patient_ref,
                accession_number = COALESCE(excluded.accession_number, studies.accession_number),
                study_date = COALESCE(excluded.study_date, studies.study_date),
                study_description = COALESCE(excluded.study_description, studies.study_description),
                updated_at = excluded.updated_at;
            """,
            ("@uid", i.StudyInstanceUid), ("@patient", patientRef), ("@acc", i.AccessionNumber), ("@date", i.StudyDate),
            ("@desc", i.StudyDescription), ("@now", nowText));

        c.ExecuteReused(t, """
            INSERT INTO series (series_uid, study_uid, modality, series_number, series_description, expected_instances, created_at, updated_at)
            VALUES (@uid, @study, @mod, @num, @desc, @expected, @now, @now)
            ON CONFLICT (series_uid) DO UPDATE SET
                modality = COALESCE(excluded.modality, series.modality),
                series_number = COALESCE(excluded.series_number, series.series_number),
                series_description = COALESCE(excluded.series_description, series.series_description),
                expected_instances = COALESCE(excluded.expected_instances, series.expected_instances),
                updated_at = excluded.updated_at;
            """,
            ("@uid", i.SeriesInstanceUid), ("@study", i.StudyInstanceUid), ("@mod", i.Modality), ("@num", i.SeriesNumber),
            ("@desc", i.SeriesDescription), ("@expected", i.ExpectedSeriesInstances), ("@now", nowText));

        var replaced = c.ScalarReused(t, "SELECT 1 FROM instances WHERE sop_instance_uid = @uid;", ("@uid", i.SopInstanceUid)) is not null;
        c.ExecuteReused(t, """
            INSERT INTO instances (sop_instance_uid, series_uid, study_uid, sop_class_uid, transfer_syntax_uid, instance_number,
                source, calling_ae, called_ae, association_id, received_at, size_bytes, path)
            VALUES (@uid, @series, @study, @class, @ts, @num, @source, @calling, @called, @assoc, @received, @size, @path)
            ON CONFLICT (sop_instance_uid) DO UPDATE SET
                series_uid = excluded.series_uid, study_uid = excluded.study_uid, sop_class_uid = excluded.sop_class_uid,
                transfer_syntax_uid = excluded.transfer_syntax_uid, instance_number = excluded.instance_number,
                source = excluded.source, calling_ae = excluded.calling_ae, called_ae = excluded.called_ae,
                association_id = excluded.association_id, received_at = excluded.received_at,
                size_bytes = excluded.size_bytes, path = excluded.path;
            """,
            ("@uid", i.SopInstanceUid), ("@series", i.SeriesInstanceUid), ("@study", i.StudyInstanceUid),
            ("@class", i.SopClassUid), ("@ts", i.TransferSyntaxUid), ("@num", i.InstanceNumber),
            ("@source", SqlStoreRows.SourceText(i.Source)), ("@calling", i.CallingAeTitle), ("@called", i.CalledAeTitle),
            ("@assoc", i.AssociationId), ("@received", UtcTime.ToText(i.ReceivedAt)), ("@size", i.SizeBytes), ("@path", i.Path));

        var joined = batches.Select(batch => AddToBatch(c, t, batch, i, nowText, now)).ToList();
        return new RecordedInstance(i.SopInstanceUid, replaced, [.. joined.Select(b => b.Id)])
        {
            OtherNodesBatchIds = [.. joined.Where(b => !b.Mine).Select(b => b.Id)],
        };
    }

    /// <summary>Adds the instance to its batch; returns the batch used and whether it is this node's.</summary>
    private (string Id, bool Mine) AddToBatch(DbConnection c, DbTransaction t, BatchMembership batch,
        InstanceRecord i, string nowText, DateTimeOffset now)
    {
        var scope = SqlStoreRows.ScopeText(batch.Scope);
        var key = batch.Scope == BatchScope.Series ? i.SeriesInstanceUid : i.StudyInstanceUid;
        if (!string.Equals(key, batch.KeyUid, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Instance {i.SopInstanceUid} cannot join the {scope} batch of {batch.KeyUid}: its {scope} is {key}.");
        }
        // A batch seen open may be closed by another node before this transaction touches it (PostgreSQL, read
        // committed): the touch below finds it closed, and the choice is made once more, now seeing it closed.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (batchId, owner, exists) = ChooseBatch(c, t, batch, scope, key, now);
            // A batch the tracker opened is created with its first instance. If another batch of this node is open for
            // the same key, the unique index batches_one_open refuses it: the tracker and the store disagree, and the
            // caller must know.
            if (!exists) c.ExecuteReused(t, """
                INSERT INTO batches (id, scope, key_uid, flow, study_uid, state, opened_at, last_instance_at, last_association_id, instance_count, node_id)
                VALUES (@id, @scope, @key, @flow, @study, 'open', @now, @now, @assoc, 0, @node)
                ON CONFLICT (id) DO NOTHING;
                """,
                ("@id", batchId), ("@scope", scope), ("@key", key), ("@flow", batch.Flow), ("@study", i.StudyInstanceUid),
                ("@now", nowText), ("@assoc", i.AssociationId), ("@node", nodeId));
            // Touching the open row first locks it until this transaction commits, so a closer on another node waits
            // for it and the closed batch (and its job, made after the close) holds this instance.
            var open = c.ExecuteReused(t, """
                UPDATE batches SET last_instance_at = @now, last_association_id = COALESCE(@assoc, last_association_id)
                WHERE id = @id AND state = 'open';
                """, ("@id", batchId), ("@now", nowText), ("@assoc", i.AssociationId));
            if (open == 0) continue;
            // A re-sent instance already in the batch is not counted twice, but still refreshes the quiet-time clock.
            var added = c.ExecuteReused(t, """
                INSERT INTO batch_instances (batch_id, sop_instance_uid, added_at) VALUES (@id, @uid, @now)
                ON CONFLICT DO NOTHING;
                """, ("@id", batchId), ("@uid", i.SopInstanceUid), ("@now", nowText));
            if (added > 0)
                c.ExecuteReused(t, "UPDATE batches SET instance_count = instance_count + 1 WHERE id = @id;", ("@id", batchId));
            return (batchId, Mine(owner));
        }
        throw new InvalidOperationException($"Instance {i.SopInstanceUid}: every {scope} batch of {key} for flow {batch.Flow} closed while it was added.");
    }

    /// <summary>
    /// Which batch the instance joins, and its owner. The membership names the tracker's open batch, or an id the
    /// tracker reserved to open one (or none: the store's open batch for the key, else a new one). Several nodes on one
    /// database each have their own tracker, so the store has the last word:
    /// <list type="bullet">
    /// <item>no batch by that id yet, but another node's batch is open for the key: the instance joins that one (its
    /// owner closes it) rather than being refused;</item>
    /// <item>the named batch was closed by another node (its owner, or a node that adopted it): the instance is late for
    /// it and joins the batch open for the key, or a new one, as on one node after a batch closed.</item>
    /// </list>
    /// A closed batch of this node's own named again is still refused: this node's loop closes its batches after its
    /// tracker forgot them, so the tracker and the store disagree.
    /// </summary>
    private (string Id, string? Owner, bool Exists) ChooseBatch(DbConnection c, DbTransaction t, BatchMembership batch, string scope,
        string key, DateTimeOffset now)
    {
        if (batch.BatchId is { } named)
        {
            var row = c.QueryReused(t, "SELECT state, node_id FROM batches WHERE id = @id;",
                static r => (Open: r.String("state") == "open", Owner: r.NullableString("node_id")), ("@id", named));
            if (row is [{ Open: true } open]) return (named, open.Owner, true);
            if (row is [{ Owner: var closer }] && Mine(closer))
                throw new InvalidOperationException($"Batch {named} is closed; a late instance belongs in a new batch.");
            if (row is [] && OpenBatch(c, t, scope, key, batch.Flow) is { } other && !Mine(other.Owner)) return (other.Id, other.Owner, true);
            if (row is []) return (named, nodeId, false);
        }
        return OpenBatch(c, t, scope, key, batch.Flow) is { } current ? (current.Id, current.Owner, true) : (StoreIds.New(now), nodeId, false);
    }

    private static (string Id, string? Owner)? OpenBatch(DbConnection c, DbTransaction t, string scope, string key, string flow) =>
        c.QueryReused(t, "SELECT id, node_id FROM batches WHERE scope = @scope AND key_uid = @key AND flow = @flow AND state = 'open';",
            static r => (r.String("id"), r.NullableString("node_id")), ("@scope", scope), ("@key", key), ("@flow", flow)) is [var open]
            ? open : null;

    private bool Mine(string? owner) => string.Equals(owner, nodeId, StringComparison.Ordinal);

    public Task<StoredInstance?> GetInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.Query(null, InstanceSelect + " WHERE i.sop_instance_uid = @uid;",
            SqlStoreRows.Instance, ("@uid", sopInstanceUid)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<BatchRecord>> ListOpenBatchesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<BatchRecord>>(c => c.Query(null,
            "SELECT * FROM batches WHERE state = 'open' ORDER BY last_instance_at, id;", SqlStoreRows.Batch),
            cancellationToken);

    public Task<IReadOnlyList<BatchRecord>> ClaimOpenBatchesAsync(string owner, TimeSpan ownerLapse, bool includeOwn,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var cutoff = UtcTime.ToText(database.UtcNow - ownerLapse);
        // A node gone quiet: no heartbeat within the lapse (or never one), and nothing added to the batch since either,
        // so a live node whose heartbeat write was merely late keeps the batch it is still filling.
        var sql = $"""
            UPDATE batches SET node_id = @owner
            WHERE state = 'open' AND ({(includeOwn ? "node_id = @owner OR " : "")}node_id IS NULL
                OR (node_id <> @owner AND last_instance_at <= @cutoff
                    AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.node_id = batches.node_id AND n.seen_at > @cutoff)))
            RETURNING *;
            """;
        return database.WriteAsync<IReadOnlyList<BatchRecord>>((c, t) =>
            [.. c.Query(t, sql, SqlStoreRows.Batch, ("@owner", owner), ("@cutoff", cutoff))
                .OrderBy(b => b.LastInstanceAt).ThenBy(b => b.Id, StringComparer.Ordinal)], cancellationToken);
    }

    public Task<BatchRecord?> GetBatchAsync(string batchId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.Query(null, "SELECT * FROM batches WHERE id = @id;", SqlStoreRows.Batch,
            ("@id", batchId)).FirstOrDefault(), cancellationToken);

    public Task<bool> CloseBatchAsync(string batchId, BatchCloseReason reason, string? detail, CancellationToken cancellationToken)
    {
        var now = UtcTime.ToText(database.UtcNow);
        return database.WriteAsync((c, t) => c.Execute(t, """
            UPDATE batches SET state = 'closed', closed_at = @now, close_reason = @reason, close_detail = @detail
            WHERE id = @id AND state = 'open';
            """, ("@id", batchId), ("@now", now), ("@reason", SqlStoreRows.ReasonText(reason)), ("@detail", detail)) == 1,
            cancellationToken);
    }

    public Task<IReadOnlyList<BatchRecord>> ListClosedBatchesWithoutJobAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<BatchRecord>>(c => c.Query(null, """
            SELECT b.* FROM batches b
            WHERE b.state = 'closed' AND b.no_job_reason IS NULL AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = b.id)
            ORDER BY b.closed_at, b.id;
            """, SqlStoreRows.Batch), cancellationToken);

    public Task MarkBatchWithoutJobAsync(string batchId, string reason, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(t, "UPDATE batches SET no_job_reason = @reason WHERE id = @id;",
            ("@id", batchId), ("@reason", reason)), cancellationToken);

    public Task<IReadOnlyList<StoredInstance>> ListBatchInstancesAsync(string batchId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredInstance>>(c => c.Query(null, $"""
            {InstanceSelect} JOIN batch_instances b ON i.sop_instance_uid = b.sop_instance_uid
            WHERE b.batch_id = @id ORDER BY b.added_at, i.sop_instance_uid;
            """, SqlStoreRows.Instance, ("@id", batchId)), cancellationToken);

    public Task<IReadOnlyList<StudySummary>> ListStudiesAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StudySummary>>(c => c.Query(null, """
            SELECT s.study_uid, p.patient_id, p.patient_name, s.accession_number, s.study_date, s.study_description, s.updated_at,
                (SELECT COUNT(*) FROM series r WHERE r.study_uid = s.study_uid) AS series_count,
                (SELECT COUNT(*) FROM instances i WHERE i.study_uid = s.study_uid) AS instance_count
            FROM studies s JOIN patients p ON p.id = s.patient_ref
            ORDER BY s.updated_at DESC LIMIT @limit;
            """, SqlStoreRows.Study, ("@limit", limit)), cancellationToken);

    public Task<SeriesSummary?> GetSeriesAsync(string seriesInstanceUid, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.Query(null, """
            SELECT r.*, (SELECT COUNT(*) FROM instances i WHERE i.series_uid = r.series_uid) AS instance_count
            FROM series r WHERE r.series_uid = @uid;
            """, SqlStoreRows.Series, ("@uid", seriesInstanceUid)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<StudyMatch>> SearchStudiesAsync(StudyQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return database.ReadAsync<IReadOnlyList<StudyMatch>>(c => SqlStudySearch.Run(c, database.Dialect, query), cancellationToken);
    }

    public Task<IReadOnlyList<SeriesSummary>> ListStudySeriesAsync(string studyInstanceUid, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<SeriesSummary>>(c => c.Query(null, $"""
            SELECT r.*, (SELECT COUNT(*) FROM instances i WHERE i.series_uid = r.series_uid) AS instance_count
            FROM series r WHERE r.study_uid = @uid ORDER BY {database.Dialect.IntegerOrZero("r.series_number")}, r.series_uid;
            """, SqlStoreRows.Series, ("@uid", studyInstanceUid)), cancellationToken);

    public Task<IReadOnlyList<StoredInstance>> ListStudyInstancesAsync(string studyInstanceUid, string? seriesInstanceUid,
        CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredInstance>>(c => c.Query(null, $"""
            {InstanceSelect} WHERE i.study_uid = @study AND (CAST(@series AS TEXT) IS NULL OR i.series_uid = @series)
            ORDER BY {database.Dialect.IntegerOrZero("r.series_number")}, i.series_uid, {database.Dialect.IntegerOrZero("i.instance_number")}, i.sop_instance_uid;
            """, SqlStoreRows.Instance, ("@study", studyInstanceUid), ("@series", seriesInstanceUid)), cancellationToken);
}
