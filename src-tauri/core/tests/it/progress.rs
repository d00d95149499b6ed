//! The meeting checklist (会议进程) through a whole meeting, and what
//! opening a round says before anyone types a PIN (issue 25).

use crate::common::*;
use conclave_core::api::progress::{checklist, Step, StepKey, StepState};
use conclave_core::api::{archive, print, session, voting};
use conclave_core::i18n::Lang;
use conclave_core::store::{self, Meeting};

/// The checklist as (key, state) pairs, with the reasons (zh) for messages.
fn states(conn: &Meeting) -> anyhow::Result<Vec<Step>> {
    Ok(checklist(conn, Lang::Zh)?)
}

fn step(steps: &[Step], key: StepKey) -> &Step {
    steps.iter().find(|s| s.key == key).unwrap_or_else(|| panic!("{key:?} is listed: {steps:#?}"))
}

/// Asserts `key`'s state and that its reason contains `why` (empty: any).
fn expect(steps: &[Step], key: StepKey, state: StepState, why: &str) {
    let s = step(steps, key);
    assert_eq!(s.state, state, "{key:?} should be {state:?}: {s:#?}");
    if !why.is_empty() {
        let said = s.why.as_deref().unwrap_or("");
        assert!(said.contains(why), "{key:?} should say “{why}”, says “{said}”");
    }
}

/// The key of the one highlighted step.
fn next(steps: &[Step]) -> Option<StepKey> {
    let marked: Vec<StepKey> = steps.iter().filter(|s| s.next).map(|s| s.key).collect();
    assert!(marked.len() <= 1, "one next step at most: {marked:?}");
    marked.first().copied()
}

