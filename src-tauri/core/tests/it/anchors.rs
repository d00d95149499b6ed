//! Trust anchored outside the meeting file (issue 24), tried as an operator
//! with the file and `sqlite3` would: a swapped election key, a ballot
//! replaced mid-round, each refused by the core or named by `verify`.

use crate::common::*;
use conclave_core::api::{session, tally, trustees, voting};
use conclave_core::error::Error;
use conclave_core::i18n::{msg::KeyKind, Lang, Msg};
use sha2::Digest;
use std::path::{Path, PathBuf};

/// The fixtures' meeting, 20 present, the trustees named, a station round
/// open over every candidate; returns the database, the round and the members.
fn open_round(data: &Path) -> anyhow::Result<(PathBuf, i64, Vec<String>)> {
    let db = meeting(data)?;
    let (_, round, ids) = open_station_round(&db, |_| Ok(()))?;
    Ok((db, round, ids[..20].to_vec()))
}

fn choices(
    conn: &rusqlite::Connection,
    round: i64,
    k: usize,
) -> anyhow::Result<std::collections::BTreeMap<String, voting::Choice>> {
    let candidates = voting::round_status(conn, round)?.candidates;
    Ok(candidates.iter().enumerate().map(|(ci, c)| (c.clone(), pattern(k, ci))).collect())
}

#[test]
fn a_swapped_election_key_encrypts_and_accepts_nothing() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round, ids) = open_round(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    let c = choices(&conn, round, 0)?;
    voting::cast(&mut conn, round, &ids[0], &c)?;

    // The operator's key, from another meeting whose secret they could hold.
    let other = tempfile::tempdir()?;
    let (other_db, _, _) = open_round(other.path())?;
    let theirs: String =
        conclave_core::store::open(&other_db)?
            .query_row("SELECT keys FROM election_key", [], |r| r.get(0))?;
    let ours: String = conn.query_row("SELECT keys FROM election_key", [], |r| r.get(0))?;
    conn.execute("UPDATE election_key SET keys = ?1", [&theirs])?;
    let refused = Msg::KeyNotRecorded { what: KeyKind::Election };
    let c1 = choices(&conn, round, 1)?;
    let e = voting::cast(&mut conn, round, &ids[1], &c1).expect_err("swapped key");
    assert!(matches!(e, Error::Integrity(_)), "{e:?}");
    assert_eq!(e.message(Lang::Zh), refused.render(Lang::Zh));
    let e = trustees::require_keys(&conn).expect_err("no ballot sheet carries it");
    assert_eq!(e.message(Lang::En), refused.render(Lang::En));
    // A ballot made under the swapped key, as a terminal served it would be.
    let keys: conclave_ballot::TrusteeKeys = serde_json::from_str(&theirs)?;
    let ctx = tally::context(&conn, round)?;
    let lines: Vec<(String, conclave_ballot::Choice)> =
        choices(&conn, round, 1)?.iter().map(|(c, v)| (c.clone(), v.sealed())).collect();
    let ballot = conclave_ballot::encrypt_ballot(keys.joint(), &ctx, &lines, &mut conclave_ballot::OsRng)?;
    let e = voting::cast_sealed(&mut conn, round, &ids[1], &ballot).expect_err("not accepted");
    assert!(matches!(e, Error::Integrity(_)), "{e:?}");
    assert_eq!(conclave_core::store::ballot_box::voters(&conn, round)?.len(), 1, "nothing entered the box");

    // Put back, the meeting goes on.
    conn.execute("UPDATE election_key SET keys = ?1", [&ours])?;
    voting::cast(&mut conn, round, &ids[1], &c1)?;
    Ok(())
}

