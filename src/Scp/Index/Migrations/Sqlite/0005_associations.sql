-- DICOM associations the SCP served (the viewer's association list), pruned by AssociationRecorder; and indexes for
-- the viewer's change feed (studies changed and AI results since a time).
CREATE TABLE association_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    calling_ae TEXT NOT NULL,
    called_ae TEXT NOT NULL,
    peer_address TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL,
    instances_stored INTEGER NOT NULL DEFAULT 0,
    instances_refused INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX ix_association_log_started ON association_log (started_at);

CREATE INDEX ix_study_updated ON study (updated_at);
CREATE INDEX ix_ai_result_created ON ai_result (created_at);
