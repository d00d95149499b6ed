//! The manifest: BOM, syntax errors with line and column, bounded nesting and
//! lengths, real dates, vocabularies by code or label, unknown keys kept as
//! warnings, every error listed.

use crate::common::*;
use serde_json::json;

fn check_manifest(text: &[u8], files: &[(&str, Vec<u8>)]) -> anyhow::Result<conclave_core::package::Report> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("dossier.json"), text)?;
    for (p, b) in files {
        std::fs::write(dir.path().join(p), b)?;
    }
    Ok(check(dir.path()))
}

#[test]
fn tolerates_a_utf8_bom() -> anyhow::Result<()> {
    let file = pdf("a");
    let mut text = b"\xEF\xBB\xBF".to_vec();
    text.extend(serde_json::to_vec(&manifest(vec![candidate("C1", "a.pdf", &file)]))?);
    let report = check_manifest(&text, &[("a.pdf", file)])?;
    assert!(report.ok(), "got {:?}", errors(&report));
    Ok(())
}

#[test]
fn reports_malformed_json_with_line_and_column() -> anyhow::Result<()> {
    let report = check_manifest(b"{\n  \"format\": \"conclave-dossier/1\",\n  \"candidates\": [,]\n}", &[])?;
    let errs = errors(&report);
    assert!(errs.iter().any(|e| e.contains("第 3 行第 18 列")), "got {errs:?}");
    Ok(())
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() -> anyhow::Result<()> {
    let mut text = b"{\"format\":\"conclave-dossier/1\",\"candidates\":".to_vec();
    text.extend(std::iter::repeat_n(b'[', 200_000));
    text.extend(std::iter::repeat_n(b']', 200_000));
    text.push(b'}');
    let report = check_manifest(&text, &[])?;
    assert!(errors(&report).iter().any(|e| e.contains("嵌套层级过深")), "got {:?}", errors(&report));
    Ok(())
}

#[test]
fn a_two_megabyte_statement_is_refused_with_its_place() -> anyhow::Result<()> {
    let file = pdf("a");
    let mut c = candidate("C1", "a.pdf", &file);
    c["statement"] = json!("述".repeat(2 << 20));
    let report = check_manifest(&serde_json::to_vec(&manifest(vec![c]))?, &[("a.pdf", file)])?;
    let errs = errors(&report);
    assert!(
        errs.iter().any(|e| e.starts_with("candidates[0].statement") && e.contains("最多 20000")),
        "got {errs:?}"
    );
    Ok(())
}

#[test]
fn every_error_is_listed_with_where_it_is() -> anyhow::Result<()> {
    let file = pdf("a");
    let mut c = candidate("C1", "a.pdf", &file);
    c["birth_date"] = json!("1988-02-30");
    c["applied_title"] = json!("高级工程师");
    c["gender"] = json!("X");
    c["years_in_post"] = json!(61);
    c["achievements"][0]["category"] = json!("poem");
    c["achievements"][0]["level"] = json!("宇宙级");
    let mut c2 = candidate("C1", "missing.pdf", &pdf("zz"));
    c2.as_object_mut().unwrap().remove("organization");
    let report = check_manifest(&serde_json::to_vec(&manifest(vec![c, c2]))?, &[("a.pdf", file)])?;
    let errs = errors(&report);
    for expected in [
        "candidates[0].birth_date",
        "candidates[0].applied_title",
        "candidates[0].gender",
        "candidates[0].years_in_post",
        "candidates[0].achievements[0].category",
        "candidates[0].achievements[0].level",
        "candidates[1].organization",
        "candidates[1].id",
        "C1 / A1: 文件 \"missing.pdf\" 在材料包中不存在",
    ] {
        assert!(errs.iter().any(|e| e.starts_with(expected)), "missing error at {expected}; got {errs:#?}");
    }
    Ok(())
}

#[test]
fn unknown_keys_are_warnings_not_errors() -> anyhow::Result<()> {
    let file = pdf("a");
    let mut m = manifest(vec![candidate("C1", "a.pdf", &file)]);
    m["extra_top"] = json!(1);
    m["candidates"][0]["hobby"] = json!("摄影");
    let report = check_manifest(&serde_json::to_vec(&m)?, &[("a.pdf", file)])?;
    assert!(report.ok(), "unknown keys must not block: {:?}", errors(&report));
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.where_.clone()).collect();
    assert!(
        warnings.contains(&"extra_top".to_string()) && warnings.contains(&"candidates[0].hobby".to_string()),
        "got {warnings:?}"
    );
    Ok(())
}

#[test]
fn wrong_format_and_missing_candidates_are_errors() -> anyhow::Result<()> {
    let report = check_manifest(br#"{"format": "conclave-dossier/2"}"#, &[])?;
    let errs = errors(&report);
    assert!(errs.iter().any(|e| e.starts_with("format")), "got {errs:?}");
    assert!(errs.iter().any(|e| e.starts_with("candidates")), "got {errs:?}");
    Ok(())
}

#[test]
fn hash_mismatch_names_candidate_achievement_and_file() -> anyhow::Result<()> {
    let report = check(&fixtures().join("invalid/hash-mismatch.zip"));
    let errs = errors(&report);
    assert!(!report.ok());
    assert!(errs.iter().any(|e| e.contains("GX2025-0001") && e.contains("校验值不符")), "got {errs:?}");
    Ok(())
}

#[test]
fn spreadsheet_form_imports_with_serial_and_text_dates() -> anyhow::Result<()> {
    let report = check(&fixtures().join("batch-small-xlsx"));
    assert!(report.ok(), "got {:?}", errors(&report));
    assert_eq!(report.candidates, 8);
    assert!(report.files > 0);
    Ok(())
}
