//! Black-box tests of the `conclave` binary.

use crate::common::*;
use assert_cmd::Command;

fn conclave() -> Command {
    Command::cargo_bin("conclave").expect("the conclave binary is built with the tests")
}

#[test]
fn version_and_help_need_no_display() {
    let out = conclave().arg("--version").env_remove("DISPLAY").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
    let out = conclave().arg("--help").env_remove("DISPLAY").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("check"));
}

#[test]
fn usage_errors_exit_2() {
    conclave().args(["check"]).assert().code(2);
    conclave().args(["frobnicate"]).assert().code(2);
    conclave().args(["check", "x", "--lang", "fr"]).assert().code(2);
}

#[test]
fn check_accepts_every_valid_fixture() {
    for p in ["batch-small", "batch-small.zip", "batch-small-xlsx", "committee-25.json", "committee-25.xlsx"]
    {
        conclave().arg("check").arg(fixtures().join(p)).assert().code(0);
    }
}

#[test]
fn check_json_has_the_documented_shape() -> anyhow::Result<()> {
    let out = conclave().arg("check").arg(fixtures().join("batch-small.zip")).arg("--json").output()?;
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    for key in ["ok", "kind", "candidates", "files", "bytes", "errors", "warnings"] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["kind"], "dossier");
    assert_eq!(v["candidates"], 8);
    let roster = conclave().arg("check").arg(fixtures().join("committee-25.json")).arg("--json").output()?;
    let v: serde_json::Value = serde_json::from_slice(&roster.stdout)?;
    assert_eq!(v["kind"], "committee");
    Ok(())
}

#[test]
fn check_reports_each_invalid_fixture_with_exit_1() -> anyhow::Result<()> {
    let cases = [
        ("several-errors.zip", "高级工程师"),
        ("hash-mismatch.zip", "校验值不符"),
        ("path-traversal.zip", "../outside.pdf"),
    ];
    for (file, needle) in cases {
        let out =
            conclave().arg("check").arg(fixtures().join("invalid").join(file)).arg("--json").output()?;
        assert_eq!(out.status.code(), Some(1), "{file}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        assert_eq!(v["ok"], false);
        assert!(v["errors"].to_string().contains(needle), "{file}: {}", v["errors"]);
    }
    Ok(())
}

#[test]
fn english_messages_with_lang_en() -> anyhow::Result<()> {
    let out = conclave()
        .args(["check", "--lang", "en"])
        .arg(fixtures().join("invalid/hash-mismatch.zip"))
        .output()?;
    let text = String::from_utf8(out.stdout)?;
    assert!(text.contains("does not match its hash"), "{text}");
    Ok(())
}

#[test]
fn paths_with_chinese_characters_and_spaces_work() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let pkg = dir.path().join("二〇二五 材料 包.zip");
    std::fs::copy(fixtures().join("batch-small.zip"), &pkg)?;
    conclave().arg("check").arg(&pkg).assert().code(0);
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let out = conclave().arg("import").arg(&pkg).arg("--meeting").arg(&db).output()?;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已导入"));
    let again = conclave().arg("import").arg(&pkg).arg("--meeting").arg(&db).output()?;
    assert_eq!(again.status.code(), Some(1), "a re-import is refused");
    Ok(())
}

#[test]
fn import_into_a_missing_meeting_is_a_usage_error() {
    conclave()
        .arg("import")
        .arg(fixtures().join("batch-small.zip"))
        .args(["--meeting", "/nonexistent/meeting.db"])
        .assert()
        .code(2);
}

#[test]
fn new_meeting_creates_a_listed_meeting_and_refuses_bad_dates() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let out = conclave()
        .args(["new-meeting", "命令行会议", "--date", "2025-12-05", "--level", "intermediate"])
        .env("CONCLAVE_DATA_DIR", data.path())
        .output()?;
    assert_eq!(out.status.code(), Some(0));
    let db = String::from_utf8(out.stdout)?;
    assert!(std::path::Path::new(db.trim()).is_file(), "prints the database path: {db}");
    let listed = conclave_core::api::meeting::list(data.path())?;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "命令行会议");
    let bad = conclave()
        .args(["new-meeting", "坏日期", "--date", "1988-02-30"])
        .env("CONCLAVE_DATA_DIR", data.path())
        .output()?;
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("1988-02-30"));
    Ok(())
}
