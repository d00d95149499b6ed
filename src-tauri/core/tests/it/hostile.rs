//! Hostile and odd containers: every rule of the spec's path/file table.

use crate::common::*;
use conclave_core::package::Limits;
use std::io::Write;

fn zip_with_manifest(extra: Vec<Raw>, candidates: Vec<serde_json::Value>) -> Vec<u8> {
    let mut entries = vec![Raw::utf8("dossier.json", serde_json::to_vec(&manifest(candidates)).unwrap())];
    entries.extend(extra);
    raw_zip(&entries)
}

fn check_zip(bytes: &[u8]) -> anyhow::Result<(tempfile::TempDir, conclave_core::package::Report)> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("pkg.zip");
    std::fs::write(&path, bytes)?;
    let report = check(&path);
    Ok((dir, report))
}

#[test]
fn accepts_a_clean_hand_made_zip() -> anyhow::Result<()> {
    let file = pdf("a");
    let zip =
        zip_with_manifest(vec![Raw::utf8("X/a.pdf", file.clone())], vec![candidate("C1", "X/a.pdf", &file)]);
    let (_d, report) = check_zip(&zip)?;
    assert!(report.ok(), "a clean package must pass, got {:?}", errors(&report));
    assert_eq!((report.candidates, report.files), (1, 1));
    Ok(())
}

#[test]
fn rejects_zip_entry_outside_package() -> anyhow::Result<()> {
    let file = pdf("a");
    for evil in ["../../etc/passwd", "/etc/passwd", "C:/x.pdf", "a\\..\\..\\x.pdf"] {
        let zip = zip_with_manifest(
            vec![Raw::utf8("a.pdf", file.clone()), Raw::utf8(evil, pdf("evil"))],
            vec![candidate("C1", "a.pdf", &file)],
        );
        let (_d, report) = check_zip(&zip)?;
        let errs = errors(&report);
        assert!(errs.iter().any(|e| e.contains(evil)), "entry {evil} must be refused by name, got {errs:?}");
    }
    Ok(())
}

#[test]
fn rejects_symlink_entries() -> anyhow::Result<()> {
    let file = pdf("a");
    let mut link = Raw::utf8("link.pdf", b"/etc/passwd".to_vec());
    link.unix_mode = Some(0o120777);
    let zip = zip_with_manifest(
        vec![Raw::utf8("a.pdf", file.clone()), link],
        vec![candidate("C1", "a.pdf", &file)],
    );
    let (_d, report) = check_zip(&zip)?;
    assert!(errors(&report).iter().any(|e| e.contains("符号链接")), "got {:?}", errors(&report));
    Ok(())
}

#[test]
fn rejects_case_only_duplicate_entries() -> anyhow::Result<()> {
    let file = pdf("a");
    let zip = zip_with_manifest(
        vec![Raw::utf8("X/A.pdf", file.clone()), Raw::utf8("x/a.PDF", pdf("b"))],
        vec![candidate("C1", "X/A.pdf", &file)],
    );
    let (_d, report) = check_zip(&zip)?;
    assert!(errors(&report).iter().any(|e| e.contains("仅大小写不同")), "got {:?}", errors(&report));
    Ok(())
}

#[test]
fn decodes_gbk_names_when_the_utf8_flag_is_unset() -> anyhow::Result<()> {
    let file = pdf("gbk");
    let (gbk, _, _) = encoding_rs::GBK.encode("申报人/成果1.pdf");
    let entry = Raw { name: gbk.into_owned(), data: file.clone(), flags: 0, declared: None, unix_mode: None };
    let zip = zip_with_manifest(vec![entry], vec![candidate("C1", "申报人/成果1.pdf", &file)]);
    let (_d, report) = check_zip(&zip)?;
    assert!(report.ok(), "GBK names must import, got {:?}", errors(&report));
    Ok(())
}

#[test]
fn accepts_utf8_names_written_without_the_flag() -> anyhow::Result<()> {
    // Info-ZIP on Linux writes UTF-8 names without bit 11.
    let file = pdf("utf8");
    // "成果" in UTF-8 (E6 88 90 E6 9E 9C) is also valid GBK: the GBK reading
    // names the entry, the UTF-8 reading must still resolve.
    let entry = Raw { flags: 0, ..Raw::utf8("申报人/成果1.pdf", file.clone()) };
    let other = Raw { flags: 0, ..Raw::utf8("BENCH/成果2.pdf", file.clone()) };
    let zip = zip_with_manifest(
        vec![entry, other],
        vec![candidate("C1", "申报人/成果1.pdf", &file), candidate("C2", "BENCH/成果2.pdf", &file)],
    );
    let (_d, report) = check_zip(&zip)?;
    assert!(report.ok(), "got {:?}", errors(&report));
    assert!(report.warnings.is_empty(), "the entry is referenced, not stray: {:?}", report.warnings);
    Ok(())
}

