//! Importing into a meeting: all or nothing, deduplicated store, re-import
//! and candidate-id conflicts refused, rows and files readable afterwards.

use crate::common::*;
use conclave_core::package::Limits;
use conclave_core::store::evidence;
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn import(db: &Path, pkg: &Path) -> anyhow::Result<conclave_core::package::Report> {
    Ok(conclave_core::api::import::import(db, pkg, &Limits::default(), &mut |_| {}, &AtomicBool::new(false))?)
}

fn count(db: &Path, table: &str) -> anyhow::Result<i64> {
    let conn = conclave_core::store::open(db)?;
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

/// Every file under the evidence folder (staging included).
fn stored_files(db: &Path) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                walk(&e.path(), out);
            } else {
                out.push(e.path().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(&evidence::root_for(db), &mut out);
    out
}

#[test]
fn imports_the_fixture_zip_and_stores_each_file_once_by_hash() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let report = import(&db, &fixtures().join("batch-small.zip"))?;
    assert!(report.ok(), "got {:?}", errors(&report));
    assert_eq!(count(&db, "candidate")?, 8);
    let files = stored_files(&db);
    assert_eq!(files.len() as i64, count(&db, "evidence")?, "one stored file per distinct hash");
    let root = evidence::root_for(&db);
    let conn = conclave_core::store::open(&db)?;
    let mut stmt = conn.prepare("SELECT sha256 FROM evidence")?;
    for sha in stmt.query_map([], |r| r.get::<_, String>(0))? {
        assert!(evidence::verify(&root, &sha?)?, "stored file must still hash to its name");
    }
    conclave_core::audit::verify(&conn)?;
    Ok(())
}

#[test]
fn a_package_with_errors_changes_nothing() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    for bad in ["several-errors.zip", "hash-mismatch.zip", "path-traversal.zip"] {
        let report = import(&db, &fixtures().join("invalid").join(bad))?;
        assert!(!report.ok(), "{bad} must be refused");
    }
    assert_eq!(count(&db, "candidate")?, 0);
    assert_eq!(count(&db, "package")?, 0);
    assert_eq!(count(&db, "evidence")?, 0);
    assert!(stored_files(&db).is_empty(), "no file left in the store: {:?}", stored_files(&db));
    let conn = conclave_core::store::open(&db)?;
    let imports: i64 =
        conn.query_row("SELECT count(*) FROM audit_log WHERE kind LIKE 'import.%'", [], |r| r.get(0))?;
    assert_eq!(imports, 0, "no import is logged");
    Ok(())
}

#[test]
fn the_same_package_twice_is_refused_politely() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    assert!(import(&db, &fixtures().join("batch-small"))?.ok());
    let again = import(&db, &fixtures().join("batch-small"))?;
    assert!(errors(&again).iter().any(|e| e.contains("无需重复导入")), "got {:?}", errors(&again));
    assert_eq!(count(&db, "candidate")?, 8);
    Ok(())
}

#[test]
fn a_candidate_id_already_in_the_meeting_names_both_packages() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    assert!(import(&db, &fixtures().join("batch-small"))?.ok());
    // Same candidates, another form of package (different manifest bytes).
    let report = import(&db, &fixtures().join("batch-small-xlsx"))?;
    let errs = errors(&report);
    assert!(
        errs.iter().any(|e| e.contains("GX2025-0001")
            && e.contains("“batch-small”")
            && e.contains("“batch-small-xlsx”")),
        "names both packages: {errs:?}"
    );
    assert_eq!(count(&db, "candidate")?, 8);
    Ok(())
}

#[test]
fn several_packages_import_into_one_meeting() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let pkgs = tempfile::tempdir()?;
    let shared = pdf("shared certificate");
    for (i, id) in ["ORG1-01", "ORG2-01"].iter().enumerate() {
        let dir = pkgs.path().join(format!("org{i}"));
        write_dir(
            &dir,
            &manifest(vec![candidate(id, "cert.pdf", &shared)]),
            &[("cert.pdf", shared.clone())],
        )?;
        assert!(import(&db, &dir)?.ok());
    }
    assert_eq!(count(&db, "candidate")?, 2);
    assert_eq!(count(&db, "evidence")?, 1, "the same file from two packages is stored once");
    Ok(())
}

#[test]
fn a_cancelled_import_leaves_nothing() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let cancel = AtomicBool::new(true);
    let report = conclave_core::api::import::import(
        &db,
        &fixtures().join("batch-small"),
        &Limits::default(),
        &mut |_| {},
        &cancel,
    )?;
    assert!(errors(&report).iter().any(|e| e.contains("已取消")), "got {:?}", errors(&report));
    assert_eq!(count(&db, "candidate")?, 0);
    assert!(stored_files(&db).is_empty());
    Ok(())
}

