//! The meeting archive: exported from a finished meeting, verified, refused
//! after any change (a file edited, added or removed, the index re-signed by
//! another key), and opened read-only.

use crate::common::*;
use conclave_core::api::{archive, meeting, session};
use conclave_core::i18n::msg::KeyKind;
use conclave_core::i18n::{Lang, Msg};
use std::path::Path;

#[test]
fn an_exported_archive_verifies_and_holds_the_whole_meeting() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    // The terminals' secrets exist on the laptop: a card paired, a session, the server's key.
    let (session_secret, tls_key, secretary_hash) = {
        use conclave_core::api::terminals;
        let mut conn = conclave_core::store::open(&db)?;
        let cert = terminals::host::identity(&db, &[])?;
        terminals::host::record_start(&mut conn, &cert, "https://127.0.0.1:8443/t/")?;
        let cards = terminals::issue_cards(&mut conn)?;
        let (session, _) = terminals::pair(&mut conn, &cards[0].token)?;
        let hash: String = conn.query_row("SELECT hash FROM secretary_pin", [], |r| r.get(0))?;
        (session, cert.key_der().to_vec(), hash)
    };
    let out = data.path().join("归档.zip");
    let summary = archive::export(&db, &out, Lang::Zh, CHAIR)?;
    assert!(summary.files > 10);
    let v = archive::verify(&out, Lang::Zh);
    assert!(v.authentic, "{:?}", v.problems);

    let names: Vec<String> = entries(&out)?.into_iter().map(|(n, _)| n).collect();
    for want in [
        "index.json",
        "index.sig",
        "meeting.db",
        "public-key.txt",
        "roster.json",
        "ballots.json",
        "audit.json",
        "pdf/minutes.pdf",
        "pdf/publicity.pdf",
        "pdf/results-round-1.pdf",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    assert_eq!(names.iter().filter(|n| n.starts_with("manifests/")).count(), 2, "dossier and roster");
    let conn = conclave_core::store::open(&db)?;
    let evidence: usize = conn.query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))?;
    assert_eq!(names.iter().filter(|n| n.starts_with("evidence/")).count(), evidence);

    // No secret leaves the laptop: the archived database has no key and no PIN hashes.
    let all = entries(&out)?;
    let dbcopy = data.path().join("copy.db");
    std::fs::write(&dbcopy, &all.iter().find(|(n, _)| n == "meeting.db").expect("db").1)?;
    let copy = conclave_core::store::open_read_only(&dbcopy)?;
    let secret: Vec<u8> = copy.query_row("SELECT secret FROM meeting_key", [], |r| r.get(0))?;
    assert!(secret.is_empty());
    let real = chair_key(&conn)?.secret().to_vec();
    let raw = std::fs::read(&dbcopy)?;
    assert!(!raw.windows(real.len()).any(|w| w == real.as_slice()), "the secret is nowhere in the file");
    // Nor the terminals' secrets: the server's TLS key, sessions, card tokens, the secretary's PIN.
    assert!(
        !raw.windows(tls_key.len()).any(|w| w == tls_key.as_slice()),
        "the TLS key is nowhere in the file"
    );
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains(&secretary_hash), "the secretary's PIN hash");
    let count = |sql: &str| -> anyhow::Result<i64> { Ok(copy.query_row(sql, [], |r| r.get(0))?) };
    assert_eq!(count("SELECT count(*) FROM terminal_session")?, 0);
    assert_eq!(count("SELECT count(*) FROM secretary_pin")?, 0);
    assert_eq!(count("SELECT count(*) FROM terminal_token WHERE token_hash NOT LIKE 'archived:%'")?, 0);
    assert_eq!(count("SELECT count(*) FROM terminal_token")?, 25, "who had a card stays");
    assert!(!text.contains(&session_secret));
    // The encrypted ballots are there, sorted by tracker, with no member.
    let boxes: serde_json::Value =
        serde_json::from_slice(&all.iter().find(|(n, _)| n == "sealed-ballots.json").expect("ballots").1)?;
    let ballots = boxes["rounds"][0]["ballots"].as_array().expect("ballots");
    assert_eq!(ballots.len(), 20);
    assert!(ballots.iter().all(|b| b.as_object().is_some_and(|o| o.len() == 2 && o.contains_key("lines"))));
    let v = archive::verify(&out, Lang::En);
    assert_eq!(v.ballots_checked, 20, "every ballot's proofs are checked");

    Ok(())
}

