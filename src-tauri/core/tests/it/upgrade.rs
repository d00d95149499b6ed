//! Meetings survive a new version: a meeting file made by each released
//! schema (tests/upgrade/schema-N/, made by scripts/make-upgrade-fixture.py
//! with that release's binary) opens with today's code, is migrated in place
//! after a backup copy is made, and shows the same candidates, attendance,
//! recusals and results; its old sealed PDFs still verify. A file from a
//! newer version is refused naming both versions; a migration that fails
//! leaves the file as it was.

use conclave_core::api::verify::verify_pdf;
use conclave_core::api::{candidates, session, voting};
use conclave_core::i18n::Lang;
use conclave_core::store;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

fn fixtures() -> anyhow::Result<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/upgrade");
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    out.retain(|p| p.join("meeting.db").is_file());
    out.sort();
    anyhow::ensure!(!out.is_empty(), "no upgrade fixture checked in");
    Ok(out)
}

/// A copy of a fixture's meeting file in a fresh folder.
fn copy(fixture: &Path) -> anyhow::Result<(tempfile::TempDir, PathBuf)> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(store::DB_FILE);
    std::fs::copy(fixture.join("meeting.db"), &db)?;
    Ok((dir, db))
}

/// What a person sees of a meeting, read with plain SQL (any schema).
#[derive(Debug, PartialEq)]
struct Seen {
    candidates: Vec<(String, String)>,
    present: Vec<(String, bool)>,
    recusals: Vec<(String, String, String)>,
    results: Vec<(i64, String, i64, i64, i64, bool)>,
}

