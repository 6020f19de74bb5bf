-- EdgeCancer archive index, SQLite dialect, version 1.
-- Times are also kept normalised (*_time_n: HHMMSSFFFFFF) so TM values compare by meaning (PS3.4 C.2.2.2.5).
CREATE TABLE patient (
    pk INTEGER PRIMARY KEY,
    patient_id TEXT NOT NULL,
    issuer_of_patient_id TEXT NOT NULL DEFAULT '',
    patient_name TEXT,
    patient_birth_date TEXT,
    patient_sex TEXT,
    extra_json TEXT,
    UNIQUE (patient_id, issuer_of_patient_id)
);
CREATE INDEX ix_patient_name ON patient (patient_name);

CREATE TABLE study (
    pk INTEGER PRIMARY KEY,
    patient_fk INTEGER NOT NULL REFERENCES patient (pk),
    study_instance_uid TEXT NOT NULL UNIQUE,
    study_date TEXT,
    study_time TEXT,
    study_time_n TEXT,
    accession_number TEXT,
    study_id TEXT,
    study_description TEXT,
    referring_physician_name TEXT,
    specific_character_set TEXT,
    extra_json TEXT,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ix_study_patient ON study (patient_fk);
CREATE INDEX ix_study_date ON study (study_date, study_time_n);
CREATE INDEX ix_study_accession ON study (accession_number);

CREATE TABLE series (
    pk INTEGER PRIMARY KEY,
    study_fk INTEGER NOT NULL REFERENCES study (pk),
    series_instance_uid TEXT NOT NULL UNIQUE,
    modality TEXT,
    series_number INTEGER,
    series_description TEXT,
    body_part_examined TEXT,
    manufacturer TEXT,
    manufacturer_model_name TEXT,
    series_date TEXT,
    series_time TEXT,
    series_time_n TEXT,
    extra_json TEXT,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ix_series_study ON series (study_fk, modality);

CREATE TABLE instance (
    pk INTEGER PRIMARY KEY,
    series_fk INTEGER NOT NULL REFERENCES series (pk),
    sop_instance_uid TEXT NOT NULL UNIQUE,
    sop_class_uid TEXT NOT NULL,
    instance_number INTEGER,
    transfer_syntax_uid TEXT,
    content_date TEXT,
    content_time TEXT,
    content_time_n TEXT,
    completion_flag TEXT,
    verification_flag TEXT,
    preliminary_flag TEXT,
    concept_code_value TEXT,
    concept_coding_scheme TEXT,
    concept_code_meaning TEXT,
    image_type TEXT,
    image_rows INTEGER,
    image_columns INTEGER,
    number_of_frames INTEGER,
    file_path TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    sha256 TEXT,
    specific_character_set TEXT,
    extra_json TEXT,
    received_at INTEGER NOT NULL
);
CREATE INDEX ix_instance_series ON instance (series_fk, sop_class_uid);

CREATE TABLE work_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sop_instance_uid TEXT NOT NULL,
    study_instance_uid TEXT NOT NULL,
    series_instance_uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    available_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_work_queue_state ON work_queue (state, available_at, id);

CREATE TABLE remote_ae (
    ae_title TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    allowed_operations INTEGER NOT NULL,
    description TEXT
);