#[test]
fn any_change_to_an_archive_is_found_and_listed() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let out = data.path().join("a.zip");
    archive::export(&db, &out, Lang::En, CHAIR)?;
    let original = entries(&out)?;

    type Change = Box<dyn Fn(&mut Vec<(String, Vec<u8>)>)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "a ballot changed",
            Box::new(|e| {
                let b = &mut e.iter_mut().find(|(n, _)| n == "sealed-ballots.json").expect("ballots").1;
                let text = String::from_utf8_lossy(b).replacen("\"a\": \"", "\"a\": \"0", 1);
                *b = text.into_bytes();
            }),
        ),
        (
            "an evidence file changed",
            Box::new(|e| {
                let b = &mut e.iter_mut().find(|(n, _)| n.starts_with("evidence/")).expect("evidence").1;
                b[0] ^= 1;
            }),
        ),
        ("a file added", Box::new(|e| e.push(("extra.txt".into(), b"hello".to_vec())))),
        ("a file removed", Box::new(|e| e.retain(|(n, _)| n != "roster.json"))),
        (
            "the index edited",
            Box::new(|e| {
                let b = &mut e.iter_mut().find(|(n, _)| n == "index.json").expect("index").1;
                let text = String::from_utf8_lossy(b).replacen("\"size\": ", "\"size\": 1", 1);
                *b = text.into_bytes();
            }),
        ),
    ];
    for (what, change) in cases {
        let mut changed = original.clone();
        change(&mut changed);
        let path = data.path().join("changed.zip");
        rewrite(&path, &changed)?;
        let v = archive::verify(&path, Lang::En);
        assert!(!v.authentic && !v.problems.is_empty(), "{what} must be found");
    }

    // An audit entry edited and the index re-signed with another key: the
    // chain breaks and the PDFs' key no longer matches the index.
    let mut changed = original.clone();
    let audit = &mut changed.iter_mut().find(|(n, _)| n == "audit.json").expect("audit").1;
    *audit = String::from_utf8_lossy(audit).replacen("signin.in", "signin.out", 1).into_bytes();
    let mut index: serde_json::Value =
        serde_json::from_slice(&changed.iter().find(|(n, _)| n == "index.json").expect("index").1)?;
    let (secret, public) = conclave_core::print::seal::new_key().expect("randomness");
    let audit_bytes = changed.iter().find(|(n, _)| n == "audit.json").expect("audit").1.clone();
    for f in index["files"].as_array_mut().expect("files") {
        if f["path"] == "audit.json" {
            f["sha256"] = sha(&audit_bytes).into();
            f["size"] = audit_bytes.len().into();
        }
    }
    index["public_key"] = hex::encode(public).into();
    let text = serde_json::to_string_pretty(&index)?;
    let sig = conclave_core::print::seal::sign(&text, &secret).signature;
    for (n, b) in changed.iter_mut() {
        match n.as_str() {
            "index.json" => *b = text.clone().into_bytes(),
            "index.sig" => *b = sig.clone().into_bytes(),
            "public-key.txt" => *b = hex::encode(public).into_bytes(),
            _ => {}
        }
    }
    let path = data.path().join("resigned.zip");
    rewrite(&path, &changed)?;
    let v = archive::verify(&path, Lang::En);
    assert!(!v.authentic);
    assert!(v.problems.iter().any(|p| p.contains("Audit") || p.contains("audit")), "{:?}", v.problems);
    assert!(v.problems.iter().any(|p| p.contains("pdf/")), "{:?}", v.problems);
    // And the index's key is not the one the key ceremony recorded in the chain.
    let named = Msg::KeyNotRecorded { what: KeyKind::Signing }.render(Lang::En);
    assert!(v.problems.contains(&named), "{:?}", v.problems);

    assert!(!archive::verify(Path::new("/nonexistent.zip"), Lang::En).authentic);
    Ok(())
}

#[test]
fn an_archive_opens_read_only() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let out = data.path().join("a.zip");
    archive::export(&db, &out, Lang::Zh, CHAIR)?;
    let other = tempfile::tempdir()?;
    let opened = archive::open(other.path(), &out, Lang::Zh)?;
    assert!(opened.read_only);
    assert_eq!(opened.name, "2025年度实验系列高级职称评审会");
    let listed = meeting::list(other.path())?;
    assert_eq!(listed.len(), 1);
    assert!(listed[0].read_only);
    let mut conn = meeting::open(other.path(), &opened.id)?;
    assert_eq!(conclave_core::api::candidates::list(&conn)?.len(), 8);
    assert_eq!(conclave_core::api::voting::rounds(&conn)?.len(), 1);
    let someone = session::attendance(&conn)?[0].id.clone();
    let err = session::set_presence(&mut conn, &someone, true).expect_err("read-only");
    assert!(err.message(Lang::Zh).contains("只能查看"), "{}", err.message(Lang::Zh));
    // Evidence re-hashes in the copy.
    let sha: String = conn.query_row("SELECT sha256 FROM evidence LIMIT 1", [], |r| r.get(0))?;
    assert!(conclave_core::api::evidence::open(other.path(), &opened.id, &sha).is_ok());
    // The opened copy keeps its meeting's id, so every ballot's proofs check
    // in it, as in the zip.
    {
        use conclave_core::api::{tally, trustees};
        let original: String =
            conclave_core::store::open(&db)?.query_row("SELECT id FROM meeting", [], |r| r.get(0))?;
        assert_eq!(trustees::meeting_id(&conn)?, original);
        assert_ne!(opened.id, original, "the folder is the copy's own handle");
        let keys = trustees::require_keys(&conn)?;
        let ballots = tally::ballots(&conn, 1)?;
        let summed = tally::sum_box(&keys, &tally::context(&conn, 1)?, ballots.iter().map(|(_, b)| b));
        assert!(summed.refused.is_empty(), "{:?}", summed.refused);
        assert_eq!(summed.trackers.len(), 20);
    }

    // A changed archive does not open, and leaves nothing behind.
    let mut e = entries(&out)?;
    e.retain(|(n, _)| n != "audit.json");
    let bad = data.path().join("bad.zip");
    rewrite(&bad, &e)?;
    let third = tempfile::tempdir()?;
    assert!(archive::open(third.path(), &bad, Lang::Zh).is_err());
    assert!(meeting::list(third.path())?.is_empty());
    Ok(())
}

