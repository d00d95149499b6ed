//! The archive's recount against an operator who edits the meeting file
//! behind the app's back (triggers dropped, rows changed, another meeting's
//! ballots swapped in, attendance or recusals edited before a round), then
//! exports a freshly signed archive: the recount from the archive alone
//! names what was changed. And the archive carries no trustee share.

use crate::common::*;
use conclave_core::api::{archive, session};
use conclave_core::i18n::Lang;

/// An operator edits the database after the round, triggers dropped, and
/// exports a freshly signed archive: the recount from the archive alone
/// names what was changed.
#[test]
fn edits_to_ballots_or_results_in_the_database_fail_the_archive_recount() -> anyhow::Result<()> {
    type Edit = (&'static str, &'static str, &'static str);
    let cases: [Edit; 10] = [
        ("the number present changed", "UPDATE round SET present = 25", "opened"),
        (
            "a candidate's eligibility deleted and its result rewritten",
            "DELETE FROM round_eligible WHERE candidate_id = 'GX2025-0003';
             DELETE FROM result WHERE candidate_id = 'GX2025-0003';
             INSERT INTO result (round_id, candidate_id, tally, passed)
                 SELECT round_id, 'GX2025-0003', tally, passed FROM result WHERE candidate_id = 'GX2025-0002'",
            "GX2025-0003",
        ),
        ("the round marked as not encrypted", "UPDATE round SET sealed = 0", "box"),
        (
            "only the outcome changed",
            "UPDATE result SET tally = json_set(tally, '$.passed', json('true')), passed = 1
                 WHERE candidate_id = 'GX2025-0002'",
            "GX2025-0002",
        ),
        ("a second close appended to the chain (re-chained)", "APPEND round.close", "twice"),
        (
            "a result changed",
            "UPDATE result SET tally = json_set(tally, '$.votes_for', json_extract(tally, '$.votes_for') + 1,
                 '$.passed', json('true')), passed = 1 WHERE candidate_id = 'GX2025-0002'",
            "GX2025-0002",
        ),
        (
            "a ballot deleted",
            "DELETE FROM sealed_ballot WHERE id IN (SELECT id FROM sealed_ballot LIMIT 1)",
            "box",
        ),
        (
            "a ballot duplicated",
            "INSERT INTO sealed_ballot (id, round_id, tracker, data)
                 SELECT randomblob(16), round_id, upper(tracker), data FROM sealed_ballot LIMIT 1",
            "more than once",
        ),
        ("a voter taken off the register", "DELETE FROM voter WHERE member_id = 'M05'", "eligible"),
        (
            "a decryption replaced by another candidate's",
            "UPDATE decryption SET data = (SELECT data FROM decryption WHERE candidate_id = 'GX2025-0001')
                 WHERE candidate_id = 'GX2025-0002'",
            "GX2025-0002",
        ),
    ];
    for (what, sql, named) in cases {
        let data = tempfile::tempdir()?;
        let (db, _) = crate::common::finished_meeting(data.path())?;
        {
            let conn = conclave_core::store::open(&db)?;
            for t in [
                "sealed_ballot_no_update",
                "sealed_ballot_no_delete",
                "result_no_update",
                "decryption_no_update",
            ] {
                conn.execute_batch(&format!("DROP TRIGGER {t}"))?;
            }
            conn.execute_batch("PRAGMA foreign_keys = OFF")?;
            if sql.starts_with("APPEND") {
                // What an operator with the code can do: a properly chained entry.
                let detail = serde_json::json!({ "round": 1, "ballots": 20, "box_root": "00" });
                conclave_core::audit::append(&conn, "round.close", &detail)?;
            } else {
                conn.execute_batch(sql)?;
            }
        }
        let out = data.path().join("a.zip");
        archive::export(&db, &out, Lang::En, CHAIR)?;
        let v = archive::verify(&out, Lang::En);
        assert!(!v.authentic, "{what} must fail the recount");
        assert!(v.problems.iter().any(|p| p.contains(named)), "{what}: {named} is named in {:?}", v.problems);
    }
    Ok(())
}

