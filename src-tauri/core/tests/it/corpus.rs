//! The verifiers' shared corpus: an honest archive and tampered copies of
//! it, each with the step of docs/verification.md at which it must fail.
//! `conclave verify` is held to that step here; the same files, written to
//! `test-output/verifier-corpus/` with `expected.json`, are what
//! `tests/e2e/specs/verifier.test.mjs` opens in `verifier.html`, so both
//! verifiers are held to the same step.
//!
//! Every tampering but the unsigned ones is signed again with the meeting's
//! own key (the operator who also has the chair's passphrase: the strongest
//! insider), so it passes V1 and V2 and must be caught by what it changed.

use crate::common::*;
use conclave_core::api::archive::{self, ArchiveVerdict};
use conclave_core::i18n::Lang;
use conclave_core::print::seal;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

type Entries = Vec<(String, Vec<u8>)>;

/// The index rewritten after `files` changed: each listed file's hash and
/// size recomputed (entries no longer in the zip keep theirs), then signed
/// by `secret` (its public key named in the index when `rename_key`).
fn resign(
    files: &mut Entries,
    secret: &[u8; 32],
    rename_key: bool,
    edit: impl Fn(&mut Value),
) -> anyhow::Result<()> {
    let mut index: Value = serde_json::from_slice(&body(files, "index.json")?)?;
    let signed = seal::sign("", secret);
    if rename_key {
        index["public_key"] = json!(signed.public_key);
        set(files, "public-key.txt", format!("{}\n", signed.public_key).into_bytes());
    }
    for f in index["files"].as_array_mut().into_iter().flatten() {
        if let Some((_, b)) = files.iter().find(|(n, _)| Some(n.as_str()) == f["path"].as_str()) {
            f["sha256"] = json!(hex::encode(Sha256::digest(b)));
            f["size"] = json!(b.len());
        }
    }
    edit(&mut index);
    let text = serde_json::to_string_pretty(&index)?;
    let sig = seal::sign(&text, secret).signature;
    set(files, "index.json", text.into_bytes());
    set(files, "index.sig", format!("{sig}\n").into_bytes());
    Ok(())
}

fn body(files: &Entries, name: &str) -> anyhow::Result<Vec<u8>> {
    Ok(files.iter().find(|(n, _)| n == name).ok_or_else(|| anyhow::anyhow!("no {name}"))?.1.clone())
}

fn set(files: &mut Entries, name: &str, bytes: Vec<u8>) {
    match files.iter_mut().find(|(n, _)| n == name) {
        Some(f) => f.1 = bytes,
        None => files.push((name.into(), bytes)),
    }
}

fn json_of(files: &Entries, name: &str) -> anyhow::Result<Value> {
    Ok(serde_json::from_slice(&body(files, name)?)?)
}

fn set_json(files: &mut Entries, name: &str, v: &Value) -> anyhow::Result<()> {
    set(files, name, serde_json::to_vec_pretty(v)?);
    Ok(())
}

/// One hex digit of `s` changed (a valid hex string stays hex).
fn flip_hex(s: &str, at: usize) -> String {
    let mut b = s.as_bytes().to_vec();
    b[at] = if b[at] == b'0' { b'1' } else { b'0' };
    String::from_utf8(b).expect("hex")
}

