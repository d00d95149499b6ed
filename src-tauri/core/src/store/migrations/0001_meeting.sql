-- One meeting per database file: the meeting row, its rules and the audit log.
CREATE TABLE meeting (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    series      TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL CHECK (level IN ('senior', 'intermediate', 'junior')),
    date        TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
) STRICT;

-- Append-only, hash-chained: entry_hash = SHA-256(prev_hash || seq || kind || detail).
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    entry_hash  TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
