-- Member terminals (design/terminals.md). A terminal round is a third mode;
-- the CHECK on round.mode is widened by the migration's hook (store/mod.rs),
-- as SQLite's documentation describes for loosening a constraint.

-- One pairing token per member, printed on the terminal card. Only the
-- SHA-256 of the token is kept; re-issuing replaces it, revoking ends it.
CREATE TABLE terminal_token (
    member_id   TEXT PRIMARY KEY REFERENCES member(id),
    token_hash  TEXT NOT NULL UNIQUE,
    issued_at   TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;

-- The session a token was exchanged for (the terminal's cookie), hashed.
-- One per member: pairing another device ends the first one's session. A
-- session lives only as long as the token it came from.
CREATE TABLE terminal_session (
    session_hash  TEXT PRIMARY KEY,
    member_id     TEXT NOT NULL UNIQUE REFERENCES member(id),
    token_hash    TEXT NOT NULL,
    paired_at     TEXT NOT NULL
) STRICT;

-- The meeting-room server's self-signed TLS certificate, made once per
-- meeting so that the fingerprint on the cards stays right, and the address
-- it was last started on (printed on the cards).
CREATE TABLE host_certificate (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    cert_der     BLOB NOT NULL,
    key_der      BLOB NOT NULL,
    fingerprint  TEXT NOT NULL,
    last_url     TEXT
) STRICT;

-- The candidate the chair is presenting, followed by the terminals.
CREATE TABLE presenting (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    candidate_id  TEXT REFERENCES candidate(id),
    since         TEXT NOT NULL
) STRICT;
