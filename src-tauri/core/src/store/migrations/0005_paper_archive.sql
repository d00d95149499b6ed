-- The imported manifest (or spreadsheet, or roster) bytes, for the archive.
ALTER TABLE package ADD COLUMN manifest_name TEXT NOT NULL DEFAULT '';
ALTER TABLE package ADD COLUMN manifest BLOB;

-- Paper mode: the counts per candidate as each of two scrutineers entered
-- them. The round is counted only when both entries agree.
CREATE TABLE paper_entry (
    round_id      INTEGER NOT NULL REFERENCES round(id),
    entry         INTEGER NOT NULL CHECK (entry IN (1, 2)),
    scrutineer    TEXT NOT NULL,
    candidate_id  TEXT NOT NULL REFERENCES candidate(id),
    votes_for     INTEGER NOT NULL CHECK (votes_for >= 0),
    against       INTEGER NOT NULL CHECK (against >= 0),
    abstain       INTEGER NOT NULL CHECK (abstain >= 0),
    PRIMARY KEY (round_id, entry, candidate_id)
) STRICT, WITHOUT ROWID;
