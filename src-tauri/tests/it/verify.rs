//! `conclave verify` on sealed PDFs and archives: exit 0 authentic, 1 not,
//! 2 unreadable; the problems listed.

use crate::common::*;
use conclave_core::api::archive;
use conclave_core::i18n::Lang;
use std::process::Command;

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("conclave")
}

#[test]
fn cli_verify_exit_codes_for_a_results_sheet() -> anyhow::Result<()> {
    let (d, pdf) = sheet(Lang::Zh)?;
    let path = d.path().join("结果 表.pdf");
    std::fs::write(&path, &pdf)?;
    let ok = Command::new(bin()).arg("verify").arg(&path).output()?;
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("真实且未被改动"));
    let mut bad = pdf.clone();
    let n = bad.len();
    bad.truncate(n - 200);
    std::fs::write(&path, &bad)?;
    assert_eq!(Command::new(bin()).arg("verify").arg(&path).status()?.code(), Some(1));
    assert_eq!(Command::new(bin()).arg("verify").arg(d.path().join("missing.pdf")).status()?.code(), Some(2));
    Ok(())
}

#[test]
fn cli_verify_of_an_archive_checks_the_key_and_lists_changes() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let out = data.path().join("a.zip");
    archive::export(&db, &out, Lang::Zh, CHAIR)?;
    let ok = Command::new(bin()).arg("verify").arg(&out).output()?;
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("归档真实且完整"));
    // With the fingerprint from the paper minutes: the right key passes, another fails.
    let fingerprint = archive::verify(&out, Lang::Zh).key_fingerprint.expect("a key");
    let with_key = Command::new(bin()).arg("verify").arg(&out).args(["--key", &fingerprint]).output()?;
    assert_eq!(with_key.status.code(), Some(0));
    let other = "0000 0000 0000 0000 0000 0000 0000 0000";
    let wrong = Command::new(bin()).arg("verify").arg(&out).args(["--key", other]).output()?;
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stdout).contains("不是指定的会议公钥"));

    // One changed file: exit 1 and the problem listed.
    let mut changed = entries(&out)?;
    let roster = &mut changed.iter_mut().find(|(n, _)| n == "roster.json").expect("roster").1;
    roster[0] ^= 1;
    let path = data.path().join("changed.zip");
    rewrite(&path, &changed)?;
    let cli = Command::new(bin()).args(["--lang", "en", "verify"]).arg(&path).output()?;
    assert_eq!(cli.status.code(), Some(1), "{}", String::from_utf8_lossy(&cli.stdout));
    let text = String::from_utf8_lossy(&cli.stdout);
    assert!(text.contains('✗') && text.contains("roster.json"), "the changed file is named: {text}");
    Ok(())
}

#[test]
fn cli_verify_of_a_folder_of_archives_prints_one_line_each() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let year = data.path().join("2026 年归档");
    std::fs::create_dir_all(year.join("第二单位"))?;
    let good = year.join("a.zip");
    archive::export(&db, &good, Lang::Zh, CHAIR)?;
    let mut changed = entries(&good)?;
    changed.iter_mut().find(|(n, _)| n == "roster.json").expect("roster").1[0] ^= 1;
    rewrite(&year.join("第二单位").join("b.zip"), &changed)?;
    std::fs::write(year.join("readme.txt"), "not an archive")?;

    let out = Command::new(bin()).arg("verify").arg(&year).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "one archive is not authentic: {text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "a head, a line per archive (the .txt is no archive), a total: {text}");
    assert!(lines[1].ends_with("通过核验") && lines[1].contains("a.zip"), "{text}");
    assert!(
        lines[2].contains("b.zip") && lines[2].contains("未通过（V2") && lines[2].contains("roster.json"),
        "{text}"
    );
    assert!(lines[3].contains("共 2 个归档，1 个未通过核验"), "{text}");

    // The honest one alone, named twice over (file and folder), in JSON.
    let json =
        Command::new(bin()).args(["verify", "--json"]).arg(&good).arg(year.join("第二单位")).output()?;
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout)?;
    assert_eq!(rows.as_array().map(Vec::len), Some(2));
    assert_eq!(rows[0]["authentic"], true);
    assert_eq!(rows[1]["failed_steps"], serde_json::json!(["V2"]));
    assert_eq!(rows[0]["confirmed_rounds"], rows[0]["rounds"]);
    assert!(rows[0]["reached"].as_u64().is_some());

    let empty = data.path().join("empty");
    std::fs::create_dir_all(&empty)?;
    assert_eq!(Command::new(bin()).arg("verify").arg(&empty).status()?.code(), Some(2), "nothing to check");
    Ok(())
}
