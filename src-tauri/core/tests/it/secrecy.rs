//! Secret ballot against the operator (design/trust.md): copies of the
//! meeting file taken during a round hold who voted, never what; two runs
//! that differ in one voter's choices differ only in ciphertexts.

use crate::voting::{choice, find, open_station_round};
use conclave_core::api::voting::{self, Choice};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The operator copies the database (with its WAL) after every single
/// ballot: no copy holds a choice or a count, only who has voted.
#[test]
fn a_copy_after_each_ballot_reveals_who_voted_never_what() -> anyhow::Result<()> {
    let (d, db, mut conn, ids, round, candidates) = open_station_round()?;
    for (k, member) in ids[..20].iter().enumerate() {
        let choices = candidates.iter().enumerate().map(|(ci, c)| (c.clone(), choice(k, ci))).collect();
        voting::cast(&mut conn, round, member, &choices)?;
        if k == 19 {
            break; // the last ballot closes the box; the copy below is of an open round
        }
        let copy = d.path().join(format!("copy-{k}.db"));
        std::fs::copy(&db, &copy)?;
        let wal = PathBuf::from(format!("{}-wal", db.display()));
        let mut raw = std::fs::read(&db)?;
        if wal.exists() {
            std::fs::copy(&wal, PathBuf::from(format!("{}-wal", copy.display())))?;
            raw.extend(std::fs::read(&wal)?);
        }
        for needle in [&b"\"votes_for\":"[..], b"\"choice\""] {
            assert!(
                find(&raw, needle).is_none(),
                "copy {k}: {:?} is in the file",
                String::from_utf8_lossy(needle)
            );
        }
        let c = conclave_core::store::open_read_only(&copy)?;
        let plain: i64 = c.query_row("SELECT count(*) FROM ballot", [], |r| r.get(0))?;
        let results: i64 = c.query_row("SELECT count(*) FROM result", [], |r| r.get(0))?;
        assert_eq!((plain, results), (0, 0), "copy {k}: no plaintext ballot and no count");
        let voted: i64 = c.query_row("SELECT count(*) FROM voter", [], |r| r.get(0))?;
        let boxed: i64 = c.query_row("SELECT count(*) FROM sealed_ballot", [], |r| r.get(0))?;
        assert_eq!(
            (voted, boxed),
            (k as i64 + 1, k as i64 + 1),
            "copy {k}: who voted, and as many sealed ballots"
        );
    }
    Ok(())
}

/// Every row of every table, as text, with the columns that may differ
/// between two runs for reasons other than a choice masked: when something
/// happened (`at`, `*_at`), and what is made of ciphertexts, proofs and
/// fresh randomness (a sealed ballot's id, tracker and data; the audit
/// chain's hashes, which cover the times).
fn comparable_rows(db: &std::path::Path) -> anyhow::Result<BTreeMap<String, Vec<Vec<String>>>> {
    let c = conclave_core::store::open_read_only(db)?;
    let tables: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let random = |table: &str, column: &str| {
        column == "at"
            || column.ends_with("_at")
            || (table == "sealed_ballot" && matches!(column, "id" | "tracker" | "data"))
            || (table == "audit_log" && matches!(column, "prev_hash" | "entry_hash"))
    };
    let mut out = BTreeMap::new();
    for table in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{table}\""))?;
        let names: Vec<String> = stmt.column_names().into_iter().map(str::to_string).collect();
        let mut rows: Vec<Vec<String>> = stmt
            .query_map([], |r| {
                (0..names.len())
                    .map(|i| {
                        if random(&table, &names[i]) {
                            return Ok("*".to_string());
                        }
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => "NULL".into(),
                            rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                            rusqlite::types::ValueRef::Real(x) => x.to_string(),
                            // A cast's entry carries its ballot's tracker: a hash of
                            // fresh ciphertexts, random like the ballot itself.
                            rusqlite::types::ValueRef::Text(t) if table == "audit_log" => {
                                masked_tracker(&String::from_utf8_lossy(t))
                            }
                            rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                            rusqlite::types::ValueRef::Blob(b) => hex::encode(b),
                        })
                    })
                    .collect()
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.sort();
        out.insert(table, rows);
    }
    Ok(out)
}

/// `text` with the 64 hex digits after `"tracker":"` replaced by `*`.
fn masked_tracker(text: &str) -> String {
    const KEY: &str = "\"tracker\":\"";
    match text.find(KEY) {
        Some(i) if text.len() >= i + KEY.len() + 64 => {
            format!("{}*{}", &text[..i + KEY.len()], &text[i + KEY.len() + 64..])
        }
        _ => text.to_string(),
    }
}

/// Two runs that differ only in one voter's choices (the same meeting,
/// copied before that voter): the two databases differ only in ciphertexts,
/// proofs and fresh randomness, never in anything a choice could be read from.
#[test]
fn two_runs_differing_in_one_voters_choices_differ_only_in_ciphertexts() -> anyhow::Result<()> {
    let (d, db, mut conn, ids, round, candidates) = open_station_round()?;
    for (k, member) in ids[..18].iter().enumerate() {
        let choices = candidates.iter().enumerate().map(|(ci, c)| (c.clone(), choice(k, ci))).collect();
        voting::cast(&mut conn, round, member, &choices)?;
    }
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    drop(conn);
    let mut dumps = Vec::new();
    for (run, pick) in [("a", Choice::For), ("b", Choice::Against)] {
        let dir = d.path().join(run);
        std::fs::create_dir_all(&dir)?;
        let copy = dir.join(conclave_core::store::DB_FILE);
        std::fs::copy(&db, &copy)?;
        let mut conn = conclave_core::store::open(&copy)?;
        let choices = candidates.iter().map(|c| (c.clone(), pick)).collect();
        voting::cast(&mut conn, round, &ids[18], &choices)?;
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        drop(conn);
        dumps.push((copy.clone(), comparable_rows(&copy)?));
    }
    let ((a_db, a), (b_db, b)) = (&dumps[0], &dumps[1]);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (table, rows) in a {
        assert_eq!(rows, &b[table], "table {table} differs between the two runs beyond ciphertexts");
    }
    // And the sealed ballots do differ: the test compares what it should.
    let data = |db: &std::path::Path| -> anyhow::Result<Vec<String>> {
        let c = conclave_core::store::open_read_only(db)?;
        let mut v: Vec<String> = c
            .prepare("SELECT data FROM sealed_ballot ORDER BY data")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        v.sort();
        Ok(v)
    };
    assert_ne!(data(a_db)?, data(b_db)?);
    Ok(())
}
