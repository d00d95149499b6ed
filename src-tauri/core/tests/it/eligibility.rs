//! 资格审查 on the fixtures in a senior committee: GX2025-0004 (实验师,
//! 品德考核不合格), GX2025-0006 (实验师) and GX2025-0007 (助理实验师, 诚信
//! not clean) enter no round unless the chair records an override with a
//! reason, which is audited and printed in the minutes.

use crate::common::*;
use conclave_core::api::{eligibility, print, session, voting};
use conclave_core::i18n::{Lang, Msg};

const BARRED: [&str; 3] = ["GX2025-0004", "GX2025-0006", "GX2025-0007"];

fn signed_in() -> anyhow::Result<(tempfile::TempDir, conclave_core::store::Meeting)> {
    let (d, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids[..20] {
        session::set_presence(&mut conn, id, true)?;
    }
    Ok((d, conn))
}

fn audit_len(conn: &conclave_core::store::Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}

#[test]
fn the_rules_bar_outside_level_failed_ethics_and_unclean_integrity() -> anyhow::Result<()> {
    let (_d, conn) = signed_in()?;
    let barred = eligibility::barred(&conn)?;
    let ids: Vec<&str> = barred.iter().map(|b| b.candidate_id.as_str()).collect();
    assert_eq!(ids.len(), 3);
    for id in BARRED {
        assert!(ids.contains(&id), "{id} barred: {ids:?}");
    }
    let keys = |id: &str| -> Vec<&'static str> {
        barred
            .iter()
            .find(|b| b.candidate_id == id)
            .map_or(vec![], |b| b.reasons.iter().filter_map(|f| f.bar_key()).collect())
    };
    assert!(
        keys("GX2025-0004").contains(&"bar.ethics_failed")
            && keys("GX2025-0004").contains(&"bar.outside_level")
    );
    assert_eq!(keys("GX2025-0006"), vec!["bar.outside_level"]);
    assert!(keys("GX2025-0007").contains(&"bar.integrity_not_clean"));
    Ok(())
}

#[test]
fn a_barred_candidate_named_for_a_round_is_refused_and_changes_nothing() -> anyhow::Result<()> {
    let (_d, mut conn) = signed_in()?;
    let pin = chair_pin(&mut conn)?;
    let before = audit_len(&conn)?;
    let chosen = vec!["GX2025-0001".to_string(), "GX2025-0004".to_string()];
    let e = voting::open_round(&mut conn, &chosen, "", voting::Mode::Station, &pin).expect_err("barred");
    let zh = e.message(Lang::Zh);
    assert!(zh.contains("GX2025-0004") && zh.contains("品德考核不合格") && zh.contains("资格审查"), "{zh}");
    let en = e.message(Lang::En);
    assert!(en.contains("GX2025-0004") && en.contains("ethics review failed"), "{en}");
    let rounds: i64 = conn.query_row("SELECT count(*) FROM round", [], |r| r.get(0))?;
    assert_eq!((rounds, audit_len(&conn)?), (0, before), "no round, nothing logged");
    Ok(())
}

#[test]
fn an_override_needs_a_reason_is_audited_once_and_reaches_the_minutes() -> anyhow::Result<()> {
    let (_d, mut conn) = signed_in()?;
    let pin = chair_pin(&mut conn)?;
    let before = audit_len(&conn)?;
    for (candidate, reason, msg) in [
        ("GX2025-0006", "  ", Msg::OverrideReasonNeeded),
        ("GX2025-0001", "理由", Msg::NotBarred { id: "GX2025-0001".into() }),
    ] {
        let e = eligibility::record_override(&mut conn, candidate, reason, &pin).expect_err("refused");
        assert_eq!(e.message(Lang::Zh), msg.render(Lang::Zh));
    }
    assert!(
        eligibility::record_override(&mut conn, "GX9999-0000", "理由", &pin).is_err(),
        "no such candidate"
    );
    assert_eq!(audit_len(&conn)?, before, "refusals change nothing");

    let reason = "经主任委员会议研究，按破格条件评审";
    eligibility::record_override(&mut conn, "GX2025-0006", reason, &pin)?;
    let e = eligibility::record_override(&mut conn, "GX2025-0006", "again", &pin).expect_err("twice");
    assert_eq!(e.message(Lang::Zh), Msg::OverrideTwice { id: "GX2025-0006".into() }.render(Lang::Zh));
    let logged: String =
        conn.query_row("SELECT detail FROM audit_log WHERE kind = 'eligibility.override'", [], |r| r.get(0))?;
    assert!(logged.contains(reason) && logged.contains("GX2025-0006"), "{logged}");
    // The stored override cannot be edited or removed.
    assert!(conn.execute("UPDATE eligibility_override SET reason = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM eligibility_override", []).is_err());

    // The default round now takes GX2025-0006 and still leaves the other two out.
    let pin = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin)?;
    let candidates = voting::round_status(&conn, round)?.candidates;
    assert!(candidates.contains(&"GX2025-0006".to_string()));
    assert!(
        !candidates.contains(&"GX2025-0004".to_string()) && !candidates.contains(&"GX2025-0007".to_string())
    );

    let text = pdftotext(&print::minutes(&conn, &chair_key(&conn)?, Lang::Zh)?)?;
    let flat: String = text.split_whitespace().collect();
    assert!(flat.contains("资格审查"), "the minutes' eligibility section");
    assert!(flat.contains(reason), "the override's reason is printed");
    assert!(flat.contains("不予表决"), "the two left out are listed");
    Ok(())
}