#[test]
fn the_archive_carries_no_trustee_share() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = crate::common::finished_meeting(data.path())?;
    let out = data.path().join("a.zip");
    archive::export(&db, &out, Lang::En, CHAIR)?;
    let all = entries(&out)?;
    let copy = data.path().join("copy.db");
    std::fs::write(&copy, &all.iter().find(|(n, _)| n == "meeting.db").expect("db").1)?;
    let conn = conclave_core::store::open_read_only(&copy)?;
    let wrapped: String =
        conn.query_row("SELECT group_concat(wrapped, '') FROM trustee", [], |r| r.get(0))?;
    assert!(wrapped.is_empty(), "the wrapped shares stay on the laptop");
    let live = conclave_core::store::open(&db)?;
    let real: String = live.query_row("SELECT wrapped FROM trustee WHERE idx = 1", [], |r| r.get(0))?;
    let salt = serde_json::from_str::<serde_json::Value>(&real)?["salt"].as_str().expect("salt").to_string();
    let raw = std::fs::read(&copy)?;
    assert!(!raw.windows(salt.len()).any(|w| w == salt.as_bytes()), "nothing of a share is left in the file");
    Ok(())
}

/// The ballot box, decryptions and results of another meeting swapped in:
/// their proofs bind the other meeting, so the recount refuses them.
#[test]
fn another_meetings_ballots_and_results_swapped_in_fail_the_recount() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (a, _) = crate::common::finished_meeting(&data.path().join("a"))?;
    let (b, _) = crate::common::finished_meeting(&data.path().join("b"))?;
    {
        let conn = conclave_core::store::open(&a)?;
        for t in ["sealed_ballot_no_delete", "result_no_update"] {
            conn.execute_batch(&format!("DROP TRIGGER {t}"))?;
        }
        conn.execute("ATTACH DATABASE ?1 AS other", [b.display().to_string()])?;
        conn.execute_batch(
            "DELETE FROM sealed_ballot; DELETE FROM decryption; DELETE FROM result;
             INSERT INTO sealed_ballot SELECT * FROM other.sealed_ballot;
             INSERT INTO decryption SELECT * FROM other.decryption;
             INSERT INTO result SELECT * FROM other.result;
             UPDATE round SET box_root = (SELECT box_root FROM other.round WHERE id = 1) WHERE id = 1;
             DETACH DATABASE other;",
        )?;
    }
    let out = data.path().join("a.zip");
    archive::export(&a, &out, Lang::En, CHAIR)?;
    let v = archive::verify(&out, Lang::En);
    assert!(!v.authentic, "another meeting's box must fail");
    assert!(v.problems.iter().any(|p| p.contains("ballot") && p.contains("proof")), "{:?}", v.problems);
    Ok(())
}

/// An edit to attendance or recusals made outside the chain before a round
/// opens (a confirmed recusal deleted, an absent member marked present)
/// gives the round a register the chain's sign-ins and recusals do not
/// support: the archive's recount replays them and says who.
#[test]
fn attendance_or_recusals_edited_before_a_round_fail_the_replay() -> anyhow::Result<()> {
    type Edit = fn(&mut conclave_core::store::Meeting) -> anyhow::Result<()>;
    let cases: [(&str, Edit, &str); 3] = [
        ("nothing edited", |_| Ok(()), ""),
        (
            "a confirmed recusal deleted",
            |conn| {
                session::set_recusal(conn, "M05", "GX2025-0001", true, "")?;
                conn.execute(
                    "DELETE FROM recusal WHERE member_id = 'M05' AND candidate_id = 'GX2025-0001'",
                    [],
                )?;
                Ok(())
            },
            "M05 (GX2025-0001)",
        ),
        (
            "an absent member marked present",
            |conn| {
                conn.execute("INSERT INTO attendance (member_id, present, at) VALUES ('M22', 1, '2025-12-05T09:00:00Z')", [])?;
                Ok(())
            },
            "M22",
        ),
    ];
    for (what, edit, named) in cases {
        let data = tempfile::tempdir()?;
        let (db, _) = meeting_with_round_after(data.path(), "回放测试", sheet_pattern, edit)?;
        let out = data.path().join("a.zip");
        archive::export(&db, &out, Lang::Zh, CHAIR)?;
        let v = archive::verify(&out, Lang::Zh);
        if named.is_empty() {
            assert!(v.authentic, "{what}: {:?}", v.problems);
            continue;
        }
        assert!(!v.authentic, "{what}: the archive verifies");
        assert!(
            v.problems.iter().any(|p| p.contains("回放") && p.contains(named)),
            "{what}: {:?}",
            v.problems
        );
    }
    Ok(())
}
