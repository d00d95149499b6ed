//! The meeting's signing key under the chair's passphrase, checked as a
//! secretary with the files would: once the trustees are named the secret
//! is nowhere in the database, its WAL or an archive; sealing needs the
//! chair's passphrase, and a missing or wrong one changes nothing.

use crate::common::*;
use conclave_core::api::documents::{Document, Options};
use conclave_core::api::{archive, meeting as meetings, print, signing};
use conclave_core::domain::meeting::{Level, NewMeeting};
use conclave_core::i18n::{Lang, Msg};
use std::path::{Path, PathBuf};

/// A meeting with the fixtures imported and 20 members present, no trustees yet.
fn meeting(data: &Path) -> anyhow::Result<PathBuf> {
    let m = meetings::create(
        data,
        &NewMeeting {
            name: "签章密钥会议".into(),
            level: Level::Senior,
            date: "2025-12-05".into(),
            place: "南宁".into(),
        },
        None,
    )?;
    let db = meetings::meeting_dir(data, &m.id)?.join(conclave_core::store::DB_FILE);
    import_fixtures(&db)?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> =
        conclave_core::api::session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids[..20] {
        conclave_core::api::session::set_presence(&mut conn, id, true)?;
    }
    Ok(db)
}

fn clear_secret(conn: &rusqlite::Connection) -> anyhow::Result<Vec<u8>> {
    Ok(conn.query_row("SELECT secret FROM meeting_key", [], |r| r.get(0))?)
}

/// Every file of the meeting's database (the file, its WAL and shared memory).
fn database_bytes(db: &Path) -> anyhow::Result<Vec<u8>> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", db.display()));
        if path.exists() {
            all.extend(std::fs::read(&path)?);
        }
    }
    Ok(all)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn audit_len(conn: &rusqlite::Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}

#[test]
fn naming_the_trustees_wraps_the_key_and_leaves_no_clear_copy() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    let secret = clear_secret(&conn)?;
    assert_eq!(secret.len(), 32, "a new meeting's key is in the clear until the trustees are named");
    let public = print::public_key(&conn)?;
    name_trustees(&mut conn)?;

    assert!(clear_secret(&conn)?.is_empty(), "the clear copy is emptied");
    let wrapped: String = conn.query_row("SELECT wrapped FROM meeting_key", [], |r| r.get(0))?;
    assert!(!wrapped.contains(&hex::encode(&secret)));
    drop(conn);
    let files = database_bytes(&db)?;
    assert!(!contains(&files, &secret), "the secret's bytes are in no file of the database");
    assert!(!contains(&files, hex::encode(&secret).as_bytes()));

    // The chair's passphrase opens the same key: the fingerprint on paper stays.
    let conn = conclave_core::store::open(&db)?;
    let key = signing::unlock(&conn, CHAIR)?;
    assert_eq!(key.secret().as_slice(), secret.as_slice());
    assert_eq!(print::public_key(&conn)?, public);
    Ok(())
}

#[test]
fn sealing_needs_the_chairs_passphrase_and_a_wrong_one_changes_nothing() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round) = meeting_with_round(data.path(), "签章口令会议", sheet_pattern)?;
    let mut conn = conclave_core::store::open(&db)?;
    let before = audit_len(&conn)?;
    let needed = Msg::ChairPassphraseNeeded { name: TRUSTEES[0].0.into() };
    let wrong = Msg::WrongPassphrase { name: TRUSTEES[0].0.into() };
    for doc in [Document::Results, Document::Minutes, Document::Publicity] {
        let e = doc.render(&mut conn, round, Lang::Zh, &Options::default()).expect_err("no passphrase");
        assert_eq!(e.message(Lang::Zh), needed.render(Lang::Zh), "{doc:?}");
        let e = doc
            .render(&mut conn, round, Lang::Zh, &Options { chair: Some(""), ..Default::default() })
            .expect_err("an empty passphrase");
        assert_eq!(e.message(Lang::Zh), needed.render(Lang::Zh), "{doc:?}");
        // A scrutineer's passphrase is not the chair's.
        let e = doc
            .render(&mut conn, round, Lang::Zh, &Options { chair: Some(TRUSTEES[1].1), ..Default::default() })
            .expect_err("a scrutineer's");
        assert_eq!(e.message(Lang::Zh), wrong.render(Lang::Zh), "{doc:?}");
    }
    let out = data.path().join("a.zip");
    let e = archive::export(&db, &out, Lang::Zh, Some("not-the-chair")).expect_err("wrong passphrase");
    assert_eq!(e.message(Lang::En), wrong.render(Lang::En));
    assert!(!out.exists(), "no archive written");
    assert_eq!(audit_len(&conn)?, before, "refusals leave no print in the audit log");

    // Unsealed documents need nothing.
    assert!(Document::SignIn.render(&mut conn, round, Lang::Zh, &Options::default()).is_ok());
    let pdf = Document::Results.render(
        &mut conn,
        round,
        Lang::Zh,
        &Options { chair: CHAIR, ..Default::default() },
    )?;
    let v = conclave_core::api::verify::verify_pdf(&pdf, Lang::Zh);
    assert!(v.authentic, "{:?}", v.problems);
    Ok(())
}

