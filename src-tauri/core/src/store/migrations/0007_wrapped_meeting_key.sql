-- The meeting's document-signing key wrapped under the chair's passphrase
-- (WrappedSecret JSON, docs/ballot-protocol.md §4.1). Once it is wrapped the
-- clear `secret` is emptied (X''); before the trustees are named it is
-- still in the clear, and the first print after naming them wraps it.
ALTER TABLE meeting_key ADD COLUMN wrapped TEXT;