#[test]
fn each_cast_enters_the_chain_and_the_member_sees_its_head() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round, ids) = open_round(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    let c = choices(&conn, round, 0)?;
    let receipt = voting::cast(&mut conn, round, &ids[0], &c)?;
    let (kind, detail, hash): (String, String, String) = conn.query_row(
        "SELECT kind, detail, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    assert_eq!(kind, "ballot.cast");
    assert!(detail.contains(&receipt.tracker_hex), "{detail}");
    assert!(!detail.contains(&ids[0]), "the entry never names the member: {detail}");
    assert_eq!(receipt.chain_head_hex, hash, "the head the member sees includes their ballot");
    assert_eq!(receipt.chain_head, conclave_core::audit::short(&hash));
    let tracker =
        conclave_ballot::Tracker::from_bytes(hex::decode(&receipt.tracker_hex)?.try_into().unwrap());
    let again = voting::already_cast(&conn, round, &ids[0], &tracker)?.expect("a retry gets its receipt");
    assert_eq!(again.chain_head_hex, hash);
    Ok(())
}

#[test]
fn a_ballot_replaced_mid_round_is_not_counted_and_verify_names_it() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round, ids) = open_round(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    for (k, m) in ids.iter().enumerate().take(19) {
        let c = choices(&conn, round, k)?;
        voting::cast(&mut conn, round, m, &c)?;
    }
    // The operator replaces member 0's stored ballot with a valid one of
    // their own making, for the same round, under the right key.
    let keys = trustees::require_keys(&conn)?;
    let ctx = tally::context(&conn, round)?;
    let lines: Vec<(String, conclave_ballot::Choice)> = voting::round_status(&conn, round)?
        .candidates
        .iter()
        .map(|c| (c.clone(), conclave_ballot::Choice::Against))
        .collect();
    let forged = conclave_ballot::encrypt_ballot(keys.joint(), &ctx, &lines, &mut conclave_ballot::OsRng)?;
    let victim: String = conn.query_row(
        "SELECT tracker FROM sealed_ballot WHERE round_id = ?1 ORDER BY tracker LIMIT 1",
        [round],
        |r| r.get(0),
    )?;
    conn.execute_batch("DROP TRIGGER sealed_ballot_no_delete;")?;
    conn.execute("DELETE FROM sealed_ballot WHERE tracker = ?1", [&victim])?;
    conn.execute(
        "INSERT INTO sealed_ballot (id, round_id, tracker, data) VALUES (randomblob(16), ?1, ?2, ?3)",
        rusqlite::params![round, forged.tracker().to_hex(), serde_json::to_string(&forged)?],
    )?;
    let c = choices(&conn, round, 19)?;
    voting::cast(&mut conn, round, &ids[19], &c)?;
    assert!(voting::round_status(&conn, round)?.closed_at.is_some(), "the last vote closed the box");

    let e = tally::tally_round(&mut conn, round, [TRUSTEES[0], TRUSTEES[1]]).expect_err("not counted");
    assert!(matches!(e, Error::Integrity(Msg::ArchiveCastsDiffer { .. })), "{e:?}");
    assert!(conclave_core::store::ballot_box::results(&conn, round)?.is_empty(), "no result recorded");

    // Had the tally been run by an older binary, the archive's verify names it:
    // the box's sealed ballots against the chain's casts.
    let boxes = conclave_core::api::archive::ballots::export(&conn)?;
    let entries = conclave_core::audit::entries(&conn)?;
    let rules = session::rules(&conn)?.0;
    let checked = conclave_core::api::archive::ballots::verify(&boxes, &[], &entries, &rules, Lang::Zh);
    let named = checked.problems.iter().any(|p| p.contains("票箱与审计链中逐张记录的投票不一致"));
    assert!(named, "{:?}", checked.problems);
    Ok(())
}

