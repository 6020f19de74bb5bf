-- AI results per image and model set, and per-series summary state (issue 4).
CREATE TABLE ai_result (
    sop_instance_uid TEXT NOT NULL,
    model_set TEXT NOT NULL,
    study_instance_uid TEXT NOT NULL,
    series_instance_uid TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    body_part TEXT,
    body_part_probability REAL,
    chest_probability REAL,
    malignancy_probability REAL,
    instance_number INTEGER,
    models_json TEXT NOT NULL,
    sr_sop_instance_uid TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (sop_instance_uid, model_set)
);
CREATE INDEX ix_ai_result_series ON ai_result (series_instance_uid);

CREATE TABLE ai_series (
    series_instance_uid TEXT PRIMARY KEY,
    study_instance_uid TEXT NOT NULL,
    last_result_at INTEGER NOT NULL,
    summary_due INTEGER NOT NULL DEFAULT 1,
    summary_generation INTEGER NOT NULL DEFAULT 0,
    summary_sop_instance_uid TEXT,
    summary_series_instance_uid TEXT,
    summary_at INTEGER
);
