-- Viewer accounts, physician corrections (queued for retraining) and the append-only audit trail (issue 5).
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('doctor', 'technologist', 'admin')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name TEXT NOT NULL,
    corrected_at INTEGER NOT NULL,
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
    retrain_queued INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_corrections_image ON corrections (sop_instance_uid, corrected_at);
CREATE INDEX ix_corrections_study ON corrections (study_instance_uid);
CREATE INDEX ix_corrections_retrain ON corrections (retrain_queued, id);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    user_name TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT,
    remote_address TEXT
);
CREATE INDEX ix_audit_at ON audit (at);
CREATE INDEX ix_audit_user ON audit (user_name, at);

-- The audit trail is never edited: any UPDATE or DELETE aborts.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
