//! The audit log: append-only and hash-chained, so that an edited, deleted
//! or reordered entry is detected by [`verify`]. Entries never name a member
//! next to a ballot, nor carry a ballot's content.

use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An entry's hash: SHA-256 over the length-prefixed previous hash, number, time, kind and detail.
pub fn entry_hash(prev: &str, seq: i64, at: &str, kind: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, kind, detail] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry; call it inside the transaction of the change it records.
pub fn append(conn: &Connection, kind: &str, detail: &serde_json::Value) -> Result<String> {
    if !conn.is_autocommit() {
        return append_in(conn, kind, detail);
    }
    // Called outside a transaction: reading the chain's head and writing
    // the next entry must not interleave with another writer's.
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match append_in(conn, kind, detail) {
        Ok(hash) => {
            conn.execute_batch("COMMIT")?;
            Ok(hash)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn append_in(conn: &Connection, kind: &str, detail: &serde_json::Value) -> Result<String> {
    let (seq, prev) = match store::audit::head(conn)? {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let detail = detail.to_string();
    let hash = entry_hash(&prev, seq, &at, kind, &detail);
    store::audit::insert(
        conn,
        &Entry { seq, at, kind: kind.to_string(), detail, prev_hash: prev, entry_hash: hash.clone() },
    )?;
    Ok(hash)
}

pub use crate::store::audit::Entry;

/// A chain head as people compare it on screens and paper: the first eight
/// hex digits, upper case, in two groups (`3F2A-91BC`).
pub fn short(hash: &str) -> String {
    let h = hash.get(..8).unwrap_or(hash).to_uppercase();
    match h.split_at_checked(4) {
        Some((a, b)) => format!("{a}-{b}"),
        None => h,
    }
}

/// The chain's head now (the genesis hash for an empty chain).
pub fn head(conn: &Connection) -> Result<String> {
    Ok(store::audit::head(conn)?.map(|(_, h)| h).unwrap_or_else(|| GENESIS.to_string()))
}

/// The whole log, in order.
pub fn entries(conn: &Connection) -> Result<Vec<Entry>> {
    store::audit::entries(conn)
}

/// Walks a chain of entries; returns the final hash, or the first broken
/// entry's number.
pub fn check_chain(entries: &[Entry]) -> Result<String, i64> {
    let mut prev = GENESIS.to_string();
    for (k, e) in entries.iter().enumerate() {
        if e.seq != k as i64 + 1
            || e.prev_hash != prev
            || entry_hash(&prev, e.seq, &e.at, &e.kind, &e.detail) != e.entry_hash
        {
            return Err(e.seq);
        }
        prev = e.entry_hash.clone();
    }
    Ok(prev)
}

/// Whether an entry records only that something was printed or exported:
/// such entries do not change what a document says.
fn is_output(kind: &str) -> bool {
    kind.starts_with("print.") || kind == "archive.export"
}

/// The head a document prints: the hash (and number) of the last entry that
/// changed the meeting, not a print or an export of it. Two prints of the
/// same state carry the same head, so their codes agree. The chain is
/// checked first, as [`verify`] does.
pub fn document_head(conn: &Connection) -> Result<(i64, String)> {
    let all = entries(conn)?;
    check_chain(&all).map_err(|seq| Error::Integrity(Msg::AuditChainBroken { seq }))?;
    Ok(all
        .iter()
        .rev()
        .find(|e| !is_output(&e.kind))
        .map(|e| (e.seq, e.entry_hash.clone()))
        .unwrap_or((0, GENESIS.to_string())))
}

/// The head a round's results sheet prints: the hash of round `round`'s
/// last entry (its opening, closing, tally, confirmation or paper entries),
/// so every print of that round's results carries the same head.
pub fn round_head(conn: &Connection, round: i64) -> Result<String> {
    let all = entries(conn)?;
    check_chain(&all).map_err(|seq| Error::Integrity(Msg::AuditChainBroken { seq }))?;
    let of_round = |e: &&Entry| {
        (e.kind.starts_with("round.") || e.kind.starts_with("paper."))
            && serde_json::from_str::<serde_json::Value>(&e.detail)
                .ok()
                .and_then(|d| d.get("round").and_then(|r| r.as_i64()))
                == Some(round)
    };
    Ok(all.iter().rev().find(of_round).map(|e| e.entry_hash.clone()).unwrap_or_else(|| GENESIS.to_string()))
}

/// The document-signing key the chain recorded: the public key (hex) of its
/// `key.create` entry, and whether that entry is a key ceremony's. A
/// meeting's key ceremony happens once and nothing makes a key after it, so
/// a `key.create` appended after the ceremony's is refused (`Err` with its
/// number): the ceremony's key stands, whatever was appended. Before the
/// ceremony (older versions), the last `key.create` is the key.
pub fn recorded_signing_key(entries: &[Entry]) -> Result<Option<(String, bool)>, i64> {
    let mut found: Option<(String, bool)> = None;
    for e in entries.iter().filter(|e| e.kind == "key.create") {
        if found.as_ref().is_some_and(|(_, ceremony)| *ceremony) {
            return Err(e.seq);
        }
        let detail: serde_json::Value = serde_json::from_str(&e.detail).map_err(|_| e.seq)?;
        let public = detail.get("public").and_then(|p| p.as_str()).ok_or(e.seq)?;
        found = Some((public.to_string(), detail.get("ceremony").is_some()));
    }
    Ok(found)
}

/// Walks the meeting's chain; returns the final hash, or the first broken entry.
pub fn verify(conn: &Connection) -> Result<String> {
    check_chain(&entries(conn)?).map_err(|seq| Error::Integrity(Msg::AuditChainBroken { seq }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> anyhow::Result<(tempfile::TempDir, crate::store::Meeting)> {
        let dir = tempfile::tempdir()?;
        let conn = crate::store::open(&dir.path().join("m.db"))?;
        Ok((dir, conn))
    }

    #[test]
    fn chain_verifies_and_detects_an_edited_entry() -> anyhow::Result<()> {
        let (_d, conn) = db()?;
        for i in 0..3 {
            append(&conn, "test", &serde_json::json!({ "i": i }))?;
        }
        let last = verify(&conn)?;
        assert_ne!(last, GENESIS);
        // Bypass the append-only triggers as an attacker with the file would.
        conn.execute_batch(
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{\"i\":9}' WHERE seq = 2;",
        )?;
        match verify(&conn) {
            Err(Error::Integrity(Msg::AuditChainBroken { seq })) => assert_eq!(seq, 2),
            other => panic!("edited entry 2 must break the chain, got {other:?}"),
        }
        Ok(())
    }

    #[test]
    fn chain_detects_a_deleted_entry() -> anyhow::Result<()> {
        let (_d, conn) = db()?;
        for i in 0..3 {
            append(&conn, "test", &serde_json::json!({ "i": i }))?;
        }
        conn.execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;")?;
        assert!(verify(&conn).is_err(), "a deleted entry must break the chain");
        Ok(())
    }

    #[test]
    fn log_refuses_update_and_delete() -> anyhow::Result<()> {
        let (_d, conn) = db()?;
        append(&conn, "test", &serde_json::json!({}))?;
        assert!(conn.execute("UPDATE audit_log SET kind = 'x'", []).is_err());
        assert!(conn.execute("DELETE FROM audit_log", []).is_err());
        Ok(())
    }
}
