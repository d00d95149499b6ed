-- The key ceremony (docs/ballot-protocol.md §4): the document-signing key is
-- made when the trustees are named, never before, and is stored wrapped
-- twice: under the chair's passphrase (`wrapped`) and under the trustees'
-- 2-of-3 escrow (`escrow`, EscrowedSecret JSON), so that two trustees can
-- seal when the chair has left. The clear `secret` column stays empty.
ALTER TABLE meeting_key ADD COLUMN escrow TEXT;