#[test]
fn an_edited_wrapped_key_does_not_sign() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round) = meeting_with_round(data.path(), "改动密钥会议", sheet_pattern)?;
    let conn = conclave_core::store::open(&db)?;
    let wrapped: String = conn.query_row("SELECT wrapped FROM meeting_key", [], |r| r.get(0))?;
    let mut w: serde_json::Value = serde_json::from_str(&wrapped)?;
    // Another meeting's id, and then another public key: neither opens.
    for (field, value) in [("meeting_id", "another".to_string()), ("public", hex::encode([3u8; 32]))] {
        let mut edited = w.clone();
        edited[field] = value.into();
        conn.execute("UPDATE meeting_key SET wrapped = ?1", [edited.to_string()])?;
        assert!(signing::unlock(&conn, CHAIR).is_err(), "edited {field}");
    }
    // A key wrapped under the chair's passphrase but not the meeting's own.
    let other = tempfile::tempdir()?;
    let (other_db, _) = meeting_with_round(other.path(), "另一会议", sheet_pattern)?;
    let theirs: String =
        conclave_core::store::open(&other_db)?
            .query_row("SELECT wrapped FROM meeting_key", [], |r| r.get(0))?;
    conn.execute("UPDATE meeting_key SET wrapped = ?1", [&theirs])?;
    assert!(signing::unlock(&conn, CHAIR).is_err(), "another meeting's key");
    w["kdf"]["m_kib"] = (1u64 << 40).into();
    conn.execute("UPDATE meeting_key SET wrapped = ?1", [w.to_string()])?;
    assert!(signing::unlock(&conn, CHAIR).is_err(), "absurd argon2 memory is refused, not tried");
    let e = Document::Results.render(
        &mut conclave_core::store::open(&db)?,
        round,
        Lang::Zh,
        &Options { chair: CHAIR, ..Default::default() },
    );
    assert!(e.is_err(), "nothing is sealed with an edited key");
    Ok(())
}

#[test]
fn a_key_an_older_version_left_clear_is_wrapped_by_the_first_print() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    let secret = clear_secret(&conn)?;
    name_trustees(&mut conn)?;
    // What an older version left: trustees named, the key in the clear.
    conn.execute("UPDATE meeting_key SET secret = ?1, wrapped = NULL", [&secret])?;
    let e = signing::unlock(&conn, Some("wrong-passphrase")).expect_err("wrong");
    assert_eq!(e.message(Lang::Zh), Msg::WrongPassphrase { name: TRUSTEES[0].0.into() }.render(Lang::Zh));
    assert_eq!(clear_secret(&conn)?, secret, "a wrong passphrase wraps nothing");
    let key = signing::unlock(&conn, CHAIR)?;
    assert_eq!(key.secret().as_slice(), secret.as_slice());
    assert!(clear_secret(&conn)?.is_empty(), "the first unlock wrapped it");
    drop(conn);
    assert!(!contains(&database_bytes(&db)?, &secret), "and no file keeps the clear copy");
    let conn = conclave_core::store::open(&db)?;
    assert!(signing::unlock(&conn, None).is_err());
    assert!(signing::unlock(&conn, CHAIR).is_ok());
    Ok(())
}

#[test]
fn the_archive_holds_neither_the_key_nor_its_wrapping() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let secret = chair_key(&*conclave_core::store::open(&db)?)?.secret().to_vec();
    let out = data.path().join("a.zip");
    archive::export(&db, &out, Lang::Zh, CHAIR)?;
    let copy = entries(&out)?.into_iter().find(|(n, _)| n == conclave_core::store::DB_FILE).expect("db");
    let path = data.path().join("copy.db");
    std::fs::write(&path, &copy.1)?;
    assert!(!contains(&copy.1, &secret));
    // The exported copy is inspected as it is: store::open would migrate and write to it.
    let conn = rusqlite::Connection::open(&path)?;
    let (clear, wrapped): (Vec<u8>, Option<String>) =
        conn.query_row("SELECT secret, wrapped FROM meeting_key", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    assert!(clear.is_empty() && wrapped.is_none(), "nothing to guess the chair's passphrase against");
    Ok(())
}