#[test]
fn a_guessable_trustee_passphrase_is_refused_and_nothing_is_made() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    import_fixtures(&db)?;
    let mut conn = conclave_core::store::open(&db)?;
    let [a, b, c] = TRUSTEES;
    let e = trustees::setup(&mut conn, [a.0, b.0, c.0], [a.1, "zhangsan1965", c.1]).expect_err("guessable");
    assert_eq!(
        e.message(Lang::Zh),
        Msg::PassphraseWeak { name: b.0.into(), min_bits: 80 }.render(Lang::Zh),
        "the refusal names the trustee, never the passphrase"
    );
    assert!(!e.message(Lang::En).contains("zhangsan"));
    assert!(trustees::list(&conn)?.is_empty() && trustees::keys(&conn)?.is_none(), "nothing made");
    // A generated one always passes.
    let generated = conclave_core::api::passphrase::generate();
    trustees::setup(&mut conn, [a.0, b.0, c.0], [a.1, &generated, c.1])?;
    Ok(())
}

#[test]
fn honest_reprints_carry_the_same_code_and_head() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round) = meeting_with_round(data.path(), "重印会议", sheet_pattern)?;
    let conn = conclave_core::store::open(&db)?;
    let key = chair_key(&conn)?;
    let sealed = |pdf: &[u8]| -> anyhow::Result<(String, serde_json::Value)> {
        let seal = conclave_core::print::seal::read(&lopdf::Document::load_mem(pdf)?).expect("sealed");
        Ok((conclave_core::print::seal::code(&seal.data), serde_json::from_str(&seal.data)?))
    };
    let print = conclave_core::api::print::results_sheet;
    let (code1, data1) = sealed(&print(&conn, &key, round, Lang::Zh)?)?;
    let minutes1 = sealed(&conclave_core::api::print::minutes(&conn, &key, Lang::Zh)?)?;
    // Printing is logged in the chain; the documents do not change for it.
    let (code2, data2) = sealed(&print(&conn, &key, round, Lang::Zh)?)?;
    let minutes2 = sealed(&conclave_core::api::print::minutes(&conn, &key, Lang::Zh)?)?;
    assert_eq!(data1["audit_head"], data2["audit_head"]);
    assert_eq!(code1, code2, "two prints of the same round agree");
    assert_eq!(minutes1.0, minutes2.0, "two prints of the same minutes agree");
    // The head a results sheet prints is the round's own last entry, in the chain.
    let head = data1["audit_head"].as_str().expect("a head").to_string();
    let kind: String =
        conn.query_row("SELECT kind FROM audit_log WHERE entry_hash = ?1", [&head], |r| r.get(0))?;
    assert!(kind.starts_with("round."), "{kind}");
    Ok(())
}

#[test]
fn a_pin_verifier_written_into_the_file_opens_nothing() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round, ids) = open_round(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    conclave_core::api::session::issue_pins(&mut conn)?;
    // The operator writes a verifier of a PIN they know for a member who has
    // not voted (this version's argon2id form, and an earlier version's
    // SHA-256), to cast in their name.
    let victim = &ids[4];
    let mine = {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        argon2::Argon2::default()
            .hash_password(b"999999", &SaltString::generate(&mut OsRng))
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .to_string()
    };
    let old_form = hex::encode(sha2::Sha256::digest(format!("conclave-pin\0{victim}\0999999").as_bytes()));
    for planted in [mine, old_form] {
        conn.execute("UPDATE member SET pin_hash = ?1 WHERE id = ?2", [&planted, victim])?;
        let e = voting::unlock(&conn, round, voting::Unlock::OwnPin("999999")).expect_err("not recorded");
        assert!(matches!(e, Error::Integrity(Msg::PinNotRecorded { .. })), "{e:?}");
        assert!(e.message(Lang::Zh).contains(victim.as_str()), "{}", e.message(Lang::Zh));
    }
    // A re-issued slip is recorded, and opens.
    let slip = conclave_core::api::session::reissue_pin(&mut conn, victim)?;
    assert_eq!(voting::unlock(&conn, round, voting::Unlock::OwnPin(&slip.pin))?.member_id, *victim);
    Ok(())
}