fn seen_by_sql(conn: &Connection) -> anyhow::Result<Seen> {
    fn rows<T>(
        conn: &Connection,
        sql: &str,
        f: impl Fn(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> anyhow::Result<Vec<T>> {
        let mut stmt = conn.prepare(sql)?;
        let out = stmt.query_map([], |r| f(r))?.collect::<rusqlite::Result<Vec<T>>>()?;
        Ok(out)
    }
    Ok(Seen {
        candidates: rows(conn, "SELECT id, name FROM candidate ORDER BY id", |r| Ok((r.get(0)?, r.get(1)?)))?,
        // Attendance is a log: the newest entry of each member says.
        present: rows(
            conn,
            "SELECT m.id, ifnull((SELECT a.present FROM attendance a WHERE a.member_id = m.id
                                  ORDER BY a.seq DESC LIMIT 1), 0)
             FROM member m ORDER BY m.id",
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        recusals: rows(conn, "SELECT member_id, candidate_id, status FROM recusal ORDER BY 1, 2", |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?,
        results: rows(
            conn,
            "SELECT round_id, candidate_id, json_extract(tally, '$.votes_for'), json_extract(tally, '$.against'),
                    json_extract(tally, '$.abstain'), passed FROM result ORDER BY 1, 2",
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?,
    })
}

/// The same, through today's use cases (what the window and the CLI show).
fn seen_by_api(conn: &Connection) -> anyhow::Result<Seen> {
    let mut cands: Vec<(String, String)> =
        candidates::list(conn)?.into_iter().map(|c| (c.id, c.name)).collect();
    cands.sort();
    let mut present: Vec<(String, bool)> =
        session::attendance(conn)?.into_iter().map(|a| (a.id, a.present)).collect();
    present.sort();
    let recusals = session::recusals(conn)?
        .into_iter()
        .map(|r| (r.member_id, r.candidate_id, r.status))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut results = Vec::new();
    for r in voting::session_view(conn)?.rounds {
        for row in r.results {
            let t = row.tally;
            results.push((
                r.id,
                row.candidate_id,
                t.votes_for.into(),
                t.against.into(),
                t.abstain.into(),
                t.passed,
            ));
        }
    }
    results.sort();
    Ok(Seen { candidates: cands, present, recusals, results })
}

fn user_version(db: &Path) -> anyhow::Result<i64> {
    // Read as it is: store::open would migrate the file first.
    Ok(Connection::open(db)?.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

#[test]
fn a_meeting_from_each_released_schema_opens_migrated_and_unchanged() -> anyhow::Result<()> {
    for fixture in fixtures()? {
        let (_dir, db) = copy(&fixture)?;
        let old = user_version(&db)?;
        assert!(old < store::schema_version(), "{}: an older schema", fixture.display());
        let before = seen_by_sql(&*store::open_read_only(&db)?)?;
        assert!(!before.results.is_empty(), "the fixture has a counted round");

        let conn = store::open(&db)?;
        assert_eq!(user_version(&db)?, store::schema_version(), "migrated in place");
        let after = seen_by_api(&conn)?;
        assert_eq!(after.candidates, before.candidates, "{}", fixture.display());
        assert_eq!(after.present, before.present);
        assert_eq!(after.recusals, before.recusals);
        assert_eq!(after.results, before.results);
        // The chain the old version wrote still holds, and goes on.
        conclave_core::audit::verify(&conn)?;
        conclave_core::audit::append(&conn, "test.after_upgrade", &serde_json::json!({}))?;
        conclave_core::audit::verify(&conn)?;

        // The backup is the file as it was.
        let backup = store::backup_path(&db, old);
        assert_eq!(user_version(&backup)?, old);
        assert_eq!(seen_by_sql(&*store::open_read_only(&backup)?)?, before);
        // Opening again keeps that first backup and makes no other.
        drop(conn);
        drop(store::open(&db)?);
        let baks = std::fs::read_dir(db.parent().expect("dir"))?
            .filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".bak")))
            .count();
        assert_eq!(baks, 1);

        for pdf in ["results.pdf", "minutes.pdf"] {
            let v = verify_pdf(&std::fs::read(fixture.join(pdf))?, Lang::Zh);
            assert!(v.authentic, "{}/{pdf}: {:?}", fixture.display(), v.problems);
        }
    }
    Ok(())
}

#[test]
fn a_file_from_a_newer_version_is_refused_naming_both_versions() -> anyhow::Result<()> {
    let fixture = &fixtures()?[0];
    let (_dir, db) = copy(fixture)?;
    let newer = store::schema_version() + 3;
    // Behind the app's back: the file now claims a schema from a newer version.
    Connection::open(&db)?.pragma_update(None, "user_version", newer)?;
    let bytes = std::fs::read(&db)?;
    let e = store::open(&db).expect_err("refused");
    let zh = e.message(Lang::Zh);
    assert!(zh.contains("更新版本") && zh.contains(&newer.to_string()), "{zh}");
    assert!(zh.contains(&store::schema_version().to_string()), "{zh}");
    assert!(e.message(Lang::En).contains("newer version"), "{}", e.message(Lang::En));
    assert_eq!(std::fs::read(&db)?, bytes, "the file is untouched");
    assert!(!store::backup_path(&db, newer).exists());
    Ok(())
}

#[test]
fn a_migration_that_fails_halfway_leaves_the_file_as_it_was() -> anyhow::Result<()> {
    let fixture = &fixtures()?[0];
    let (_dir, db) = copy(fixture)?;
    let old = user_version(&db)?;
    // A table in the way of the last migration: every migration before it
    // runs, then this one fails.
    {
        let c = Connection::open(&db)?;
        c.execute_batch("CREATE TABLE secretary_pin (x INTEGER); PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    let schema = |db: &Path| -> anyhow::Result<Vec<String>> {
        let c = store::open_read_only(db)?;
        let mut stmt =
            c.prepare("SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_schema ORDER BY 1")?;
        let out = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(out)
    };
    let before_schema = schema(&db)?;
    let before = seen_by_sql(&*store::open_read_only(&db)?)?;
    assert!(store::open(&db).is_err(), "the migration fails");
    assert_eq!(user_version(&db)?, old, "no step of it stayed");
    assert_eq!(schema(&db)?, before_schema, "no table or CHECK changed");
    assert_eq!(seen_by_sql(&*store::open_read_only(&db)?)?, before);
    assert!(store::backup_path(&db, old).exists(), "the copy was made first");
    Ok(())
}
