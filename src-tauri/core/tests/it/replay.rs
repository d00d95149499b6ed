//! The archive's verify replays the whole meeting from the audit chain: an
//! operator who edits the meeting file after the meeting (triggers
//! dropped) — a member absent marked present, a confirmed recusal deleted, a
//! member renamed, a paper round's ballots and result changed — and exports
//! again, every PDF freshly sealed, gets an archive whose tables and PDFs
//! agree with each other but not with the chain, and verify names the row.
//! An honest meeting with walk-outs and superseded paper entries verifies clean.

use crate::common::*;
use conclave_core::api::voting::{self, Mode, PaperCount};
use conclave_core::api::{archive, session};
use conclave_core::i18n::Lang;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A copy of the meeting folder holding `db` (database and evidence) in
/// `to`; returns the copy's database.
fn copy_meeting(db: &Path, to: &Path) -> anyhow::Result<PathBuf> {
    let from = db.parent().ok_or_else(|| anyhow::anyhow!("no folder"))?;
    copy_dir(from, to)?;
    Ok(to.join(db.file_name().ok_or_else(|| anyhow::anyhow!("no file"))?))
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()))?;
        } else {
            std::fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    Ok(())
}

/// Edits a copy of the meeting as an operator with sqlite3 would (plain
/// SQLite, the triggers `drop` dropped), exports it with the chair's
/// passphrase (every document printed and sealed afresh) and verifies it.
fn tampered(db: &Path, work: &Path, drop: &[&str], sql: &str, lang: Lang) -> anyhow::Result<Vec<String>> {
    let copy = copy_meeting(db, &work.join("copy"))?;
    {
        let conn = rusqlite::Connection::open(&copy)?;
        for t in drop {
            conn.execute_batch(&format!("DROP TRIGGER {t}"))?;
        }
        conn.execute_batch(sql)?;
    }
    let out = work.join("tampered.zip");
    archive::export(&copy, &out, lang, CHAIR)?;
    let v = archive::verify(&out, lang);
    assert!(!v.authentic, "an archive exported after `{sql}` must not verify");
    Ok(v.problems)
}

/// The verdict of an honest export of `db`, which must be clean.
fn assert_clean(db: &Path, work: &Path, what: &str) -> anyhow::Result<()> {
    let out = work.join("honest.zip");
    archive::export(db, &out, Lang::Zh, CHAIR)?;
    let v = archive::verify(&out, Lang::Zh);
    assert!(v.authentic && v.problems.is_empty(), "{what} must verify clean: {:?}", v.problems);
    Ok(())
}

fn named(problems: &[String], parts: &[&str]) -> bool {
    problems.iter().any(|p| parts.iter().all(|part| p.contains(part)))
}

/// The fixtures' meeting with a confirmed recusal (M24, absent, from
/// GX2025-0002: the helper's members vote on every candidate), one station
/// round, and walk-outs: M20 leaves and comes back before the round, M19
/// leaves after it. Returns the database and the members' ids.
fn station_meeting(data: &Path) -> anyhow::Result<(PathBuf, Vec<String>)> {
    let (db, _) =
        meeting_with_round_after(data, "2025年度实验系列高级职称评审会", pattern, |conn| {
            let ids: Vec<String> = session::attendance(conn)?.into_iter().map(|a| a.id).collect();
            session::set_recusal(conn, &ids[23], "GX2025-0002", true, "")?;
            session::set_presence(conn, &ids[19], false)?;
            session::set_presence(conn, &ids[19], true)?;
            Ok(())
        })?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    session::set_presence(&mut conn, &ids[18], false)?;
    Ok((db, ids))
}

#[test]
fn an_honest_meeting_with_walk_outs_and_a_recusal_replays_clean() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = station_meeting(data.path())?;
    assert_clean(&db, data.path(), "a meeting with walk-outs and a recusal")
}

#[test]
fn an_absent_member_marked_present_is_named_by_the_replay() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, ids) = station_meeting(data.path())?;
    let absent = &ids[22];
    let sql = format!(
        "INSERT INTO attendance (member_id, present, at) VALUES ('{absent}', 1, '2025-12-05T01:00:00Z')"
    );
    let problems = tampered(&db, data.path(), &[], &sql, Lang::En)?;
    for source in ["attendance.json", "pdf/minutes.pdf"] {
        assert!(
            named(&problems, &[source, "the attendance of", absent, "the chain says “none”"]),
            "{source}: {absent} signed in behind the chain's back is named: {problems:?}"
        );
    }
    Ok(())
}

#[test]
fn a_confirmed_recusal_deleted_is_named_by_the_replay() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, ids) = station_meeting(data.path())?;
    let member = &ids[23];
    let sql = format!("DELETE FROM recusal WHERE member_id = '{member}' AND candidate_id = 'GX2025-0002'");
    let problems = tampered(&db, data.path(), &[], &sql, Lang::Zh)?;
    for source in ["recusals.json", "pdf/minutes.pdf"] {
        assert!(
            named(
                &problems,
                &[source, member, "GX2025-0002", "回避与审计链不符", "审计链为“确认回避”", "此处为“无”"]
            ),
            "{source}: the deleted recusal of {member} is named: {problems:?}"
        );
    }
    Ok(())
}