/// The handle of a meeting opened from an archive refuses a change before
/// SQLite is touched, with the words the window shows; so does exporting
/// it again. The file stays byte for byte as it was opened.
#[test]
fn an_opened_archive_refuses_a_write_through_the_handle_and_changes_nothing() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let out = data.path().join("a.zip");
    archive::export(&db, &out, Lang::Zh, CHAIR)?;
    let other = tempfile::tempdir()?;
    let opened = archive::open(other.path(), &out, Lang::Zh)?;
    let dir = meeting::meeting_dir(other.path(), &opened.id)?;
    let file = dir.join(conclave_core::store::DB_FILE);
    let listing = |dir: &Path| -> anyhow::Result<Vec<std::ffi::OsString>> {
        let mut names: Vec<_> =
            std::fs::read_dir(dir)?.map(|e| e.map(|e| e.file_name())).collect::<Result<_, _>>()?;
        names.sort();
        Ok(names)
    };
    let (bytes, files) = (std::fs::read(&file)?, listing(&dir)?);

    let mut conn = meeting::open(other.path(), &opened.id)?;
    assert!(conn.is_read_only(), "a meeting opened from an archive is read-only");
    let audit_len = |c: &conclave_core::store::Connection| -> anyhow::Result<i64> {
        Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
    };
    let entries_before = audit_len(&conn)?;
    let Err(err) = conn.write() else { anyhow::bail!("the handle must refuse to write to an archive") };
    assert!(
        err.message(Lang::Zh).contains("只能查看"),
        "ReadOnlyArchive expected, got {}",
        err.message(Lang::Zh)
    );
    let err = archive::ready_to_export(&conn, conclave_core::api::signing::Sealer::chair(CHAIR))
        .expect_err("an archive is not exported again");
    assert!(
        err.message(Lang::Zh).contains("只能查看"),
        "ReadOnlyArchive expected, got {}",
        err.message(Lang::Zh)
    );
    assert_eq!(audit_len(&conn)?, entries_before, "nothing logged");
    drop(conn);

    let again = data.path().join("again.zip");
    let err = archive::export(&file, &again, Lang::Zh, CHAIR).expect_err("an archive is not exported again");
    assert!(
        err.message(Lang::Zh).contains("只能查看"),
        "ReadOnlyArchive expected, got {}",
        err.message(Lang::Zh)
    );
    assert!(!again.exists(), "no zip written");
    assert_eq!(listing(&dir)?, files, "no file added to the opened meeting's folder (no WAL, no backup)");
    assert!(std::fs::read(&file)? == bytes, "the database is byte for byte as it was opened");
    Ok(())
}

#[test]
fn no_archive_while_a_round_is_open() -> anyhow::Result<()> {
    let (data, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids[..20] {
        session::set_presence(&mut conn, id, true)?;
    }
    let pin = chair_pin(&mut conn)?;
    let round = conclave_core::api::voting::open_round(
        &mut conn,
        &[],
        "",
        conclave_core::api::voting::Mode::Station,
        &pin,
    )?;
    // One member votes: an archive now would hold that member's ballot alone.
    let lines = conclave_core::api::voting::ballot_for(&conn, round, &ids[0])?;
    let choices =
        lines.iter().map(|l| (l.candidate_id.clone(), conclave_core::api::voting::Choice::For)).collect();
    conclave_core::api::voting::cast(&mut conn, round, &ids[0], &choices)?;
    let out = data.path().join("early.zip");
    let err = archive::export(&db, &out, Lang::Zh, CHAIR).expect_err("round open");
    assert!(err.message(Lang::Zh).contains("尚未结束"), "{}", err.message(Lang::Zh));
    assert!(!out.exists());
    assert!(std::fs::read_dir(data.path())?
        .flatten()
        .all(|e| !e.file_name().to_string_lossy().contains("partial")));
    Ok(())
}