#[test]
fn the_checklist_follows_a_whole_meeting_step_by_step() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let conn = store::open(&db)?;
    let s = states(&conn)?;
    expect(&s, StepKey::Roster, StepState::Todo, "名单");
    expect(&s, StepKey::Dossiers, StepState::Todo, "材料包");
    expect(&s, StepKey::Signin, StepState::Blocked, "请先导入");
    expect(&s, StepKey::Rounds, StepState::Blocked, "名单");
    expect(&s, StepKey::Archive, StepState::Blocked, "");
    assert_eq!(next(&s), Some(StepKey::Roster));
    assert!(s.iter().all(|x| x.key != StepKey::Network), "no terminals used: no network step");

    drop(conn);
    import_fixtures(&db)?;
    let mut conn = store::open(&db)?;
    let s = states(&conn)?;
    expect(&s, StepKey::Roster, StepState::Done, "");
    expect(&s, StepKey::Dossiers, StepState::Done, "");
    expect(&s, StepKey::Signin, StepState::Todo, "法定人数");
    expect(&s, StepKey::Recusals, StepState::Todo, "自动识别可能的回避");
    expect(&s, StepKey::Eligibility, StepState::Done, "未通过资格审查");
    expect(&s, StepKey::Ceremony, StepState::Todo, "计票人");
    expect(&s, StepKey::Pins, StepState::Blocked, "还没有委员签到");
    assert_eq!(next(&s), Some(StepKey::Signin));

    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    session::set_presence_many(&mut conn, &ids[..20], true)?;
    let s = states(&conn)?;
    expect(&s, StepKey::Signin, StepState::Done, "");
    expect(&s, StepKey::Pins, StepState::Todo, "还没有个人密码");
    assert_eq!(next(&s), Some(StepKey::Recusals));

    session::propose_recusals(&mut conn)?;
    let s = states(&conn)?;
    expect(&s, StepKey::Recusals, StepState::Todo, "回避待确认");
    // Dismissed here, so that every member votes on every candidate below.
    session::decide_all_recusals(&mut conn, false)?;
    expect(&states(&conn)?, StepKey::Recusals, StepState::Done, "");

    name_trustees(&mut conn)?;
    let s = states(&conn)?;
    expect(&s, StepKey::Ceremony, StepState::Done, "");
    // Nobody holds a PIN: the round is blocked by the slips, not a wrong PIN.
    expect(&s, StepKey::Rounds, StepState::Blocked, "还没有发放投票密码");
    assert_eq!(next(&s), Some(StepKey::Pins));

    session::issue_pins(&mut conn)?;
    override_all_barred(&mut conn)?;
    let s = states(&conn)?;
    expect(&s, StepKey::Pins, StepState::Done, "");
    expect(&s, StepKey::Eligibility, StepState::Done, "");
    assert_eq!(step(&s, StepKey::Eligibility).why, None, "nobody left out");
    expect(&s, StepKey::Rounds, StepState::Todo, "还有 8 名申报人未表决");
    expect(&s, StepKey::Results, StepState::Blocked, "还没有结束的表决");
    assert_eq!(next(&s), Some(StepKey::Rounds));

    let pin = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin)?;
    expect(&states(&conn)?, StepKey::Rounds, StepState::Todo, "第 1 轮表决进行中");
    expect(&states(&conn)?, StepKey::Archive, StepState::Blocked, "");
    let candidates = voting::round_status(&conn, round)?.candidates;
    for (k, member) in ids[..20].iter().enumerate() {
        let choices = candidates.iter().enumerate().map(|(ci, c)| (c.clone(), pattern(k, ci))).collect();
        voting::cast(&mut conn, round, member, &choices)?;
    }
    let s = states(&conn)?;
    expect(&s, StepKey::Results, StepState::Todo, "尚未计票");
    expect(&s, StepKey::Rounds, StepState::Blocked, "尚未计票");
    tally(&mut conn, round)?;
    expect(&states(&conn)?, StepKey::Results, StepState::Todo, "待主任委员确认");
    let pin = chair_pin(&mut conn)?;
    voting::confirm_round(&mut conn, round, &pin)?;
    let s = states(&conn)?;
    expect(&s, StepKey::Rounds, StepState::Done, "");
    expect(&s, StepKey::Results, StepState::Done, "");
    expect(&s, StepKey::Prints, StepState::Todo, "第 1 轮表决结果统计表、会议记录");
    assert_eq!(next(&s), Some(StepKey::Prints));

    let key = chair_key(&conn)?;
    print::results_sheet(&conn, &key, round, Lang::Zh)?;
    expect(&states(&conn)?, StepKey::Prints, StepState::Todo, "会议记录");
    print::minutes(&conn, &key, Lang::Zh)?;
    let s = states(&conn)?;
    expect(&s, StepKey::Prints, StepState::Done, "");
    expect(&s, StepKey::Archive, StepState::Todo, "");
    assert_eq!(next(&s), Some(StepKey::Archive));

    // Members leaving after the last result no longer matter.
    session::set_presence_many(&mut conn, &ids[..20], false)?;
    drop(conn);
    archive::export(&db, &data.path().join("meeting.zip"), Lang::Zh, CHAIR)?;
    let s = states(&store::open(&db)?)?;
    assert!(s.iter().all(|x| x.state == StepState::Done), "all done: {s:#?}");
    assert_eq!(next(&s), None);
    Ok(())
}

#[test]
fn the_checklist_speaks_english_and_shows_the_network_once_terminals_are_used() -> anyhow::Result<()> {
    let (_d, _db, mut conn, _ids) = twenty_present()?;
    session::issue_pins(&mut conn)?;
    let pin = chair_pin(&mut conn)?;
    voting::open_round(&mut conn, &[], "", voting::Mode::Terminal, &pin)?;
    let s = checklist(&conn, Lang::En)?;
    let keys: Vec<StepKey> = s.iter().map(|x| x.key).collect();
    let at = |k| keys.iter().position(|x| *x == k);
    assert!(
        at(StepKey::Network) > at(StepKey::Pins) && at(StepKey::Network) < at(StepKey::Rounds),
        "{keys:?}"
    );
    expect(&s, StepKey::Network, StepState::Todo, "No terminal cards printed yet");
    expect(&s, StepKey::Rounds, StepState::Todo, "Round 1 is open");
    Ok(())
}

