-- The meeting's Ed25519 key pair: the secret never leaves this file.
CREATE TABLE meeting_key (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    public  TEXT NOT NULL,
    secret  BLOB NOT NULL
) STRICT;
