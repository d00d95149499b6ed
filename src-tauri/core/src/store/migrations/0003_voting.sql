-- Sign-in, recusals, rules, voting rounds and the ballot box.
-- Anonymity: `voter` (who has voted) and `ballot` (what was voted) share no
-- column, carry no time, and are WITHOUT ROWID tables keyed so that their
-- storage order is the member id (voter) or a random key (ballot); the file
-- is vacuumed when a round closes so no freed page keeps insertion order.

CREATE TABLE rules (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    data            TEXT NOT NULL,
    frozen_at       TEXT
) STRICT;

ALTER TABLE member ADD COLUMN pin_hash TEXT;

-- Sign-in events; a member's presence is their latest event.
CREATE TABLE attendance (
    seq        INTEGER PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES member(id),
    present    INTEGER NOT NULL CHECK (present IN (0, 1)),
    at         TEXT NOT NULL
) STRICT;

CREATE TABLE recusal (
    member_id     TEXT NOT NULL REFERENCES member(id),
    candidate_id  TEXT NOT NULL REFERENCES candidate(id),
    status        TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'dismissed')),
    reason        TEXT NOT NULL,
    PRIMARY KEY (member_id, candidate_id)
) STRICT;

CREATE TABLE round (
    id            INTEGER PRIMARY KEY,
    mode          TEXT NOT NULL CHECK (mode IN ('station', 'paper')),
    reason        TEXT NOT NULL DEFAULT '',
    present       INTEGER NOT NULL,
    opened_at     TEXT NOT NULL,
    closed_at     TEXT,
    confirmed_at  TEXT
) STRICT;

CREATE TABLE round_candidate (
    round_id      INTEGER NOT NULL REFERENCES round(id),
    candidate_id  TEXT NOT NULL REFERENCES candidate(id),
    seq           INTEGER NOT NULL,
    PRIMARY KEY (round_id, candidate_id)
) STRICT, WITHOUT ROWID;

-- Who may vote on what in a round (present and not recused when it opened).
CREATE TABLE round_eligible (
    round_id      INTEGER NOT NULL REFERENCES round(id),
    member_id     TEXT NOT NULL REFERENCES member(id),
    candidate_id  TEXT NOT NULL REFERENCES candidate(id),
    PRIMARY KEY (round_id, member_id, candidate_id)
) STRICT, WITHOUT ROWID;

-- The register of who has voted: no time, no link to any ballot.
CREATE TABLE voter (
    round_id   INTEGER NOT NULL REFERENCES round(id),
    member_id  TEXT NOT NULL REFERENCES member(id),
    PRIMARY KEY (round_id, member_id)
) STRICT, WITHOUT ROWID;

-- The ballot box: a random key, no member, no time.
CREATE TABLE ballot (
    id            BLOB PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES round(id),
    candidate_id  TEXT NOT NULL REFERENCES candidate(id),
    choice        TEXT NOT NULL CHECK (choice IN ('for', 'against', 'abstain'))
) STRICT, WITHOUT ROWID;

-- Counted when the round closes; never edited afterwards.
CREATE TABLE result (
    round_id      INTEGER NOT NULL REFERENCES round(id),
    candidate_id  TEXT NOT NULL REFERENCES candidate(id),
    tally         TEXT NOT NULL,
    passed        INTEGER NOT NULL,
    PRIMARY KEY (round_id, candidate_id)
) STRICT;

CREATE TRIGGER result_no_update BEFORE UPDATE ON result
BEGIN SELECT RAISE(ABORT, 'results are final'); END;
CREATE TRIGGER ballot_no_update BEFORE UPDATE ON ballot
BEGIN SELECT RAISE(ABORT, 'ballots are final'); END;