#[test]
fn the_roster_imports_once_with_exactly_one_chair() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    assert!(import(&db, &fixtures().join("committee-25.xlsx"))?.ok());
    assert_eq!(count(&db, "member")?, 25);
    let conn = conclave_core::store::open(&db)?;
    let chairs: i64 = conn.query_row("SELECT count(*) FROM member WHERE role = 'chair'", [], |r| r.get(0))?;
    assert_eq!(chairs, 1);
    let again = import(&db, &fixtures().join("committee-25.json"))?;
    assert!(!again.ok(), "a second roster is refused");

    let dir = tempfile::tempdir()?;
    let two_chairs = serde_json::json!({
        "format": "conclave-committee/1",
        "members": [
            { "id": "M1", "name": "甲", "role": "chair" },
            { "id": "M2", "name": "乙", "role": "主任委员" }
        ]
    });
    std::fs::write(dir.path().join("committee.json"), serde_json::to_vec(&two_chairs)?)?;
    let report = check(&dir.path().join("committee.json"));
    assert!(errors(&report).iter().any(|e| e.contains("有且只有 1 名")), "got {:?}", errors(&report));
    Ok(())
}

/// Every file of the fixture folder `batch-small`, by its path inside it.
fn fixture_files() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
        for e in std::fs::read_dir(dir)? {
            let path = e?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
            } else {
                let name = path.strip_prefix(root)?.to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read(&path)?));
            }
        }
        Ok(())
    }
    let root = fixtures().join("batch-small");
    let mut out = Vec::new();
    walk(&root, &root, &mut out)?;
    Ok(out)
}

#[test]
fn zips_made_by_finder_and_explorer_import_with_one_warning() -> anyhow::Result<()> {
    let files = fixture_files()?;
    // macOS Finder's "Compress" of folder 2025申报材料: AppleDouble files
    // under __MACOSX/ and a .DS_Store beside the package.
    let mut finder: Vec<Raw> =
        files.iter().map(|(n, d)| Raw::utf8(&format!("2025申报材料/{n}"), d.clone())).collect();
    finder.push(Raw::utf8("2025申报材料/.DS_Store", b"\0\0\0\x01Bud1".to_vec()));
    for (n, _) in files.iter().take(3) {
        finder.push(Raw::utf8(
            &format!("__MACOSX/2025申报材料/._{}", n.replace('/', "/._")),
            vec![0, 5, 22, 7],
        ));
    }
    // Windows Explorer: Thumbs.db and desktop.ini in the folders.
    let mut explorer: Vec<Raw> = files.iter().map(|(n, d)| Raw::utf8(n, d.clone())).collect();
    explorer.push(Raw::utf8("Thumbs.db", vec![0xD0, 0xCF, 0x11, 0xE0]));
    explorer.push(Raw::utf8("desktop.ini", b"[.ShellClassInfo]".to_vec()));
    for (tag, entries, skipped) in [("finder", finder, 4), ("explorer", explorer, 2)] {
        let data = tempfile::tempdir()?;
        let zip = data.path().join(format!("{tag}.zip"));
        std::fs::write(&zip, raw_zip(&entries))?;
        let db = meeting(data.path())?;
        let report = import(&db, &zip)?;
        assert!(report.ok(), "{tag}: {:?}", errors(&report));
        assert_eq!(count(&db, "candidate")?, 8, "{tag}");
        let text = report.render(conclave_core::i18n::Lang::Zh);
        let os: Vec<_> = text.warnings.iter().filter(|w| w.message.contains("操作系统自动生成")).collect();
        assert_eq!(os.len(), 1, "{tag}: one warning for them all: {:?}", text.warnings);
        assert!(os[0].message.contains(&format!("已跳过 {skipped} 个")), "{tag}: {}", os[0].message);
        let conn = conclave_core::store::open(&db)?;
        let mut stored = 0i64;
        for junk in [&b"\0\0\0\x01Bud1"[..], &[0, 5, 22, 7], &[0xD0, 0xCF, 0x11, 0xE0], b"[.ShellClassInfo]"]
        {
            stored +=
                conn.query_row("SELECT count(*) FROM evidence WHERE sha256 = ?1", [sha(junk)], |r| {
                    r.get::<_, i64>(0)
                })?;
        }
        assert_eq!(stored, 0, "{tag}: none of them is stored");
    }
    Ok(())
}

#[test]
fn staging_a_killed_import_left_goes_when_the_meeting_opens_but_a_running_one_stays() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let root = evidence::root_for(&db);
    // What kill -9 leaves: a staging folder with parts, its owner unlocked.
    let left = root.join(".staging-killed");
    std::fs::create_dir_all(&left)?;
    std::fs::write(left.join("1.part"), vec![7u8; 4096])?;
    std::fs::write(left.join(".owner"), b"")?;
    // An import still running in this or another process holds its lock.
    let running = evidence::Staging::create(&root)?;
    let running_dirs = || -> Vec<String> {
        std::fs::read_dir(&root)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".staging-"))
            .collect()
    };
    assert_eq!(running_dirs().len(), 2);
    drop(conclave_core::store::open(&db)?);
    assert!(!left.exists(), "the killed import's staging is gone");
    assert_eq!(running_dirs().len(), 1, "the running import's staging stays");
    running.discard();
    assert!(running_dirs().is_empty());
    Ok(())
}
