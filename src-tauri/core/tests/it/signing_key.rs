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
fn the_key_ceremony_makes_the_key_and_no_clear_copy_ever_exists() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    let rows: i64 = conn.query_row("SELECT count(*) FROM meeting_key", [], |r| r.get(0))?;
    assert_eq!(rows, 0, "no signing key before the ceremony");
    assert_eq!(print::public_key(&conn)?, None);
    let e = Document::Minutes.render(&mut conn, 1, Lang::Zh, &Options::default()).expect_err("no key yet");
    assert_eq!(e.message(Lang::Zh), Msg::CeremonyFirst.render(Lang::Zh));
    name_trustees(&mut conn)?;

    assert!(clear_secret(&conn)?.is_empty(), "never in the clear");
    let public = print::public_key(&conn)?.expect("made at the ceremony");
    let ceremony = conclave_core::api::trustees::ceremony(&conn)?.expect("recorded");
    assert_eq!(ceremony.signing_key, public);
    assert_eq!(ceremony.signing_fingerprint, conclave_core::print::seal::fingerprint(&public));
    let in_chain: i64 = conn.query_row(
        "SELECT count(*) FROM audit_log WHERE kind = 'key.create' AND entry_hash = ?1 AND detail LIKE ?2",
        [&ceremony.chain_head, &format!("%{public}%")],
        |r| r.get(0),
    )?;
    assert_eq!(in_chain, 1, "the chain records the ceremony's key");
    let key = signing::unlock(&conn, CHAIR)?;
    let secret = key.secret().to_vec();
    drop(conn);
    let files = database_bytes(&db)?;
    assert!(!contains(&files, &secret), "the secret's bytes are in no file of the database");
    assert!(!contains(&files, hex::encode(&secret).as_bytes()));
    Ok(())
}

