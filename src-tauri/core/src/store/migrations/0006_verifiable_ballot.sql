-- The verifiable secret ballot (docs/ballot-protocol.md). The trustees (the
-- chair and two scrutineers) hold 2-of-3 shares of the meeting's election
-- key, each wrapped under its holder's passphrase; the secret itself was
-- never stored. Station ballots are encrypted and proved: the box holds
-- ciphertexts under random keys, with no member, no time and no choice.

CREATE TABLE trustee (
    idx           INTEGER PRIMARY KEY CHECK (idx IN (1, 2, 3)),
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('chair', 'scrutineer')),
    member_id     TEXT REFERENCES member(id),
    wrapped       TEXT NOT NULL
) STRICT;

-- The joint public key and each share's public value (TrusteeKeys JSON).
CREATE TABLE election_key (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    keys          TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE sealed_ballot (
    id            BLOB PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES round(id),
    tracker       TEXT NOT NULL,
    data          TEXT NOT NULL,
    UNIQUE (round_id, tracker)
) STRICT, WITHOUT ROWID;

-- Per candidate: the summed ciphertexts, both trustees' partial
-- decryptions with their proofs, and the counts they give.
CREATE TABLE decryption (
    round_id      INTEGER NOT NULL REFERENCES round(id),
    candidate_id  TEXT NOT NULL REFERENCES candidate(id),
    data          TEXT NOT NULL,
    PRIMARY KEY (round_id, candidate_id)
) STRICT;

-- The box root (SHA-256 over the sorted trackers) once the box is closed.
ALTER TABLE round ADD COLUMN box_root TEXT;
ALTER TABLE round ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER sealed_ballot_no_update BEFORE UPDATE ON sealed_ballot
BEGIN SELECT RAISE(ABORT, 'ballots are final'); END;
CREATE TRIGGER sealed_ballot_no_delete BEFORE DELETE ON sealed_ballot
BEGIN SELECT RAISE(ABORT, 'ballots are final'); END;
CREATE TRIGGER decryption_no_update BEFORE UPDATE ON decryption
BEGIN SELECT RAISE(ABORT, 'decryptions are final'); END;
CREATE TRIGGER trustee_no_update BEFORE UPDATE ON trustee
BEGIN SELECT RAISE(ABORT, 'trustees are final'); END;