#[test]
fn rejects_entry_whose_data_exceeds_its_declared_size() -> anyhow::Result<()> {
    let file = pdf("a");
    let mut big = pdf("lying");
    big.extend(std::iter::repeat_n(b'x', 4096));
    let lying = Raw { declared: Some(10), ..Raw::utf8("b.pdf", big.clone()) };
    let zip = zip_with_manifest(
        vec![Raw::utf8("a.pdf", file.clone()), lying],
        vec![candidate("C1", "a.pdf", &file), candidate("C2", "b.pdf", &big)],
    );
    let (_d, report) = check_zip(&zip)?;
    assert!(
        errors(&report).iter().any(|e| e.contains("b.pdf") && e.contains("声明")),
        "got {:?}",
        errors(&report)
    );
    Ok(())
}

#[test]
fn refuses_zip_bomb_by_ratio_without_inflating() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bomb.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&path)?);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut bomb = pdf("bomb");
    bomb.resize(50 << 20, 0);
    w.start_file("dossier.json", opts)?;
    w.write_all(&serde_json::to_vec(&manifest(vec![candidate("C1", "bomb.pdf", &bomb)]))?)?;
    w.start_file("bomb.pdf", opts)?;
    w.write_all(&bomb)?;
    w.finish()?;
    let start = std::time::Instant::now();
    let report = check(&path);
    let errs = errors(&report);
    assert!(errs.iter().any(|e| e.contains("压缩炸弹")), "got {errs:?}");
    assert_eq!(report.files, 0, "the bomb is not counted as a checked file");
    assert!(start.elapsed().as_secs() < 5, "refusing must not inflate 50 MiB");
    Ok(())
}

#[test]
fn refuses_declared_sizes_above_the_limits() -> anyhow::Result<()> {
    let file = pdf("a");
    let zip =
        zip_with_manifest(vec![Raw::utf8("a.pdf", file.clone())], vec![candidate("C1", "a.pdf", &file)]);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("pkg.zip");
    std::fs::write(&path, zip)?;
    let limits = Limits { max_file: 8, ..Limits::default() };
    let report = conclave_core::api::import::check(&path, &limits, &mut |_| {});
    assert!(errors(&report).iter().any(|e| e.contains("超过上限")), "got {:?}", errors(&report));
    Ok(())
}

#[test]
fn refuses_truncated_zip_naming_the_file() -> anyhow::Result<()> {
    let bytes = std::fs::read(fixtures().join("batch-small.zip"))?;
    let (_d, report) = check_zip(&bytes[..bytes.len() / 2])?;
    let errs = errors(&report);
    assert!(errs.iter().any(|e| e.contains("pkg.zip") && e.contains("损坏")), "got {errs:?}");
    Ok(())
}

#[test]
fn refuses_garbage_named_zip() -> anyhow::Result<()> {
    let (_d, report) = check_zip(b"this is not a zip at all")?;
    assert!(!report.ok());
    Ok(())
}

#[test]
fn refuses_symlinks_in_a_folder() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = pdf("a");
    write_dir(dir.path(), &manifest(vec![candidate("C1", "a.pdf", &file)]), &[("a.pdf", file.clone())])?;
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("passwd.pdf"))?;
    let report = check(dir.path());
    assert!(
        errors(&report).iter().any(|e| e.contains("passwd.pdf") && e.contains("符号链接")),
        "got {:?}",
        errors(&report)
    );
    Ok(())
}

#[test]
fn refuses_files_that_are_not_pdf_jpeg_or_png() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let exe = b"MZ\x90\x00 pretending to be a pdf".to_vec();
    write_dir(dir.path(), &manifest(vec![candidate("C1", "a.pdf", &exe)]), &[("a.pdf", exe.clone())])?;
    let report = check(dir.path());
    assert!(
        errors(&report).iter().any(|e| e.contains("C1 / A1") && e.contains("不是 PDF")),
        "got {:?}",
        errors(&report)
    );
    Ok(())
}
