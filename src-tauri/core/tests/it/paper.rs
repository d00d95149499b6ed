//! Paper mode: numbered ballots, two scrutineers' entries, refused when they
//! disagree or a count exceeds the ballots a candidate may get; counted only
//! when both agree.

use crate::common::*;
use conclave_core::api::session;
use conclave_core::api::voting::{self, Mode, PaperCount};
use conclave_core::i18n::Lang;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// The fixtures, 20 of 25 signed in with PINs, one confirmed recusal, a
/// paper round open; also the PINs of two members who act as scrutineers.
fn paper_round(
) -> anyhow::Result<(tempfile::TempDir, conclave_core::store::Meeting, i64, String, [String; 2])> {
    let (data, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids[..20] {
        session::set_presence(&mut conn, id, true)?;
    }
    session::set_recusal(&mut conn, &ids[3], "GX2025-0002", true, "")?;
    let pins = session::issue_pins(&mut conn)?;
    let pin =
        |k: usize| pins.iter().find(|p| p.member_id == ids[k]).map(|p| p.pin.clone()).unwrap_or_default();
    override_all_barred(&mut conn)?;
    let chair = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", Mode::Paper, &chair)?;
    Ok((data, conn, round, ids[0].clone(), [pin(5), pin(6)]))
}

fn counts(
    conn: &Connection,
    round: i64,
    f: impl Fn(&str) -> PaperCount,
) -> anyhow::Result<BTreeMap<String, PaperCount>> {
    Ok(voting::round_status(conn, round)?.candidates.iter().map(|c| (c.clone(), f(c))).collect())
}

fn n(votes_for: u32, against: u32, abstain: u32) -> PaperCount {
    PaperCount { votes_for, against, abstain }
}

#[test]
fn a_paper_round_takes_no_station_ballot_and_no_early_close() -> anyhow::Result<()> {
    let (_d, mut conn, round, member, _) = paper_round()?;
    // One numbered ballot per member present, every candidate on each.
    let pdf = conclave_core::api::print::paper_ballots(&conn, round, Lang::Zh)?;
    crate::common::keep("ballots-zh.pdf", &pdf)?;
    let text = pdftotext(&pdf)?;
    for k in 1..=20 {
        assert!(text.contains(&format!("选票编号：{round}-{k:03}")), "ballot {k}");
    }
    assert!(!text.contains(&format!("{round}-021")));
    for c in voting::round_status(&conn, round)?.candidates {
        assert_eq!(text.matches(c.as_str()).count(), 20, "{c} on every ballot");
    }
    let err = voting::ballot_for(&conn, round, &member).expect_err("paper round");
    assert!(err.message(Lang::Zh).contains("纸质"), "{}", err.message(Lang::Zh));
    let pin = chair_pin(&mut conn)?;
    let err = voting::close_round(&mut conn, round, &pin).expect_err("needs the two entries");
    assert!(err.message(Lang::Zh).contains("两位监票人"), "{}", err.message(Lang::Zh));
    Ok(())
}

#[test]
fn counts_beyond_the_ballots_a_candidate_may_get_are_refused_and_change_nothing() -> anyhow::Result<()> {
    let (_d, mut conn, round, _, [a, _]) = paper_round()?;
    // GX2025-0002 has one recusal: 19 may vote on it, 20 on the others.
    let limits = voting::paper_status(&conn, round)?.limits;
    assert_eq!(limits["GX2025-0002"], 19);
    assert_eq!(limits["GX2025-0001"], 20);
    let too_many = counts(&conn, round, |c| if c == "GX2025-0002" { n(15, 3, 2) } else { n(14, 4, 2) })?;
    let err = voting::enter_paper_counts(&mut conn, round, 1, &a, &too_many).expect_err("20 > 19");
    let msg = err.message(Lang::Zh);
    assert!(msg.contains("GX2025-0002") && msg.contains("20") && msg.contains("19"), "{msg}");
    assert_eq!(voting::paper_status(&conn, round)?.scrutineers, [None, None], "nothing stored");

    let mut missing = counts(&conn, round, |_| n(10, 5, 4))?;
    missing.remove("GX2025-0005");
    assert!(voting::enter_paper_counts(&mut conn, round, 1, &a, &missing).is_err());
    let ones = counts(&conn, round, |_| n(1, 1, 1))?;
    assert!(voting::enter_paper_counts(&mut conn, round, 1, "  ", &ones).is_err(), "a scrutineer's PIN");
    let wrong = if a == "000000" { "000001" } else { "000000" };
    let err = voting::enter_paper_counts(&mut conn, round, 1, wrong, &ones).expect_err("a wrong PIN");
    assert!(err.message(Lang::Zh).contains("个人密码不正确"), "{}", err.message(Lang::Zh));
    Ok(())
}

#[test]
fn two_entries_must_agree_and_be_by_two_people_before_the_count() -> anyhow::Result<()> {
    let (_d, mut conn, round, _, [a, b]) = paper_round()?;
    let good = counts(&conn, round, |c| if c == "GX2025-0003" { n(13, 5, 1) } else { n(14, 4, 1) })?;
    let status = voting::enter_paper_counts(&mut conn, round, 1, &a, &good)?;
    let first = status.scrutineers[0].clone().expect("entry 1");
    assert!(first.contains("M06") && status.scrutineers[1].is_none(), "the member behind the PIN: {first}");
    assert!(voting::round_status(&conn, round)?.closed_at.is_none());

    let err = voting::enter_paper_counts(&mut conn, round, 2, &a, &good).expect_err("same person");
    assert!(err.message(Lang::Zh).contains("不同的监票人"));

    // One digit differs: the round stays open and the candidate is named.
    let mut off = good.clone();
    off.insert("GX2025-0006".into(), n(15, 3, 1));
    let status = voting::enter_paper_counts(&mut conn, round, 2, &b, &off)?;
    assert_eq!(status.mismatched, vec!["GX2025-0006".to_string()]);
    assert!(voting::round_status(&conn, round)?.closed_at.is_none());
    let ballots: i64 = conn.query_row("SELECT count(*) FROM ballot", [], |r| r.get(0))?;
    assert_eq!(ballots, 0, "nothing in the box before agreement");

    // The second scrutineer recounts: now both agree and the round is counted.
    let status = voting::enter_paper_counts(&mut conn, round, 2, &b, &good)?;
    assert!(status.mismatched.is_empty());
    let done = voting::round_status(&conn, round)?;
    assert!(done.closed_at.is_some());
    for r in &done.results {
        let want = good[&r.candidate_id];
        assert_eq!(
            (r.tally.votes_for, r.tally.against, r.tally.abstain),
            (want.votes_for, want.against, want.abstain)
        );
        assert_eq!(r.tally.not_voted, r.tally.eligible - want.votes_for - want.against - want.abstain);
        // ⌈2/3 × 20 present⌉ = 14.
        assert_eq!(r.tally.passed, want.votes_for >= 14, "{}", r.candidate_id);
    }
    let ballots: i64 =
        conn.query_row("SELECT count(*) FROM ballot WHERE round_id = ?1", [round], |r| r.get(0))?;
    let expected: u32 = good.values().map(|c| c.votes_for + c.against + c.abstain).sum();
    assert_eq!(ballots, i64::from(expected), "the box holds exactly the counted ballots");
    assert!(voting::enter_paper_counts(&mut conn, round, 1, &a, &good).is_err(), "closed");
    conclave_core::audit::verify(&conn)?;
    // Every entry, superseded ones too, is in the chain with its counts.
    let entries: Vec<String> = conn
        .prepare("SELECT detail FROM audit_log WHERE kind = 'paper.entry' ORDER BY seq")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    assert_eq!(entries.len(), 3, "two entries and the recount");
    assert!(
        entries[1].contains("\"GX2025-0006\":{\"abstain\":1,\"against\":3,\"votes_for\":15}"),
        "the superseded numbers stay: {}",
        entries[1]
    );
    Ok(())
}
