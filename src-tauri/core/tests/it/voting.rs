//! The meeting on the fixtures with the 25-member roster: sign-in and
//! quorum, recusals, a station-mode round, the count, and anonymity proved by
//! reading the database file.

use crate::common::*;
use conclave_core::api::voting::Choice;
use conclave_core::api::{session, voting};
use conclave_core::i18n::Lang;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn members(conn: &Connection) -> anyhow::Result<Vec<String>> {
    Ok(session::attendance(conn)?.into_iter().map(|a| a.id).collect())
}

fn sign_in(conn: &mut conclave_core::store::Meeting, ids: &[String]) -> anyhow::Result<()> {
    for id in ids {
        session::set_presence(conn, id, true)?;
    }
    Ok(())
}

/// Member `k`'s choice on candidate `c`: a fixed pattern the test can check.
pub(crate) fn choice(k: usize, c: usize) -> Choice {
    match (k + c) % 5 {
        0..=2 => Choice::For,
        3 => Choice::Against,
        _ => Choice::Abstain,
    }
}

#[test]
fn voting_needs_quorum_and_the_chair() -> anyhow::Result<()> {
    let (_d, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids = members(&conn)?;
    sign_in(&mut conn, &ids[3..18])?; // 15 of 25, no chair (M01) nor vice chairs
    let err = voting::open_round(&mut conn, &[], "", voting::Mode::Station, "").unwrap_err();
    assert!(
        err.message(conclave_core::i18n::Lang::Zh).contains("法定人数 17"),
        "{}",
        err.message(conclave_core::i18n::Lang::Zh)
    );
    sign_in(&mut conn, &ids[18..20])?; // 17 present, still no chair
    let err = voting::open_round(&mut conn, &[], "", voting::Mode::Station, "").unwrap_err();
    assert!(err.message(conclave_core::i18n::Lang::Zh).contains("主任委员"));
    sign_in(&mut conn, &ids[0..1])?;
    let pin = chair_pin(&mut conn)?;
    assert!(voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin).is_ok());
    Ok(())
}

