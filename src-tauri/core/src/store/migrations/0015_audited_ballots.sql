-- Ballots members audited (检验, "audit or cast", issue 28): spoiled, never
-- counted, kept with the randomness their terminal released so that anyone
-- can read what they encrypted (docs/ballot-protocol.md, section 11). Like
-- the box, this table names no member and no time: the chain's
-- `ballot.spoil` entries give the order.
CREATE TABLE spoiled_ballot (
    id            BLOB PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES round(id),
    tracker       TEXT NOT NULL,
    data          TEXT NOT NULL,
    randomness    TEXT NOT NULL,
    UNIQUE (round_id, tracker)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER spoiled_ballot_no_update BEFORE UPDATE ON spoiled_ballot
BEGIN SELECT RAISE(ABORT, 'audited ballots are final'); END;
CREATE TRIGGER spoiled_ballot_no_delete BEFORE DELETE ON spoiled_ballot
BEGIN SELECT RAISE(ABORT, 'audited ballots are final'); END;
