//! The chair's authority (issue 16 item 3): opening, closing and confirming
//! a round and overriding 资格审查 take the chair's PIN, or a vice chair's
//! where the chair is absent or recused; anyone else's PIN, or none, is
//! refused with nothing changed, and the minutes say who confirmed.

use crate::common::*;
use conclave_core::api::voting::Choice;
use conclave_core::api::{eligibility, print, session, voting};
use conclave_core::i18n::Lang;
use rusqlite::Connection;

fn audit_len(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}

fn rounds(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM round", [], |r| r.get(0))?)
}

fn pin_of(conn: &mut conclave_core::store::Meeting, member: &str) -> anyhow::Result<String> {
    Ok(session::reissue_pin(conn, member)?.pin)
}

#[test]
fn a_members_pin_or_none_opens_no_round_and_changes_nothing() -> anyhow::Result<()> {
    let (_d, _db, mut conn, ids) = twenty_present()?;
    let member = pin_of(&mut conn, &ids[5])?;
    let vice = pin_of(&mut conn, &ids[1])?;
    let before = audit_len(&conn)?;
    for (pin, zh, en) in [
        ("", "须由主任委员输入其个人密码", "needs the chair's PIN"),
        (member.as_str(), "不是主任委员", "is not the chair"),
        // The chair is present and not recused: a vice chair does not stand in.
        (vice.as_str(), "不是主任委员", "is not the chair"),
        ("000000x", "个人密码不正确", "Wrong PIN"),
    ] {
        let e = voting::open_round(&mut conn, &[], "", voting::Mode::Station, pin).expect_err("refused");
        assert!(e.message(Lang::Zh).contains(zh), "{}", e.message(Lang::Zh));
        assert!(e.message(Lang::En).contains(en), "{}", e.message(Lang::En));
    }
    assert_eq!(rounds(&conn)?, 0, "no round opened");
    assert_eq!(audit_len(&conn)?, before, "nothing audited");
    let chair = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &chair)?;
    assert_eq!(voting::round_status(&conn, round)?.opened_by.as_deref(), Some("李鹏伟"));
    Ok(())
}

#[test]
fn closing_and_confirming_need_the_chair_and_the_minutes_say_who_confirmed() -> anyhow::Result<()> {
    let (_d, _db, mut conn, ids) = twenty_present()?;
    let chair = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &chair)?;
    let candidates = voting::round_status(&conn, round)?.candidates;
    for member in &ids[..3] {
        let all_for = candidates.iter().map(|c| (c.clone(), Choice::For)).collect();
        voting::cast(&mut conn, round, member, &all_for)?;
    }
    let member = pin_of(&mut conn, &ids[7])?;
    let e = voting::close_round(&mut conn, round, &member).expect_err("a member cannot close");
    assert!(e.message(Lang::Zh).contains("不是主任委员"), "{}", e.message(Lang::Zh));
    assert!(voting::round_status(&conn, round)?.closed_at.is_none(), "still open");
    voting::close_round(&mut conn, round, &chair)?;
    assert_eq!(voting::round_status(&conn, round)?.closed_by.as_deref(), Some("李鹏伟"));
    tally(&mut conn, round)?;
    let e = voting::confirm_round(&mut conn, round, &member).expect_err("a member cannot confirm");
    assert!(e.message(Lang::En).contains("is not the chair"), "{}", e.message(Lang::En));
    assert!(voting::round_status(&conn, round)?.confirmed_at.is_none(), "not confirmed");
    voting::confirm_round(&mut conn, round, &chair)?;
    let status = voting::round_status(&conn, round)?;
    assert_eq!(status.confirmed_by.as_deref(), Some("李鹏伟"));
    let key = chair_key(&conn)?;
    let minutes = pdftotext(&print::minutes(&conn, &key, Lang::Zh)?)?;
    let flat: String = minutes.split_whitespace().collect();
    assert!(flat.contains("确认人：李鹏伟"), "{minutes}");
    // The override of the fixtures' barred candidates names its chair too.
    assert!(flat.contains("主任委员准予表决，理由：测试：全部表决（确认人：李鹏伟）"), "{minutes}");
    Ok(())
}