#[test]
fn two_trustees_unlock_the_seal_when_the_chair_has_left() -> anyhow::Result<()> {
    use signing::Unlock;
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    name_trustees(&mut conn)?;
    let chairs = signing::unlock(&conn, CHAIR)?;
    let [_, b, c] = TRUSTEES;
    let theirs = signing::unlock_by(&conn, Unlock::Trustees([b, c]))?;
    assert_eq!(theirs.secret(), chairs.secret(), "the two scrutineers open the same key");
    let e = signing::unlock_by(&conn, Unlock::Trustees([b, b])).expect_err("one person twice");
    assert_eq!(e.message(Lang::Zh), Msg::SealSameTrustee { name: b.0.into() }.render(Lang::Zh));
    let e =
        signing::unlock_by(&conn, Unlock::Trustees([b, (c.0, "not-their-passphrase")])).expect_err("wrong");
    assert_eq!(e.message(Lang::Zh), Msg::WrongPassphrase { name: c.0.into() }.render(Lang::Zh));
    // An escrow edited in the file opens nothing.
    let escrow: String = conn.query_row("SELECT escrow FROM meeting_key", [], |r| r.get(0))?;
    let mut edited: serde_json::Value = serde_json::from_str(&escrow)?;
    edited["public"] = hex::encode([5u8; 32]).into();
    conn.execute("UPDATE meeting_key SET escrow = ?1", [edited.to_string()])?;
    assert!(signing::unlock_by(&conn, Unlock::Trustees([b, c])).is_err());
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

/// What an older version left: trustees named, the key made with the
/// meeting and recorded then, still in the clear (no ceremony entry).
fn as_an_older_version_left_it(conn: &rusqlite::Connection, secret: &[u8; 32]) -> anyhow::Result<()> {
    let public = hex::encode(ed25519_dalek::SigningKey::from_bytes(secret).verifying_key().to_bytes());
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")?;
    conn.execute("DELETE FROM audit_log WHERE kind = 'key.create'", [])?;
    conn.execute(
        "UPDATE meeting_key SET public = ?1, secret = ?2, wrapped = NULL, escrow = NULL",
        rusqlite::params![public, secret.as_slice()],
    )?;
    // The older version's entry, at creation; the chain is rebuilt over it
    // as that version would have written it.
    conclave_core::audit::append(conn, "key.create", &serde_json::json!({ "public": public }))?;
    rechain(conn)
}

/// Recomputes every entry's hash in order, as an older version's chain
/// would have them (the entries themselves are what matters here).
fn rechain(conn: &rusqlite::Connection) -> anyhow::Result<()> {
    let entries = conclave_core::audit::entries(conn)?;
    conn.execute("DELETE FROM audit_log", [])?;
    let mut prev = conclave_core::audit::GENESIS.to_string();
    for (k, e) in entries.iter().enumerate() {
        let seq = k as i64 + 1;
        let hash = conclave_core::audit::entry_hash(&prev, seq, &e.at, &e.kind, &e.detail);
        conn.execute(
            "INSERT INTO audit_log (seq, at, kind, detail, prev_hash, entry_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![seq, e.at, e.kind, e.detail, prev, hash],
        )?;
        prev = hash;
    }
    Ok(())
}

#[test]
fn a_key_an_older_version_left_clear_is_wrapped_by_the_first_print() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    name_trustees(&mut conn)?;
    let secret = [42u8; 32];
    as_an_older_version_left_it(&conn, &secret)?;
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
fn a_planted_key_is_never_adopted() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    name_trustees(&mut conn)?;
    let genuine = print::public_key(&conn)?.expect("made");
    // The attack: the wrapped column emptied and a key the operator holds
    // planted in the clear, to be wrapped by the chair's next passphrase.
    let planted = [7u8; 32];
    let planted_public =
        hex::encode(ed25519_dalek::SigningKey::from_bytes(&planted).verifying_key().to_bytes());
    conn.execute("UPDATE meeting_key SET secret = ?1, wrapped = NULL", [planted.as_slice()])?;
    let e = signing::unlock(&conn, CHAIR).expect_err("the wrapped key is missing");
    assert!(matches!(e, conclave_core::error::Error::Integrity(_)), "{e:?}");
    // And with its public half too: not the key the chain recorded.
    conn.execute("UPDATE meeting_key SET public = ?1", [&planted_public])?;
    let e = signing::unlock(&conn, CHAIR).expect_err("not the recorded key");
    assert_eq!(e.message(Lang::Zh), Msg::KeyNotRecorded { what: signing::KeyKind::Signing }.render(Lang::Zh));
    let e = Document::Results.render(&mut conn, 1, Lang::Zh, &Options { chair: CHAIR, ..Default::default() });
    assert!(e.is_err(), "nothing is sealed with it");
    let wrapped: Option<String> = conn.query_row("SELECT wrapped FROM meeting_key", [], |r| r.get(0))?;
    assert!(wrapped.is_none(), "never wrapped");
    assert_ne!(genuine, planted_public);
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

#[test]
fn a_key_appended_to_the_chain_after_the_ceremony_is_never_used() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round) = meeting_with_round(data.path(), "追加密钥会议", sheet_pattern)?;
    let mut conn = conclave_core::store::open(&db)?;
    // The operator's own key, wrapped under a passphrase they chose, and a
    // key.create entry appended to the chain for it (appending needs no
    // rewriting: the chain stays whole).
    let mine = [9u8; 32];
    let public = hex::encode(ed25519_dalek::SigningKey::from_bytes(&mine).verifying_key().to_bytes());
    let meeting_id: String = conn.query_row("SELECT id FROM meeting", [], |r| r.get(0))?;
    let wrapped = conclave_ballot::WrappedSecret::wrap(
        "meeting-signing-key",
        &meeting_id,
        ed25519_dalek::SigningKey::from_bytes(&mine).verifying_key().to_bytes(),
        &mine,
        "operator-passphrase",
        conclave_ballot::KdfParams::INSECURE_FOR_TESTS,
        &mut conclave_ballot::OsRng,
    )?;
    conn.execute(
        "UPDATE meeting_key SET public = ?1, wrapped = ?2",
        rusqlite::params![public, serde_json::to_string(&wrapped)?],
    )?;
    conclave_core::audit::append(
        &conn,
        "key.create",
        &serde_json::json!({ "ceremony": 2, "public": public }),
    )?;
    conclave_core::audit::verify(&conn)?;
    let e = signing::unlock(&conn, Some("operator-passphrase")).expect_err("not the ceremony's key");
    assert_eq!(e.message(Lang::Zh), Msg::KeyNotRecorded { what: signing::KeyKind::Signing }.render(Lang::Zh));
    let e = Document::Results.render(
        &mut conn,
        round,
        Lang::Zh,
        &Options { chair: Some("operator-passphrase"), ..Default::default() },
    );
    assert!(e.is_err(), "nothing is sealed with it");
    let ceremony = conclave_core::api::trustees::ceremony(&conn)?.expect("the ceremony");
    assert_ne!(ceremony.signing_key, public, "the ceremony record stays the first");
    Ok(())
}
