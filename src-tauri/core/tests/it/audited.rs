//! Audited ballots (检验, issue 28): a ballot a member audits is spoiled —
//! recorded in the chain as `ballot.spoil`, never in the box, never counted —
//! and its released randomness shows in the window what it encrypted. The
//! member still casts one counted ballot; a replayed audit, a cast of an
//! audited ballot and an audit of a cast one are refused.

use crate::common::*;
use conclave_core::api::{tally, trustees, voting};
use conclave_core::i18n::{Lang, Msg};
use conclave_core::store;
use std::collections::BTreeMap;

fn chain_len(conn: &rusqlite::Connection) -> anyhow::Result<i64> {
    Ok(store::audit::count(conn)?)
}

/// A ballot for `member` with every line `choice`, and its randomness.
fn revealable(
    conn: &rusqlite::Connection,
    round: i64,
    member: &str,
    choice: voting::Choice,
) -> anyhow::Result<(conclave_ballot::Ballot, conclave_ballot::BallotRandomness)> {
    let keys = trustees::require_keys(conn)?;
    let ctx = tally::context(conn, round)?;
    let lines: Vec<(String, conclave_ballot::Choice)> = voting::ballot_for(conn, round, member)?
        .into_iter()
        .map(|l| (l.candidate_id, choice.sealed()))
        .collect();
    Ok(conclave_ballot::encrypt_ballot_revealable(keys.joint(), &ctx, &lines, &mut conclave_ballot::OsRng)?)
}

#[test]
fn an_audited_ballot_is_never_counted_and_shows_its_choices() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let (mut conn, round, ids) = open_station_round(&db, |_| Ok(()))?;
    let candidates = voting::round_status(&conn, round)?.candidates;

    // Member 0 audits a ballot of all 不同意 (the cast ballots below never say against).
    let (ballot, randomness) = revealable(&conn, round, &ids[0], voting::Choice::Against)?;
    let before = chain_len(&conn)?;
    let receipt = voting::spoil(&mut conn, round, &ids[0], &ballot, &randomness)?;
    assert_eq!(chain_len(&conn)?, before + 1, "one chain entry per audit");
    let spoils = store::audit::details_of_kind(&conn, "ballot.spoil")?;
    let entry: serde_json::Value = serde_json::from_str(&spoils[0])?;
    assert_eq!(
        entry,
        serde_json::json!({ "round": round, "tracker": receipt.tracker_hex }),
        "round and tracker, no member"
    );
    assert!(!spoils[0].contains(&ids[0]), "the chain never names who audited");

    // Replayed: refused, nothing written.
    let e = voting::spoil(&mut conn, round, &ids[0], &ballot, &randomness).expect_err("a replayed audit");
    assert_eq!(e.message(Lang::Zh), Msg::AuditAgain { tracker: receipt.tracker.clone() }.render(Lang::Zh));
    assert_eq!(chain_len(&conn)?, before + 1, "a refused replay writes nothing");
    // Its randomness is public: it can never be cast.
    let e = voting::cast_sealed(&mut conn, round, &ids[0], &ballot).expect_err("an audited ballot cast");
    assert_eq!(e.message(Lang::En), Msg::CastAudited { tracker: receipt.tracker.clone() }.render(Lang::En));
    assert!(!store::ballot_box::has_voted(&conn, round, &ids[0])?, "the refused cast left no voter row");

    // The check in the window: every line 不同意, whichever tracker form is typed.
    for typed in [receipt.tracker.clone(), receipt.tracker_hex.clone()] {
        let check = voting::check_audited(&conn, round, &typed)?;
        assert_eq!(check.tracker, receipt.tracker);
        assert_eq!(check.lines.len(), candidates.len(), "a line per candidate");
        assert!(check.lines.iter().all(|l| l.choice == voting::Choice::Against), "{:?}", check.lines);
        assert!(check.lines.iter().all(|l| !l.name.is_empty() && l.name != l.candidate_id), "names, not ids");
    }
    assert_eq!(voting::audited(&conn)?.len(), 1);

    // Member 0 then casts (all 同意), and so do the 19 others: 20 ballots, none against.
    for member in &ids[..20] {
        let choices: BTreeMap<String, voting::Choice> =
            candidates.iter().map(|c| (c.clone(), voting::Choice::For)).collect();
        voting::cast(&mut conn, round, member, &choices)?;
    }
    // A cast member can no longer audit (one counted ballot, and no more ballots).
    // (ballot_for refuses a member who has voted: the lines are built by hand.)
    let keys = trustees::require_keys(&conn)?;
    let ctx = tally::context(&conn, round)?;
    let lines: Vec<_> = candidates.iter().map(|c| (c.clone(), conclave_ballot::Choice::For)).collect();
    let (late, late_r) =
        conclave_ballot::encrypt_ballot_revealable(keys.joint(), &ctx, &lines, &mut conclave_ballot::OsRng)?;
    assert!(
        voting::spoil(&mut conn, round, &ids[0], &late, &late_r).is_err(),
        "a member who voted cannot audit"
    );

    tally(&mut conn, round)?;
    for row in store::ballot_box::results(&conn, round)? {
        let t = &row.tally;
        assert_eq!(
            (t.votes_for, t.against, t.abstain),
            (20, 0, 0),
            "{}: the audited ballot is not counted",
            row.name
        );
    }
    assert_eq!(store::ballot_box::voters(&conn, round)?.len(), 20, "member 0 counted once");

    // The minutes list it as 已检验 with its tracker, apart from the box's trackers.
    for (lang, head) in
        [(Lang::Zh, "已检验（作废、不计票）的选票核验码（共1张）"), (Lang::En, "Auditedballots")]
    {
        let pdf = conclave_core::api::print::minutes(&conn, &chair_key(&conn)?, lang)?;
        keep(&format!("minutes-audited-{lang:?}.pdf"), &pdf)?;
        let flat: String = pdftotext(&pdf)?.split_whitespace().collect();
        let at =
            flat.find(head).unwrap_or_else(|| panic!("{lang:?}: the audited heading in the minutes: {flat}"));
        assert!(flat[at..].contains(&receipt.tracker), "{lang:?}: the audited tracker follows its heading");
    }

    // The archive carries it with its randomness; verify opens it from there.
    drop(conn);
    let out = data.path().join("archive.zip");
    conclave_core::api::archive::export(&db, &out, Lang::Zh, CHAIR)?;
    let names: Vec<String> = entries(&out)?.into_iter().map(|(n, _)| n).collect();
    assert!(names.iter().any(|n| n == "audited-ballots.json"), "{names:?}");
    let v = conclave_core::api::archive::verify(&out, Lang::Zh);
    assert!(v.authentic, "{:?}", v.problems);
    Ok(())
}

