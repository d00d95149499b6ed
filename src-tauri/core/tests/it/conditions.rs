//! The application conditions (申报条件) on the fixtures plus a candidate
//! short of years: barred with the numbers, the chair's override, the
//! "flag only" rule, the reference date, a unit's stricter table, and the
//! minutes' section read back from the PDF.

use crate::common::*;
use conclave_core::api::{eligibility, print, session, standard, voting};
use conclave_core::domain::conditions::Outcome;
use conclave_core::i18n::Lang;
use serde_json::json;

const SHORT: &str = "GX2025-0100";

/// The fixtures, a candidate short of years (实验师 since 2022-10-01, meeting
/// 2025-12-05: 3 years 2 months of the 5 asked) and 20 members signed in.
fn meeting_with_short_candidate() -> anyhow::Result<(tempfile::TempDir, conclave_core::store::Meeting)> {
    let (d, db) = prepared()?;
    let mut c = candidate(SHORT, "files/p.pdf", &pdf("short"));
    c["name"] = json!("覃短年");
    c["current_title"] = json!({ "title": "实验师", "obtained": "2022-10-01" });
    c["education"] = json!({ "degree": "大学本科" });
    c["track"] = json!("normal");
    let pkg = d.path().join("short");
    write_dir(&pkg, &manifest(vec![c]), &[("files/p.pdf", pdf("short"))])?;
    let r = conclave_core::api::import::import(
        &db,
        &pkg,
        &conclave_core::package::Limits::default(),
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )?;
    anyhow::ensure!(r.ok(), "{:?}", errors(&r));
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

fn check_of(conn: &conclave_core::store::Connection, id: &str) -> anyhow::Result<standard::CandidateCheck> {
    standard::check_all(conn)?
        .into_iter()
        .find(|c| c.candidate_id == id)
        .ok_or_else(|| anyhow::anyhow!("{id}"))
}

#[test]
fn a_candidate_short_of_years_is_barred_with_the_numbers_until_the_chair_overrides() -> anyhow::Result<()> {
    let (_d, mut conn) = meeting_with_short_candidate()?;
    let c = check_of(&conn, SHORT)?;
    assert_eq!(c.check.outcome, Outcome::Fails);
    assert_eq!(c.check.zh, "大学本科，实验师 3 年 2 个月，需 5 年");
    assert_eq!((c.check.held_months, c.check.need_years), (Some(38), Some(5)));
    // The fixtures all meet the table or are on a route it does not check.
    for other in standard::check_all(&conn)?.iter().filter(|c| c.candidate_id != SHORT) {
        assert!(
            matches!(other.check.outcome, Outcome::Meets | Outcome::NotChecked),
            "{}: {}",
            other.name,
            other.check.zh
        );
    }
    let barred = eligibility::barred(&conn)?;
    let short = barred.iter().find(|b| b.candidate_id == SHORT).expect("barred");
    assert_eq!(short.reason_keys(), vec!["bar.conditions"]);
    assert_eq!(barred.iter().filter(|b| b.reason_keys().contains(&"bar.conditions")).count(), 1);

    let pin = chair_pin(&mut conn)?;
    let before = audit_len(&conn)?;
    let e = voting::open_round(&mut conn, &[SHORT.to_string()], "", voting::Mode::Station, &pin)
        .expect_err("barred");
    let zh = e.message(Lang::Zh);
    assert!(zh.contains(SHORT) && zh.contains("不符合申报条件"), "{zh}");
    assert!(e.message(Lang::En).contains("application conditions not met"), "{}", e.message(Lang::En));
    assert_eq!(audit_len(&conn)?, before, "the refusal changes nothing");

    let reason = "经主任委员会议研究，资历按聘任时间计";
    eligibility::record_override(&mut conn, SHORT, reason, &pin)?;
    let pin = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[SHORT.to_string()], "", voting::Mode::Station, &pin)?;
    assert_eq!(voting::round_status(&conn, round)?.candidates, vec![SHORT.to_string()]);

    let pdf = print::minutes(&conn, &chair_key(&conn)?, Lang::Zh)?;
    keep("conditions-minutes-zh.pdf", &pdf)?;
    let text = pdftotext(&pdf)?;
    let flat: String = text.split_whitespace().collect();
    for want in [
        "申报条件审查",
        "实验技术人员职称评价基本标准",
        "2025-12-05",
        "大学本科，实验师3年2个月，需5年",
        reason,
        "不符合申报条件",
    ] {
        assert!(flat.contains(want), "minutes lack {want}");
    }
    let sha = standard::info(&conn)?.sha256;
    assert!(flat.contains(&sha[..16]), "the table's hash is printed");
    let en: String =
        pdftotext(&print::minutes(&conn, &chair_key(&conn)?, Lang::En)?)?.split_whitespace().collect();
    assert!(en.contains("Applicationconditions") && en.contains("needs5years"), "{en}");
    // Once a round has opened, the conditions are fixed.
    let e = standard::set_flag_only(&mut conn, true).expect_err("frozen");
    assert!(e.message(Lang::Zh).contains("不能再修改"));
    Ok(())
}