#[test]
fn a_round_without_pins_says_so_before_any_pin_is_typed() -> anyhow::Result<()> {
    let (_d, _db) = prepared()?;
    let mut conn = store::open(&_db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    session::set_presence_many(&mut conn, &ids[..20], true)?;
    let one = ["GX2025-0001".to_string()];
    let e = voting::can_open(&conn, &one, "").expect_err("no PINs");
    let zh = e.message(Lang::Zh);
    assert!(zh.contains("还没有发放投票密码：请先打印投票密码条") && zh.contains("李鹏伟"), "{zh}");
    assert!(!zh.contains("个人密码不正确"), "not a wrong PIN: {zh}");
    assert!(e.message(Lang::En).contains("No PINs have been issued"), "{}", e.message(Lang::En));
    // Opening with some PIN says the same, never 个人密码不正确.
    let e = voting::open_round(&mut conn, &one, "", voting::Mode::Station, "123456").expect_err("no PINs");
    assert!(e.message(Lang::Zh).contains("还没有发放投票密码"), "{}", e.message(Lang::Zh));
    session::issue_pins(&mut conn)?;
    let p = voting::can_open(&conn, &one, "")?;
    assert_eq!(p.prompt().render(Lang::Zh), "请主任委员 李鹏伟 输入个人密码");
    Ok(())
}

#[test]
fn a_recused_chair_hands_over_to_the_vice_chairs_by_name() -> anyhow::Result<()> {
    let (_d, _db, mut conn, ids) = twenty_present()?;
    session::set_recusal(&mut conn, &ids[0], "GX2025-0002", true, "同一单位")?;
    let both = ["GX2025-0001".to_string(), "GX2025-0002".to_string()];
    // Only the chair holds a PIN so far (the overrides took it).
    let e = voting::can_open(&conn, &both, "").expect_err("vice chairs have no PIN");
    let zh = e.message(Lang::Zh);
    assert!(zh.contains("还没有发放投票密码") && zh.contains("郭刚宇") && !zh.contains("李鹏伟"), "{zh}");
    session::reissue_pin(&mut conn, &ids[1])?;
    let said = voting::can_open(&conn, &both, "")?.prompt().render(Lang::Zh);
    assert!(
        said.contains("李鹏伟") && said.contains("须回避") && said.contains("副主任委员 郭刚宇"),
        "{said}"
    );
    let en = voting::can_open(&conn, &both, "")?.prompt().render(Lang::En);
    assert!(en.contains("is recused") && en.contains("vice chair"), "{en}");
    // Both vice chairs recused too: nobody can preside, and the chair is named.
    session::set_recusal(&mut conn, &ids[1], "GX2025-0002", true, "同一单位")?;
    session::set_recusal(&mut conn, &ids[2], "GX2025-0002", true, "同一单位")?;
    let e = voting::can_open(&conn, &both, "").expect_err("nobody presides");
    assert!(e.message(Lang::Zh).contains("没有可以代为主持的"), "{}", e.message(Lang::Zh));
    Ok(())
}

#[test]
fn can_open_names_undecided_recusals_missing_trustees_and_a_revotes_reason() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    import_fixtures(&db)?;
    let mut conn = store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    session::set_presence_many(&mut conn, &ids[..20], true)?;
    let e = voting::can_open(&conn, &[], "").expect_err("no trustees");
    assert!(e.message(Lang::Zh).contains("还没有指定计票人"), "{}", e.message(Lang::Zh));
    name_trustees(&mut conn)?;
    session::issue_pins(&mut conn)?;
    session::propose_recusals(&mut conn)?;
    let pending = session::recusals(&conn)?.into_iter().find(|r| r.status == "proposed").expect("a proposal");
    let e = voting::can_open(&conn, std::slice::from_ref(&pending.candidate_id), "").expect_err("undecided");
    assert!(e.message(Lang::Zh).contains("回避待确认"), "{}", e.message(Lang::Zh));
    session::decide_all_recusals(&mut conn, false)?;
    let (db2, round) = meeting_with_round(data.path(), "重投", pattern)?;
    let again = store::open(&db2)?;
    let first = voting::round_status(&again, round)?.candidates[0].clone();
    let e = voting::can_open(&again, std::slice::from_ref(&first), "").expect_err("a re-vote needs a reason");
    assert!(e.message(Lang::Zh).contains(&first), "{}", e.message(Lang::Zh));
    voting::can_open(&again, &[first], "计票有误，重新表决")?;
    Ok(())
}