#[test]
fn a_cast_ballot_cannot_be_audited_and_bad_randomness_is_named() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let (mut conn, round, ids) = open_station_round(&db, |_| Ok(()))?;
    // Randomness that is not the ballot's (a terminal that lies): recorded,
    // and the check in the window refuses it naming the candidate.
    let (ballot, _) = revealable(&conn, round, &ids[1], voting::Choice::For)?;
    let (_, other) = revealable(&conn, round, &ids[1], voting::Choice::For)?;
    let receipt = voting::spoil(&mut conn, round, &ids[1], &ballot, &other)?;
    let e = voting::check_audited(&conn, round, &receipt.tracker).expect_err("randomness of another ballot");
    let first = &ballot.lines[0].candidate;
    let name = store::spoiled::candidate_name(&conn, first)?.expect("a candidate of the round");
    let zh = e.message(Lang::Zh);
    assert!(zh.contains(&format!("申报人 {name} 的“同意”")) && zh.contains("随机数与密文不符"), "{zh}");

    // A ballot in the box cannot be audited afterwards.
    let (cast, cast_r) = revealable(&conn, round, &ids[2], voting::Choice::Abstain)?;
    voting::cast_sealed(&mut conn, round, &ids[2], &cast)?;
    let e = voting::spoil(&mut conn, round, &ids[2], &cast, &cast_r).expect_err("audit after cast");
    let en = e.message(Lang::En);
    assert!(en.contains("voted"), "the member has voted: {en}");
    // Counted and exported, the archive's verify opens it too, and names it.
    tally(&mut conn, round)?;
    drop(conn);
    let out = data.path().join("archive.zip");
    conclave_core::api::archive::export(&db, &out, Lang::En, CHAIR)?;
    let v = conclave_core::api::archive::verify(&out, Lang::En);
    assert!(!v.authentic, "an audited ballot that does not open is a finding");
    let expected = format!("Round {round}, audited ballot {}: ", receipt.tracker);
    assert!(
        v.problems.iter().any(|p| p.starts_with(&expected) && p.contains("does not match the ciphertext")),
        "{:?}",
        v.problems
    );
    // In the auditor's language, as the window says it.
    let zh = conclave_core::api::archive::verify(&out, Lang::Zh);
    assert!(zh.problems.iter().any(|p| p.contains("随机数与密文不符")), "{:?}", zh.problems);
    Ok(())
}