#[test]
fn a_renamed_member_is_named_by_the_replay() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, ids) = station_meeting(data.path())?;
    let member = &ids[4];
    let sql = format!("UPDATE member SET name = '冒名顶替' WHERE id = '{member}'");
    let problems = tampered(&db, data.path(), &[], &sql, Lang::En)?;
    for source in ["roster.json", "pdf/minutes.pdf"] {
        assert!(
            named(&problems, &[source, "the roster differs from the audit chain", member, "冒名顶替"]),
            "{source}: {member} renamed is named: {problems:?}"
        );
    }
    Ok(())
}

fn n(votes_for: u32, against: u32, abstain: u32) -> PaperCount {
    PaperCount { votes_for, against, abstain }
}

/// The fixtures with 20 of 25 signed in, M04 recused from GX2025-0002, a
/// paper round whose second entry was first mistyped then entered again,
/// counted and confirmed; then M20 walks out.
fn paper_meeting() -> anyhow::Result<(tempfile::TempDir, PathBuf, i64)> {
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
    let (a, b) = (pin(5), pin(6));
    override_all_barred(&mut conn)?;
    let chair = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", Mode::Paper, &chair)?;
    let candidates = voting::round_status(&conn, round)?.candidates;
    let good: BTreeMap<String, PaperCount> = candidates
        .iter()
        .map(|c| (c.clone(), if c == "GX2025-0003" { n(13, 5, 1) } else { n(14, 4, 1) }))
        .collect();
    voting::enter_paper_counts(&mut conn, round, 1, &a, &good)?;
    let mut off = good.clone();
    off.insert("GX2025-0006".into(), n(15, 3, 1));
    voting::enter_paper_counts(&mut conn, round, 2, &b, &off)?;
    voting::enter_paper_counts(&mut conn, round, 2, &b, &good)?;
    let chair = chair_pin(&mut conn)?;
    voting::confirm_round(&mut conn, round, &chair)?;
    session::set_presence(&mut conn, &ids[19], false)?;
    Ok((data, db, round))
}

#[test]
fn an_honest_paper_round_with_a_superseded_entry_replays_clean() -> anyhow::Result<()> {
    let (data, db, _) = paper_meeting()?;
    assert_clean(&db, data.path(), "a paper round whose mistyped entry was entered again")
}

#[test]
fn a_paper_rounds_ballots_and_result_changed_are_named_by_the_replay() -> anyhow::Result<()> {
    let (data, db, round) = paper_meeting()?;
    // One 同意 of GX2025-0001 turned into 不同意, in the box and the result
    // alike, so the recount from the plain ballots still adds up.
    let sql = format!(
        "UPDATE ballot SET choice = 'against' WHERE id IN (SELECT id FROM ballot
             WHERE round_id = {round} AND candidate_id = 'GX2025-0001' AND choice = 'for' LIMIT 1);
         UPDATE result SET tally = json_set(tally, '$.votes_for', json_extract(tally, '$.votes_for') - 1,
             '$.against', json_extract(tally, '$.against') + 1, '$.passed', json('false')), passed = 0
             WHERE round_id = {round} AND candidate_id = 'GX2025-0001'"
    );
    let problems = tampered(&db, data.path(), &["ballot_no_update", "result_no_update"], &sql, Lang::En)?;
    let chain = "the chain says “for 14, against 4, abstain 1”";
    let shown = "this says “for 13, against 5, abstain 1”";
    for source in
        ["rounds.json", "ballots.json", "pdf/minutes.pdf", &format!("pdf/results-round-{round}.pdf")]
    {
        assert!(
            named(
                &problems,
                &[source, &format!("round {round}, the paper count for GX2025-0001"), chain, shown]
            ),
            "{source}: the changed paper count is named: {problems:?}"
        );
    }
    Ok(())
}

#[test]
fn an_overrides_reason_rewritten_is_named_by_the_replay() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = station_meeting(data.path())?;
    let candidate: String = rusqlite::Connection::open(&db)?.query_row(
        "SELECT candidate_id FROM eligibility_override ORDER BY candidate_id LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let sql = format!(
        "UPDATE eligibility_override SET reason = '事后补写的理由' WHERE candidate_id = '{candidate}'"
    );
    let problems = tampered(&db, data.path(), &["eligibility_override_no_update"], &sql, Lang::Zh)?;
    assert!(
        named(&problems, &["pdf/minutes.pdf", &candidate, "资格审查破格表决与审计链不符", "事后补写的理由"]),
        "the rewritten override of {candidate} is named: {problems:?}"
    );
    Ok(())
}