#[test]
fn a_vice_chair_stands_in_where_the_chair_is_recused_and_only_there() -> anyhow::Result<()> {
    let (_d, _db, mut conn, ids) = twenty_present()?;
    // The chair (M01) is recused for GX2025-0002.
    session::set_recusal(&mut conn, &ids[0], "GX2025-0002", true, "同一单位")?;
    let chair = chair_pin(&mut conn)?;
    let vice = pin_of(&mut conn, &ids[1])?;
    let both = ["GX2025-0001".to_string(), "GX2025-0002".to_string()];
    let e = voting::open_round(&mut conn, &both, "", voting::Mode::Station, &chair).expect_err("recused");
    assert!(e.message(Lang::Zh).contains("须回避"), "{}", e.message(Lang::Zh));
    assert!(e.message(Lang::Zh).contains("副主任委员"), "{}", e.message(Lang::Zh));
    assert_eq!(rounds(&conn)?, 0);
    let round = voting::open_round(&mut conn, &both, "", voting::Mode::Station, &vice)?;
    assert_eq!(voting::round_status(&conn, round)?.opened_by.as_deref(), Some("郭刚宇"));
    // For a round without that candidate the chair presides again, and the
    // vice chair may not.
    voting::close_round(&mut conn, round, &vice)?;
    tally(&mut conn, round)?;
    voting::confirm_round(&mut conn, round, &vice)?;
    let one = ["GX2025-0003".to_string()];
    let e = voting::open_round(&mut conn, &one, "", voting::Mode::Station, &vice).expect_err("chair present");
    assert!(e.message(Lang::Zh).contains("不是主任委员"), "{}", e.message(Lang::Zh));
    voting::open_round(&mut conn, &one, "", voting::Mode::Station, &chair)?;
    Ok(())
}

#[test]
fn an_override_needs_the_chair_and_records_who() -> anyhow::Result<()> {
    let (data, db) = prepared()?;
    let _keep = data;
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids[..20] {
        session::set_presence(&mut conn, id, true)?;
    }
    let member = pin_of(&mut conn, &ids[9])?;
    let e = eligibility::record_override(&mut conn, "GX2025-0006", "理由", &member).expect_err("member");
    assert!(e.message(Lang::Zh).contains("不是主任委员"), "{}", e.message(Lang::Zh));
    assert!(eligibility::override_of(&conn, "GX2025-0006")?.is_none(), "nothing recorded");
    let chair = chair_pin(&mut conn)?;
    let o = eligibility::record_override(&mut conn, "GX2025-0006", "理由", &chair)?;
    assert_eq!(o.by.as_deref(), Some("李鹏伟"));
    assert_eq!(eligibility::override_of(&conn, "GX2025-0006")?.and_then(|o| o.by).as_deref(), Some("李鹏伟"));
    Ok(())
}

#[test]
fn the_chairs_pin_is_refused_after_the_chair_signs_out() -> anyhow::Result<()> {
    let (_d, _db, mut conn, ids) = twenty_present()?;
    let chair = chair_pin(&mut conn)?;
    let vice = pin_of(&mut conn, &ids[2])?;
    session::set_presence(&mut conn, &ids[0], false)?;
    // The chair absent: no round at all (the rules need the chair or a vice
    // chair present), and the absent chair's PIN does not open one.
    let e = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &chair).expect_err("absent");
    assert!(e.message(Lang::Zh).contains("个人密码不正确"), "{}", e.message(Lang::Zh));
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &vice)?;
    assert_eq!(voting::round_status(&conn, round)?.opened_by.as_deref(), Some("石杰宇"));
    Ok(())
}