#[test]
fn a_whole_round_counts_right_and_links_no_member_to_a_ballot() -> anyhow::Result<()> {
    let (_d, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids = members(&conn)?;
    let present: Vec<String> = ids[..20].to_vec();
    sign_in(&mut conn, &present)?;
    // One confirmed recusal: M02 from GX2025-0001.
    session::set_recusal(&mut conn, &ids[1], "GX2025-0001", true, "same_organization")?;
    let pin = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin)?;
    let status = voting::round_status(&conn, round)?;
    // 资格审查 leaves out the three the senior committee may not vote on.
    assert_eq!(status.candidates.len(), 5);
    for barred in ["GX2025-0004", "GX2025-0006", "GX2025-0007"] {
        assert!(!status.candidates.iter().any(|c| c == barred), "{barred} is barred");
    }
    // The rules are frozen now.
    assert!(session::set_rules(&mut conn, &conclave_core::domain::rules::Rules::default()).is_err());

    // Cast in a shuffled order, recording the keys each cast adds (what an
    // observer of the open round could see).
    let mut order: Vec<usize> = (0..present.len()).collect();
    order.reverse();
    order.swap(2, 11);
    let mut cast_order_keys: Vec<Vec<u8>> = Vec::new();
    let mut expected: BTreeMap<String, [u32; 3]> = BTreeMap::new();
    for &k in &order {
        let lines = voting::ballot_for(&conn, round, &present[k])?;
        let mut choices = BTreeMap::new();
        for (ci, line) in status.candidates.iter().enumerate() {
            if lines.iter().any(|l| &l.candidate_id == line) {
                let ch = choice(k, ci);
                choices.insert(line.clone(), ch);
                let e = expected.entry(line.clone()).or_default();
                e[match ch {
                    Choice::For => 0,
                    Choice::Against => 1,
                    Choice::Abstain => 2,
                }] += 1;
            }
        }
        let before = ballot_keys(&conn)?;
        voting::cast(&mut conn, round, &present[k], &choices)?;
        if voting::round_status(&conn, round)?.closed_at.is_none() {
            let mut added: Vec<Vec<u8>> =
                ballot_keys(&conn)?.into_iter().filter(|key| !before.contains(key)).collect();
            added.sort();
            cast_order_keys.extend(added);
        }
        // A second ballot, a ballot for an absent member: refused.
        assert!(voting::cast(&mut conn, round, &present[k], &choices).is_err());
    }
    assert!(voting::ballot_for(&conn, round, &ids[22]).is_err(), "an absent member cannot vote");

    // Every eligible member voted: the box closed itself; two trustees count.
    assert!(voting::round_status(&conn, round)?.closed_at.is_some());
    assert!(voting::round_status(&conn, round)?.results.is_empty(), "nothing is known before the tally");
    tally(&mut conn, round)?;
    let status = voting::round_status(&conn, round)?;
    for r in &status.results {
        let e = expected[&r.candidate_id];
        assert_eq!([r.tally.votes_for, r.tally.against, r.tally.abstain], e, "count of {}", r.candidate_id);
        let eligible = if r.candidate_id == "GX2025-0001" { 19 } else { 20 };
        assert_eq!(r.tally.eligible, eligible);
        assert_eq!(r.tally.not_voted, 0);
        assert_eq!(r.tally.threshold, 14, "⌈2/3 × 20 present⌉");
        assert_eq!(r.tally.passed, e[0] >= 14);
    }
    let pin = chair_pin(&mut conn)?;
    voting::confirm_round(&mut conn, round, &pin)?;
    let pin = chair_pin(&mut conn)?;
    assert!(voting::confirm_round(&mut conn, round, &pin).is_err(), "confirmed once");
    drop(conn);

    // --- Anonymity, read from the file itself ---------------------------
    let conn = conclave_core::store::open(&db)?;
    let cols = |t: &str| -> anyhow::Result<Vec<String>> {
        let mut s = conn.prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))?;
        let names = s.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    };
    assert_eq!(
        cols("sealed_ballot")?,
        ["id", "round_id", "tracker", "data"],
        "a ballot has no member and no time"
    );
    let plain: i64 = conn.query_row("SELECT count(*) FROM ballot", [], |r| r.get(0))?;
    assert_eq!(plain, 0, "no plaintext choice is stored for a station round");
    assert_eq!(cols("voter")?, ["round_id", "member_id"], "the register has no time and no ballot");
    let ballot_text: String =
        conn.query_row("SELECT group_concat(hex(id) || tracker || data) FROM sealed_ballot", [], |r| {
            r.get(0)
        })?;
    for m in &ids {
        assert!(!ballot_text.contains(m.as_str()), "no member id in the ballot box");
    }
    let audit: String =
        conn.query_row("SELECT group_concat(detail) FROM audit_log WHERE kind = 'ballot.cast'", [], |r| {
            r.get(0)
        })?;
    for m in &ids {
        assert!(!audit.contains(&format!("\"{m}\"")), "the log never names who cast a ballot");
    }
    let freelist: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
    assert_eq!(freelist, 0, "no freed page keeps old ballot cells");
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    assert!(!wal.exists() || std::fs::metadata(&wal)?.len() == 0, "the WAL keeps no history of the round");
    // The voters are stored by member id, not in the order they voted.
    let voters: Vec<String> = {
        let mut s = conn.prepare("SELECT member_id FROM voter WHERE round_id = ?1")?;
        let v = s.query_map([round], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        v
    };
    let mut sorted = voters.clone();
    sorted.sort();
    assert_eq!(voters, sorted);
    // Physical order of ballots in the file follows their random keys (the
    // table) or their trackers (the tracker index), never the cast order:
    // after compaction, on every page, the ballots' keys lie sorted by one
    // of the two (SQLite fills a page from its end, so higher ones lower).
    let page_size: usize = conn.pragma_query_value(None, "page_size", |r| r.get::<_, i64>(0))? as usize;
    let file = std::fs::read(&db)?;
    let tracker_of: BTreeMap<Vec<u8>, String> = {
        let mut s = conn.prepare("SELECT id, tracker FROM sealed_ballot")?;
        let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut pages: BTreeMap<usize, Vec<(usize, &Vec<u8>)>> = BTreeMap::new();
    for k in &cast_order_keys {
        let mut from = 0;
        while let Some(off) = find(&file[from..], k) {
            pages.entry((from + off) / page_size).or_default().push((from + off, k));
            from += off + 1;
        }
    }
    assert!(!pages.is_empty(), "the ballots are in the main file");
    let mut shared = 0;
    for (page, mut cells) in pages {
        cells.sort();
        let keys: Vec<&Vec<u8>> = cells.iter().map(|(_, k)| *k).collect();
        let trackers: Vec<&String> = keys.iter().map(|k| &tracker_of[*k]).collect();
        let by_key = keys.windows(2).all(|w| w[0] > w[1]);
        let by_tracker = trackers.windows(2).all(|w| w[0] > w[1]);
        assert!(by_key || by_tracker, "page {page}: ballots lie neither in key nor in tracker order");
        shared += usize::from(cells.len() > 2);
    }
    assert!(shared > 0, "some page holds several ballots, so the order was checked");
    Ok(())
}

fn ballot_keys(conn: &Connection) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut s = conn.prepare("SELECT id FROM sealed_ballot")?;
    let keys = s.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<Vec<u8>>>>()?;
    Ok(keys)
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn recusals_are_proposed_from_organisations_and_reviewers() -> anyhow::Result<()> {
    let (_d, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let n = session::propose_recusals(&mut conn)?;
    assert!(n > 0, "the fixtures share organisations between members and candidates");
    let list = session::recusals(&conn)?;
    assert!(list.iter().all(|r| r.status == "proposed"));
    assert!(list.iter().any(|r| r.reason == "same_organization"));
    assert_eq!(session::propose_recusals(&mut conn)?, 0, "proposing twice adds nothing");
    Ok(())
}

#[test]
fn no_round_opens_while_a_proposal_for_its_candidates_is_undecided() -> anyhow::Result<()> {
    let (_d, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids = members(&conn)?;
    sign_in(&mut conn, &ids[..20])?;
    override_all_barred(&mut conn)?;
    session::propose_recusals(&mut conn)?;
    let list = session::recusals(&conn)?;
    let first = &list[0];
    session::set_recusal(&mut conn, &first.member_id, &first.candidate_id, true, &first.reason)?;
    let pin = chair_pin(&mut conn)?;
    let audit_before: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
    for lang in [Lang::Zh, Lang::En] {
        let e = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin).expect_err("undecided");
        let text = e.message(lang);
        let second = &list[1];
        assert!(text.contains(&second.member_name) && text.contains(&second.candidate_name), "{text}");
        assert!(text.contains(&(list.len() - 1).to_string()), "how many: {text}");
    }
    let rounds: i64 = conn.query_row("SELECT count(*) FROM round", [], |r| r.get(0))?;
    let audit_after: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
    assert_eq!((rounds, audit_after), (0, audit_before), "the refusal changes nothing");

    // Deciding the rest at once, then the round opens, and a confirmed
    // member present gets no line for that candidate.
    let decided = session::decide_all_recusals(&mut conn, true)?;
    assert_eq!(decided.len(), list.len() - 1);
    // The chair is now recused for two of the candidates: a vice chair
    // presides over the round (once one holds a PIN: before, the refusal
    // says the vice chairs have none).
    let e = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin).expect_err("no vice PIN");
    assert!(e.message(Lang::Zh).contains("郭刚宇、石杰宇 还没有个人密码"), "{}", e.message(Lang::Zh));
    let vice = session::reissue_pin(&mut conn, &ids[1])?.pin;
    let e = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin).expect_err("chair recused");
    assert!(e.message(Lang::Zh).contains("须回避"), "{}", e.message(Lang::Zh));
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &vice)?;
    let recused = list.iter().find(|r| ids[..20].contains(&r.member_id)).expect("a present member recused");
    let lines = voting::ballot_for(&conn, round, &recused.member_id)?;
    assert!(lines.iter().all(|l| l.candidate_id != recused.candidate_id), "no line for a recused candidate");
    Ok(())
}

