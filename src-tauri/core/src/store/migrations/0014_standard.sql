-- The application conditions a meeting checks (申报条件, issue 27): the
-- reference date years are counted to (NULL: the meeting date), whether a
-- candidate who does not meet them is barred or only flagged, and the unit's
-- stricter table when one was loaded (its bytes as loaded, name and SHA-256).
CREATE TABLE standard (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    reference_date TEXT,
    flag_only      INTEGER NOT NULL DEFAULT 0 CHECK (flag_only IN (0, 1)),
    unit_name      TEXT,
    unit_sha256    TEXT,
    unit_table     TEXT
) STRICT;

-- 岗位结构比例: the posts of each applied title (code) this meeting may fill.
CREATE TABLE posts (
    title TEXT PRIMARY KEY,
    posts INTEGER NOT NULL CHECK (posts BETWEEN 0 AND 10000)
) STRICT;

-- A meeting made before this step (its meeting row exists while migrating;
-- a new file's is written after) keeps the eligibility it was run with: the
-- conditions only flag there, until the secretary says otherwise.
INSERT INTO standard (id, flag_only) SELECT 1, 1 FROM meeting LIMIT 1;
