-- Imported packages, candidates, evidence and the committee roster.
CREATE TABLE package (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('dossier', 'committee')),
    source           TEXT NOT NULL,
    manifest_sha256  TEXT NOT NULL UNIQUE,
    header           TEXT NOT NULL DEFAULT '{}',
    imported_at      TEXT NOT NULL
) STRICT;

-- Content-addressed: the file is evidence/<first two hex>/<sha256>.
CREATE TABLE evidence (
    sha256  TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    mime    TEXT NOT NULL
) STRICT;

CREATE TABLE candidate (
    id             TEXT PRIMARY KEY,
    package_id     INTEGER NOT NULL REFERENCES package(id),
    seq            INTEGER NOT NULL,
    name           TEXT NOT NULL,
    organization   TEXT NOT NULL,
    applied_title  TEXT NOT NULL,
    review_group   TEXT,
    track          TEXT,
    data           TEXT NOT NULL
) STRICT;

CREATE TABLE candidate_file (
    candidate_id    TEXT NOT NULL REFERENCES candidate(id),
    achievement_id  TEXT,
    seq             INTEGER NOT NULL,
    title           TEXT,
    path            TEXT NOT NULL,
    sha256          TEXT NOT NULL REFERENCES evidence(sha256)
) STRICT;
CREATE INDEX candidate_file_by_candidate ON candidate_file(candidate_id);

-- Confidential: never printed on public lists.
CREATE TABLE member (
    id            TEXT PRIMARY KEY,
    package_id    INTEGER NOT NULL REFERENCES package(id),
    seq           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    organization  TEXT,
    title         TEXT,
    role          TEXT NOT NULL CHECK (role IN ('chair', 'vice_chair', 'member')),
    review_group  TEXT
) STRICT;
