namespace Conduit.Pipeline.Store;

/// <summary>The first schema; docs/pipeline-internals.md describes each table.</summary>
internal static class SchemaV1
{
    public const string Sql = """
        CREATE TABLE patients (
            id                   TEXT PRIMARY KEY,
            patient_id           TEXT NOT NULL,
            issuer_of_patient_id TEXT NOT NULL,
            patient_name         TEXT,
            birth_date           TEXT,
            sex                  TEXT,
            created_at           TEXT NOT NULL,
            updated_at           TEXT NOT NULL,
            UNIQUE (patient_id, issuer_of_patient_id)
        );

        CREATE TABLE studies (
            study_uid         TEXT PRIMARY KEY,
            patient_ref       TEXT NOT NULL REFERENCES patients (id),
            accession_number  TEXT,
            study_date        TEXT,
            study_description TEXT,
            created_at        TEXT NOT NULL,
            updated_at        TEXT NOT NULL
        );

        CREATE TABLE series (
            series_uid         TEXT PRIMARY KEY,
            study_uid          TEXT NOT NULL REFERENCES studies (study_uid),
            modality           TEXT,
            series_number      TEXT,
            series_description TEXT,
            expected_instances INTEGER,
            created_at         TEXT NOT NULL,
            updated_at         TEXT NOT NULL
        );
        CREATE INDEX series_study ON series (study_uid);

        CREATE TABLE instances (
            sop_instance_uid    TEXT PRIMARY KEY,
            series_uid          TEXT NOT NULL REFERENCES series (series_uid),
            study_uid           TEXT NOT NULL REFERENCES studies (study_uid),
            sop_class_uid       TEXT NOT NULL,
            transfer_syntax_uid TEXT NOT NULL,
            instance_number     TEXT,
            source              TEXT NOT NULL,
            calling_ae          TEXT,
            called_ae           TEXT,
            association_id      TEXT,
            received_at         TEXT NOT NULL,
            size_bytes          INTEGER NOT NULL,
            path                TEXT NOT NULL
        );
        CREATE INDEX instances_series ON instances (series_uid);
        CREATE INDEX instances_study ON instances (study_uid);

        -- A batch groups the instances of one series (or study) that one flow will see as one unit.
        -- At most one open batch per scope, key and flow: a late instance after close opens a new one.
        CREATE TABLE batches (
            id                  TEXT PRIMARY KEY,
            scope               TEXT NOT NULL CHECK (scope IN ('series', 'study')),
            key_uid             TEXT NOT NULL,
            flow                TEXT NOT NULL,
            study_uid           TEXT NOT NULL,
            state               TEXT NOT NULL CHECK (state IN ('open', 'closed')),
            opened_at           TEXT NOT NULL,
            last_instance_at    TEXT NOT NULL,
            last_association_id TEXT,
            instance_count      INTEGER NOT NULL,
            closed_at           TEXT,
            close_reason        TEXT,
            close_detail        TEXT
        );
        CREATE UNIQUE INDEX batches_one_open ON batches (scope, key_uid, flow) WHERE state = 'open';
        CREATE INDEX batches_state ON batches (state, last_instance_at);

        CREATE TABLE batch_instances (
            batch_id         TEXT NOT NULL REFERENCES batches (id),
            sop_instance_uid TEXT NOT NULL,
            added_at         TEXT NOT NULL,
            PRIMARY KEY (batch_id, sop_instance_uid)
        );

        CREATE TABLE jobs (
            id           TEXT PRIMARY KEY,
            flow_name    TEXT NOT NULL,
            flow_version TEXT NOT NULL,
            priority     INTEGER NOT NULL,
            batch_id     TEXT REFERENCES batches (id),
            study_uid    TEXT,
            status       TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            started_at   TEXT,
            ended_at     TEXT,
            updated_at   TEXT NOT NULL,
            error        TEXT,
            attempts     INTEGER NOT NULL DEFAULT 0,
            work_dir     TEXT
        );
        CREATE INDEX jobs_status ON jobs (status, created_at);
        CREATE INDEX jobs_flow ON jobs (flow_name, created_at);
        CREATE INDEX jobs_study ON jobs (study_uid);

        CREATE TABLE job_steps (
            job_id     TEXT NOT NULL REFERENCES jobs (id),
            name       TEXT NOT NULL,
            ordinal    INTEGER NOT NULL,
            status     TEXT NOT NULL,
            started_at TEXT,
            ended_at   TEXT,
            exit_code  INTEGER,
            timed_out  INTEGER NOT NULL DEFAULT 0,
            log_tail   TEXT,
            error      TEXT,
            PRIMARY KEY (job_id, name)
        );

        CREATE TABLE job_destinations (
            job_id          TEXT NOT NULL REFERENCES jobs (id),
            name            TEXT NOT NULL,
            status          TEXT NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT,
            next_attempt_at TEXT,
            sent_at         TEXT,
            updated_at      TEXT NOT NULL,
            PRIMARY KEY (job_id, name)
        );

        -- An instance acknowledged by a destination for a job is never sent there again for that job.
        CREATE TABLE destination_sends (
            job_id           TEXT NOT NULL REFERENCES jobs (id),
            destination      TEXT NOT NULL,
            sop_instance_uid TEXT NOT NULL,
            acknowledged_at  TEXT NOT NULL,
            PRIMARY KEY (job_id, destination, sop_instance_uid)
        );

        CREATE TABLE job_events (
            id          TEXT PRIMARY KEY,
            job_id      TEXT NOT NULL REFERENCES jobs (id),
            at          TEXT NOT NULL,
            entity      TEXT NOT NULL CHECK (entity IN ('job', 'step', 'destination')),
            name        TEXT,
            from_status TEXT,
            to_status   TEXT NOT NULL,
            message     TEXT
        );
        CREATE INDEX job_events_job ON job_events (job_id, id);

        CREATE TABLE webhook_deliveries (
            id              TEXT PRIMARY KEY,
            job_id          TEXT NOT NULL REFERENCES jobs (id),
            url             TEXT NOT NULL,
            status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            response_status INTEGER,
            last_error      TEXT,
            created_at      TEXT NOT NULL,
            next_attempt_at TEXT,
            delivered_at    TEXT
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

        -- The durable queue (Queue/SqlJobQueue). A row is a queued or leased job; it is deleted on completion.
        CREATE TABLE job_queue (
            job_id           TEXT PRIMARY KEY,
            priority         INTEGER NOT NULL,
            sequence         TEXT NOT NULL,
            enqueued_at      TEXT NOT NULL,
            available_at     TEXT NOT NULL,
            lease_owner      TEXT,
            lease_token      TEXT,
            lease_expires_at TEXT,
            dequeue_count    INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX job_queue_order ON job_queue (priority DESC, sequence);
        """;
}