#[test]
fn pins_unlock_only_their_member() -> anyhow::Result<()> {
    let (_d, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids = members(&conn)?;
    sign_in(&mut conn, &ids[..3])?;
    let slips = session::issue_pins(&mut conn)?;
    assert_eq!(slips.len(), 3);
    for s in &slips {
        assert_eq!(session::member_by_pin(&conn, &s.pin)?, s.member_id);
    }
    let wrong = if slips[0].pin == "000000" { "000001" } else { "000000" };
    assert!(slips.iter().any(|s| s.pin == wrong) || session::member_by_pin(&conn, wrong).is_err());
    let stored: String = conn.query_row("SELECT group_concat(pin_hash) FROM member", [], |r| r.get(0))?;
    assert!(!stored.contains(&slips[0].pin), "only hashes are stored");
    Ok(())
}

#[test]
fn a_member_who_leaves_mid_round_cannot_vote_and_counts_as_not_voted() -> anyhow::Result<()> {
    let (_d, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids = members(&conn)?;
    sign_in(&mut conn, &ids[..20])?;
    let pin = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin)?;
    let candidates = voting::round_status(&conn, round)?.candidates;
    // Member 20 leaves before voting: refused, no proxy, no late vote.
    session::set_presence(&mut conn, &ids[19], false)?;
    let err = voting::ballot_for(&conn, round, &ids[19]).expect_err("left");
    assert!(err.message(conclave_core::i18n::Lang::Zh).contains("不得委托他人投票或补充投票"));
    for member in &ids[..19] {
        let all_for = candidates.iter().map(|c| (c.clone(), Choice::For)).collect();
        assert!(
            !voting::cast(&mut conn, round, member, &all_for)?.round_closed,
            "the round waits for the chair"
        );
    }
    // Coming back after the others does not reopen anything once closed.
    let pin = chair_pin(&mut conn)?;
    voting::close_round(&mut conn, round, &pin)?;
    tally(&mut conn, round)?;
    session::set_presence(&mut conn, &ids[19], true)?;
    assert!(voting::ballot_for(&conn, round, &ids[19]).is_err());
    for r in voting::round_status(&conn, round)?.results {
        let t = r.tally;
        assert_eq!((t.votes_for, t.not_voted, t.eligible), (19, 1, 20), "{}", r.candidate_id);
        assert_eq!(t.threshold, 14, "the denominator is who was present when the round opened");
        assert!(t.passed);
    }
    Ok(())
}

/// A ballot slipped into the closed box before the count (a copy of a
/// member's, under another tracker) is refused before anything is decrypted.
#[test]
fn the_tally_refuses_a_box_with_a_ballot_added() -> anyhow::Result<()> {
    let (_d, _db, mut conn, ids, round, candidates) = open_station_round()?;
    for member in &ids[..5] {
        let all_for = candidates.iter().map(|c| (c.clone(), Choice::For)).collect();
        voting::cast(&mut conn, round, member, &all_for)?;
    }
    let pin = chair_pin(&mut conn)?;
    voting::close_round(&mut conn, round, &pin)?;
    let err = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin)
        .expect_err("a box awaits its count");
    assert!(
        err.message(conclave_core::i18n::Lang::Zh).contains("尚未计票"),
        "{}",
        err.message(conclave_core::i18n::Lang::Zh)
    );
    conn.execute_batch(
        "INSERT INTO sealed_ballot (id, round_id, tracker, data)
         SELECT randomblob(16), round_id, upper(tracker), data FROM sealed_ballot LIMIT 1",
    )?;
    let err = tally(&mut conn, round).expect_err("an added ballot");
    assert!(err.to_string().contains("TallyFailed"), "{err}");
    assert!(voting::round_status(&conn, round)?.results.is_empty(), "nothing was counted");
    Ok(())
}

