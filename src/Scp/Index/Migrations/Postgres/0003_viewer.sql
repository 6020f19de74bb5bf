-- Viewer accounts, physician corrections (queued for retraining) and the append-only audit trail (issue 5).
CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('doctor', 'technologist', 'admin')),
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE corrections (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name TEXT NOT NULL,
    corrected_at BIGINT NOT NULL,
    sop_instance_uid TEXT NOT NULL,
    study_instance_uid TEXT NOT NULL,
    series_instance_uid TEXT NOT NULL,
    model_set TEXT NOT NULL,
    model_version TEXT NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('body-part', 'malignancy')),
    old_label TEXT,
    new_label TEXT NOT NULL,
    comment TEXT,
    corrected_sr_uid TEXT NOT NULL,
    retrain_queued BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX ix_corrections_image ON corrections (sop_instance_uid, corrected_at);
CREATE INDEX ix_corrections_study ON corrections (study_instance_uid);
CREATE INDEX ix_corrections_retrain ON corrections (retrain_queued, id);

CREATE TABLE audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    user_name TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT,
    remote_address TEXT
);
CREATE INDEX ix_audit_at ON audit (at);
CREATE INDEX ix_audit_user ON audit (user_name, at);

-- The audit trail is never edited: any UPDATE, DELETE or TRUNCATE raises.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit is append-only';
END;
$$;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
