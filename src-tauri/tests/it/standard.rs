//! `conclave new-meeting --reference-date`, `standard check|set|load` and
//! `rules posts` on the fixtures, as a user would run them; `status --json`
//! carries the standard, every candidate's check and the posts.

use crate::common::*;
use crate::headless::{conclave, ok, status};
use serde_json::Value;
use std::path::PathBuf;

/// A meeting whose years are counted to 2012-01-01, with the fixtures.
fn early_meeting(data: &std::path::Path) -> anyhow::Result<String> {
    let db =
        ok(data, &["new-meeting", "历史会议", "--date", "2026-12-01", "--reference-date", "2012-01-01"], "")?;
    let db = PathBuf::from(db.trim());
    let m = db.to_str().expect("utf-8").to_string();
    for p in ["committee-25.json", "batch-small"] {
        ok(data, &["import", fixtures().join(p).to_str().expect("utf-8"), "--meeting", &m], "")?;
    }
    Ok(m)
}

fn check_of<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["candidates"].as_array().unwrap().iter().find(|c| c["candidate_id"] == id).expect(id)
}

#[test]
fn the_check_counts_to_the_reference_date_given_with_the_meeting() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = early_meeting(data.path())?;
    let json: Value =
        serde_json::from_str(&ok(data.path(), &["standard", "check", "--meeting", &db, "--json"], "")?)?;
    assert_eq!(json["standard"]["reference_date"], "2012-01-01");
    let c = check_of(&json, "GX2025-0008");
    assert_eq!(c["check"]["outcome"], "fails");
    assert_eq!(c["check"]["zh"], "大学本科，高级实验师 3 年 1 个月，需 5 年");
    assert_eq!(check_of(&json, "GX2025-0004")["check"]["outcome"], "meets", "a doctorate needs no years");
    assert_eq!(check_of(&json, "GX2025-0001")["check"]["outcome"], "not_checked", "green channel");

    let text = ok(data.path(), &["standard", "check", "--meeting", &db], "")?;
    assert!(text.contains("资历计算截止日期 2012-01-01"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("GX2025-0008") && l.contains("不符合")), "{text}");
    let en = ok(data.path(), &["--lang", "en", "standard", "check", "--meeting", &db], "")?;
    assert!(en.contains("Does not meet") && en.contains("needs 5 years"), "{en}");

    // Back to the meeting date: GX2025-0008 has held 高级实验师 since 2008.
    ok(
        data.path(),
        &["standard", "set", "--meeting", &db, "--reference-date", "meeting", "--flag-only"],
        "",
    )?;
    let s = status(data.path(), &db)?;
    assert_eq!(s["standard"]["reference_date"], "2026-12-01");
    assert_eq!(s["standard"]["flag_only"], true);
    let conditions = s["conditions"].as_array().unwrap();
    assert_eq!(conditions.len(), 8);
    assert!(conditions.iter().all(|c| c["check"]["outcome"] != "fails"), "{conditions:?}");

    let bad =
        conclave(data.path(), &["standard", "set", "--meeting", &db, "--reference-date", "2012-02-30"], "")?;
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("资历计算截止日期“2012-02-30”无效"), "{}", bad.stderr);
    Ok(())
}

#[test]
fn posts_and_unit_tables_are_set_from_the_command_line_and_bad_ones_refused() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = early_meeting(data.path())?;
    let out =
        ok(data.path(), &["rules", "posts", "--meeting", &db, "--title", "高级实验师", "--posts", "1"], "")?;
    assert!(out.contains("高级实验师 1"), "{out}");
    let s = status(data.path(), &db)?;
    assert_eq!(s["standard"]["posts"], serde_json::json!([{ "title": "senior_lab_engineer", "posts": 1 }]));
    let bad =
        conclave(data.path(), &["rules", "posts", "--meeting", &db, "--title", "院士", "--posts", "1"], "")?;
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("院士") && bad.stderr.contains("高级实验师"), "{}", bad.stderr);
    ok(data.path(), &["rules", "posts", "--meeting", &db, "--title", "senior_lab_engineer", "--clear"], "")?;
    assert_eq!(status(data.path(), &db)?["standard"]["posts"], serde_json::json!([]));

    let mut table: Value = serde_json::from_str(conclave_core::domain::standard::BUNDLED)?;
    table["name"] = "某大学实验技术系列评审条件".into();
    table["titles"][3]["clauses"][0]["years"] = 6.into();
    let path = data.path().join("unit.json");
    std::fs::write(&path, serde_json::to_vec(&table)?)?;
    let out = ok(data.path(), &["standard", "load", "--meeting", &db, path.to_str().unwrap()], "")?;
    assert!(
        out.contains("某大学实验技术系列评审条件（单位标准）") && out.contains(&sha(&std::fs::read(&path)?)),
        "{out}"
    );
    table["titles"][3]["clauses"][0]["years"] = 3.into();
    std::fs::write(&path, serde_json::to_vec(&table)?)?;
    let bad = conclave(data.path(), &["standard", "load", "--meeting", &db, path.to_str().unwrap()], "")?;
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("不得低于国家标准") && bad.stderr.contains("正高级实验师"), "{}", bad.stderr);
    let s = status(data.path(), &db)?;
    assert_eq!(s["standard"]["name"], "某大学实验技术系列评审条件", "the refusal changed nothing");
    let c = s["conditions"].as_array().unwrap().iter().find(|c| c["candidate_id"] == "GX2025-0008").unwrap();
    assert!(c["check"]["zh"].as_str().unwrap().ends_with("需 6 年"), "{c}");
    Ok(())
}

#[test]
fn a_bad_reference_date_makes_no_meeting() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let out = conclave(
        data.path(),
        &["new-meeting", "会议", "--date", "2026-12-01", "--reference-date", "2026-13-01"],
        "",
    )?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("资历计算截止日期"), "{}", out.stderr);
    let meetings = data.path().join("meetings");
    assert!(!meetings.exists() || std::fs::read_dir(&meetings)?.next().is_none(), "nothing left behind");
    Ok(())
}
