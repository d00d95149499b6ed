-- The secretary's own PIN (design/terminals.md, station mode as a kiosk):
-- it unlocks the voting station for a member the secretary picks. Kept as an
-- argon2id PHC string, never the PIN; one row at most.
CREATE TABLE secretary_pin (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hash TEXT NOT NULL,
    set_at TEXT NOT NULL
);
