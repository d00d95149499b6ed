-- The meeting-room server's TLS key is never stored (docs/tls-key.md): it is
-- made in memory each time a Conclave process first serves the meeting and
-- dies with the process, so a copy of this file cannot impersonate the host.
-- An older meeting kept the key in the clear: it is overwritten with zeros
-- here, before its row is dropped (secure_delete is on, so the freed cells
-- and pages are zeroed too), and the certificate it went with is forgotten.
UPDATE host_certificate SET key_der = zeroblob(length(key_der));

-- What is kept is public: the fingerprint of the certificate last served
-- (the one the cards print), whether a server is serving it now, and the
-- address it was started on.
CREATE TABLE host_certificate_0014 (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint  TEXT,
    serving      INTEGER NOT NULL DEFAULT 0 CHECK (serving IN (0, 1)),
    last_url     TEXT
) STRICT;
INSERT INTO host_certificate_0014 (id, last_url) SELECT id, last_url FROM host_certificate;
DROP TABLE host_certificate;
ALTER TABLE host_certificate_0014 RENAME TO host_certificate;