/// The count's refusals, each changing nothing: before the close, one
/// trustee named twice, a wrong passphrase (which locks no one out: the
/// right ones count at once after it).
#[test]
fn the_tally_refuses_before_the_close_one_trustee_twice_and_a_wrong_passphrase() -> anyhow::Result<()> {
    use conclave_core::api::tally::tally_round;
    let (_d, _db, mut conn, ids, round, candidates) = open_station_round()?;
    for member in &ids[..5] {
        let all_for = candidates.iter().map(|c| (c.clone(), Choice::For)).collect();
        voting::cast(&mut conn, round, member, &all_for)?;
    }
    let audit = |c: &Connection| -> anyhow::Result<i64> {
        Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
    };
    let e = tally_round(&mut conn, round, [TRUSTEES[0], TRUSTEES[1]]).expect_err("open round");
    assert!(e.message(Lang::Zh).contains("尚未结束投票"), "{}", e.message(Lang::Zh));
    let pin = chair_pin(&mut conn)?;
    voting::close_round(&mut conn, round, &pin)?;
    let before = audit(&conn)?;
    let e = tally_round(&mut conn, round, [TRUSTEES[1], TRUSTEES[1]]).expect_err("twice");
    assert!(e.message(Lang::Zh).contains(TRUSTEES[1].0), "{}", e.message(Lang::Zh));
    let e = tally_round(&mut conn, round, [TRUSTEES[0], (TRUSTEES[2].0, "not-it")])
        .expect_err("wrong passphrase");
    assert!(e.message(Lang::Zh).contains("监票人乙 的口令不正确"), "{}", e.message(Lang::Zh));
    assert_eq!(audit(&conn)?, before, "nothing recorded");
    assert!(voting::round_status(&conn, round)?.results.is_empty(), "nothing counted");
    tally_round(&mut conn, round, [TRUSTEES[0], TRUSTEES[2]])?;
    let results = voting::round_status(&conn, round)?.results;
    assert_eq!(results.len(), candidates.len());
    assert!(results.iter().all(|r| r.tally.votes_for == 5));
    Ok(())
}

pub(crate) type OpenRound =
    (tempfile::TempDir, PathBuf, conclave_core::store::Meeting, Vec<String>, i64, Vec<String>);

/// The fixtures with 20 of 25 signed in and a station round open: the
/// folder, database, connection, member ids, round and its candidates.
pub(crate) fn open_station_round() -> anyhow::Result<OpenRound> {
    let (d, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids = members(&conn)?;
    sign_in(&mut conn, &ids[..20])?;
    let pin = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin)?;
    let candidates = voting::round_status(&conn, round)?.candidates;
    Ok((d, db, conn, ids, round, candidates))
}