/// A fresh, valid ballot for the same lines as `like`, under the
/// meeting's election key: its proofs hold, but no member cast it.
fn fresh_ballot(boxes: &Value, round: u32, like: &Value) -> anyhow::Result<Value> {
    use conclave_ballot::{encrypt_ballot, Choice, Context, OsRng, TrusteeKeys};
    let keys: TrusteeKeys = serde_json::from_value(boxes["keys"].clone())?;
    let ctx = Context::new(boxes["meeting_id"].as_str().unwrap_or_default().to_string(), round);
    let choices: Vec<(String, Choice)> = like["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| (l["candidate"].as_str().unwrap_or_default().to_string(), Choice::For))
        .collect();
    Ok(serde_json::to_value(encrypt_ballot(keys.joint(), &ctx, &choices, &mut OsRng)?)?)
}

/// The tamperings, each a name, the step it must fail first, and the change.
fn tamperings(
    files: &Entries,
    secret: &[u8; 32],
    minutes: &[u8],
) -> anyhow::Result<Vec<(&'static str, &'static str, Entries)>> {
    let mut out = Vec::new();
    let mut case = |name, step, change: &dyn Fn(&mut Entries) -> anyhow::Result<()>| -> anyhow::Result<()> {
        let mut f = files.clone();
        change(&mut f)?;
        out.push((name, step, f));
        Ok(())
    };
    case("honest", "", &|_| Ok(()))?;
    case("ballot-changed", "V7", &|f| {
        let mut b = json_of(f, "sealed-ballots.json")?;
        let a = &mut b["rounds"][0]["ballots"][3]["lines"][0]["options"][1]["b"];
        *a = json!(flip_hex(a.as_str().unwrap_or_default(), 10));
        set_json(f, "sealed-ballots.json", &b)?;
        resign(f, secret, false, |_| {})
    })?;
    case("box-swap", "V8", &|f| {
        let mut b = json_of(f, "sealed-ballots.json")?;
        let round = b["rounds"][0]["round"].as_u64().unwrap_or(1) as u32;
        let fresh = fresh_ballot(&b, round, &b["rounds"][0]["ballots"][0])?;
        b["rounds"][0]["ballots"][0] = fresh;
        set_json(f, "sealed-ballots.json", &b)?;
        resign(f, secret, false, |_| {})
    })?;
    case("key-swap", "V4", &|f| resign(f, &[7u8; 32], true, |_| {}))?;
    case("attendance-edited", "V5", &|f| {
        let mut a = json_of(f, "attendance.json")?;
        let row = a.as_array_mut().and_then(|r| r.last_mut()).ok_or_else(|| anyhow::anyhow!("no rows"))?;
        row["present"] = json!(if row["present"] == json!(1) { 0 } else { 1 });
        set_json(f, "attendance.json", &a)?;
        resign(f, secret, false, |_| {})
    })?;
    case("chain-rewritten", "V3", &|f| {
        let mut a = json_of(f, "audit.json")?;
        let e = &mut a[2];
        e["at"] = json!("2025-12-05T09:00:00Z");
        set_json(f, "audit.json", &a)?;
        resign(f, secret, false, |_| {})
    })?;
    case("pdf-byte", "V13", &|f| {
        let mut pdf = body(f, "pdf/minutes.pdf")?;
        let at = pdf.len() / 3;
        pdf[at] ^= 0x01;
        set(f, "pdf/minutes.pdf", pdf);
        resign(f, secret, false, |_| {})
    })?;
    case("minutes-resealed", "V13", &|f| {
        set(f, "pdf/minutes.pdf", minutes.to_vec());
        resign(f, secret, false, |_| {})
    })?;
    case("file-missing", "V2", &|f| {
        f.retain(|(n, _)| n != "roster.json");
        Ok(())
    })?;
    case("file-extra", "V2", &|f| {
        f.push(("notes.txt".into(), b"added after the export\n".to_vec()));
        Ok(())
    })?;
    case("paper-ballot-changed", "V12", &|f| {
        let mut b = json_of(f, "ballots.json")?;
        let row = b
            .as_array_mut()
            .and_then(|r| r.first_mut())
            .ok_or_else(|| anyhow::anyhow!("no paper ballots"))?;
        row["choice"] = json!(if row["choice"] == json!("for") { "against" } else { "for" });
        set_json(f, "ballots.json", &b)?;
        resign(f, secret, false, |_| {})
    })?;
    case("spec-0", "", &|f| {
        resign(f, secret, false, |i| {
            i.as_object_mut().map(|o| o.remove("spec"));
        })
    })?;
    case("spec-unknown", "V1", &|f| resign(f, secret, false, |i| i["spec"] = json!(2)))?;
    case("index-unsigned", "V1", &|f| {
        let mut idx = json_of(f, "index.json")?;
        idx["meeting"]["name"] = json!("另一个会议");
        set(f, "index.json", serde_json::to_vec_pretty(&idx)?);
        Ok(())
    })?;
    Ok(out)
}

/// The fixtures' finished meeting (a station round), then a confirmed
/// recusal and a paper round re-voting the candidates who failed, both
/// scrutineers entering the same counts: every kind of round and entry the
/// steps read.
fn corpus_meeting(data: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    use conclave_core::api::{session, voting};
    let (db, ids) = finished_meeting(data)?;
    let mut conn = conclave_core::store::open(&db)?;
    let failed: Vec<String> = voting::round_status(&conn, 1)?
        .results
        .iter()
        .filter(|r| !r.tally.passed)
        .map(|r| r.candidate_id.clone())
        .collect();
    session::set_recusal(&mut conn, &ids[3], &failed[0], true, "")?;
    let pins = conclave_core::api::pins::issue_pins(&mut conn)?;
    let pin =
        |k: usize| pins.iter().find(|p| p.member_id == ids[k]).map(|p| p.pin.clone()).unwrap_or_default();
    let chair = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &failed, "复议", voting::Mode::Paper, &chair)?;
    let counts = failed
        .iter()
        .map(|c| (c.clone(), voting::PaperCount { votes_for: 13, against: 3, abstain: 2 }))
        .collect();
    voting::enter_paper_counts(&mut conn, round, 1, &pin(5), &counts)?;
    voting::enter_paper_counts(&mut conn, round, 2, &pin(6), &counts)?;
    let chair = chair_pin(&mut conn)?;
    voting::confirm_round(&mut conn, round, &chair)?;
    Ok(db)
}