#[test]
fn flag_only_and_a_later_reference_date_let_the_candidate_through_and_are_audited() -> anyhow::Result<()> {
    let (_d, mut conn) = meeting_with_short_candidate()?;
    standard::set_flag_only(&mut conn, true)?;
    assert!(!eligibility::barred(&conn)?.iter().any(|b| b.candidate_id == SHORT), "flagged only");
    let row = conclave_core::api::candidates::list(&conn)?.into_iter().find(|c| c.id == SHORT).unwrap();
    assert!(row.flags.iter().any(|f| matches!(f,
        conclave_core::domain::flags::Flag::Conditions { bars: false, check } if check.outcome == Outcome::Fails)));
    standard::set_flag_only(&mut conn, false)?;
    assert!(eligibility::barred(&conn)?.iter().any(|b| b.candidate_id == SHORT));

    // Five years from 2022-10-01: the day before fails, the day itself passes.
    standard::set_reference_date(&mut conn, Some("2027-09-30"))?;
    assert_eq!(check_of(&conn, SHORT)?.check.outcome, Outcome::Fails);
    standard::set_reference_date(&mut conn, Some("2027-10-01"))?;
    assert_eq!(check_of(&conn, SHORT)?.check.outcome, Outcome::Meets);
    assert!(!eligibility::barred(&conn)?.iter().any(|b| b.candidate_id == SHORT));

    let before = audit_len(&conn)?;
    let e = standard::set_reference_date(&mut conn, Some("2027-02-30")).expect_err("no such day");
    assert!(e.message(Lang::Zh).contains("资历计算截止日期“2027-02-30”无效"), "{}", e.message(Lang::Zh));
    assert_eq!(audit_len(&conn)?, before);
    let kinds: Vec<String> = conn
        .prepare("SELECT kind FROM audit_log WHERE kind LIKE 'standard.%' ORDER BY seq")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    assert_eq!(
        kinds,
        ["standard.mode", "standard.mode", "standard.reference_date", "standard.reference_date"]
    );
    Ok(())
}

#[test]
fn a_unit_table_is_recorded_by_name_and_hash_and_a_looser_one_changes_nothing() -> anyhow::Result<()> {
    let (_d, mut conn) = meeting_with_short_candidate()?;
    let mut t: serde_json::Value = serde_json::from_str(conclave_core::domain::standard::BUNDLED)?;
    t["name"] = json!("广西大学实验技术系列职称评审条件");
    // The unit asks 本科 six years for 高级实验师 instead of five.
    t["titles"][2]["clauses"][1]["years"] = json!(6);
    let bytes = serde_json::to_vec_pretty(&t)?;
    let info = standard::load_unit_table(&mut conn, Some(&bytes))?;
    assert!(info.unit && info.name == "广西大学实验技术系列职称评审条件");
    assert_eq!(info.sha256, sha(&bytes));
    assert_eq!(check_of(&conn, SHORT)?.check.zh, "大学本科，实验师 3 年 2 个月，需 6 年");
    let logged: String =
        conn.query_row("SELECT detail FROM audit_log WHERE kind = 'standard.unit_table'", [], |r| r.get(0))?;
    assert!(logged.contains(&info.sha256) && logged.contains("广西大学"), "{logged}");

    let before = audit_len(&conn)?;
    t["titles"][2]["clauses"][1]["years"] = json!(4);
    let e = standard::load_unit_table(&mut conn, Some(&serde_json::to_vec(&t)?)).expect_err("looser");
    let zh = e.message(Lang::Zh);
    assert!(zh.contains("不得低于国家标准") && zh.contains("高级实验师") && zh.contains("大学本科"), "{zh}");
    let e = standard::load_unit_table(&mut conn, Some(b"{\"format\": 1")).expect_err("broken");
    assert!(e.message(Lang::Zh).contains("第 1 行"), "{}", e.message(Lang::Zh));
    assert_eq!(audit_len(&conn)?, before, "refusals change nothing");
    assert_eq!(standard::info(&conn)?.sha256, sha(&bytes), "the unit table stays");

    let flat: String =
        pdftotext(&print::minutes(&conn, &chair_key(&conn)?, Lang::Zh)?)?.split_whitespace().collect();
    assert!(
        flat.contains("广西大学实验技术系列职称评审条件（单位标准）") && flat.contains(&sha(&bytes)[..16])
    );
    Ok(())
}