fn first_failed(v: &ArchiveVerdict) -> String {
    v.failed_steps().next().map(|s| s.id.clone()).unwrap_or_default()
}

/// The corpus folder, shared with the browser test.
fn corpus_dir() -> std::path::PathBuf {
    workspace().join("test-output").join("verifier-corpus")
}

#[test]
fn conclave_verify_fails_each_tampered_archive_at_its_step() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = corpus_meeting(data.path())?;
    let honest = data.path().join("honest.zip");
    archive::export(&db, &honest, Lang::Zh, CHAIR)?;
    let conn = conclave_core::store::open(&db)?;
    let key = chair_key(&conn)?;
    let secret = *key.secret();
    // Minutes sealed by the meeting's own key after an absent member was
    // marked present behind the chain's back (the operator with sqlite3).
    let absent: String = conn.query_row(
        "SELECT id FROM member WHERE id NOT IN (SELECT member_id FROM attendance) ORDER BY id LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO attendance (member_id, present, at) VALUES (?1, 1, '2025-12-05T01:00:00Z')",
        [&absent],
    )?;
    let minutes = conclave_core::api::print::minutes(&conn, &key, Lang::Zh)?;
    drop(conn);
    let files = entries(&honest)?;
    assert_eq!(
        body(&files, "verifier.html")?,
        archive::VERIFIER_HTML.as_bytes(),
        "the archive carries the committed verifier page"
    );
    let dir = corpus_dir();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut expected = serde_json::Map::new();
    let mut wrong = Vec::new();
    for (name, step, f) in tamperings(&files, &secret, &minutes)? {
        let path = dir.join(format!("{name}.zip"));
        rewrite(&path, &f)?;
        let v = archive::verify(&path, Lang::Zh);
        let failed: Vec<&str> = v.failed_steps().map(|s| s.id.as_str()).collect();
        if first_failed(&v) != step || v.authentic != step.is_empty() {
            wrong.push(format!("{name}: expected {step:?}, failed {failed:?}: {:?}", v.problems));
        }
        expected.insert(name.into(), json!({ "first": step, "rust_failed": failed }));
    }
    // The fingerprint typed from a key ceremony sheet that is not this meeting's: V4.
    let other = "0000 1111 2222 3333 4444 5555 6666 7777";
    let checked = conclave_core::api::verify::verify_file(&dir.join("honest.zip"), Lang::Zh, Some(other))?;
    let conclave_core::api::verify::Checked::Archive(v) = checked else { anyhow::bail!("an archive") };
    let failed: Vec<&str> = v.failed_steps().map(|s| s.id.as_str()).collect();
    if failed != ["V4"] {
        wrong.push(format!("wrong-key: expected [\"V4\"], failed {failed:?}"));
    }
    expected.insert(
        "wrong-key".into(),
        json!({ "zip": "honest", "key": other, "first": "V4", "rust_failed": failed }),
    );
    std::fs::write(dir.join("expected.json"), serde_json::to_vec_pretty(&expected)?)?;
    assert!(wrong.is_empty(), "each archive fails first at its step:\n{}", wrong.join("\n"));
    Ok(())
}

/// An honest archive reports every step run and passed, with what each counted.
#[test]
fn an_honest_archive_passes_every_step() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let out = data.path().join("a.zip");
    archive::export(&db, &out, Lang::En, CHAIR)?;
    let v = archive::verify(&out, Lang::En);
    assert!(v.authentic, "{:?}", v.problems);
    assert_eq!(v.steps.len(), 13, "V1–V13");
    for s in &v.steps {
        assert!(s.ran && s.passed && s.problems.is_empty(), "{} ran and passed: {s:?}", s.id);
    }
    let count = |id: &str| v.steps.iter().find(|s| s.id == id).map(|s| s.count);
    assert_eq!(count("V7"), Some(20), "the 20 ballots of the round");
    assert_eq!(count("V2"), Some(v.files), "every listed file");
    Ok(())
}
