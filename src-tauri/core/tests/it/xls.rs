//! Excel 97–2003 `.xls` rosters and candidate forms, read by the same reader
//! as `.xlsx` with their own bounds against hostile files. The `.xls` files
//! are made from the shared fixtures by `tests/xls/make_xls.py` (xlwt).

use crate::common::*;
use crate::spreadsheets::copy_dir;
use conclave_core::api::{candidates, import, session};
use std::path::{Path, PathBuf};

fn xls(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xls").join(name)
}

fn import_into(db: &Path, path: &Path) -> anyhow::Result<conclave_core::package::Report> {
    Ok(import::import(
        db,
        path,
        &conclave_core::package::Limits::default(),
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )?)
}

/// The fixtures' candidates form as a package folder with `candidates.xls` in place of `.xlsx`.
fn xls_package(dir: &Path) -> anyhow::Result<PathBuf> {
    let pkg = dir.join("pkg");
    copy_dir(&fixtures().join("batch-small-xlsx"), &pkg)?;
    std::fs::remove_file(pkg.join("candidates.xlsx"))?;
    std::fs::copy(xls("candidates.xls"), pkg.join("candidates.xls"))?;
    Ok(pkg)
}

#[test]
fn an_xls_roster_imports_like_the_json_one() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let r = import_into(&db, &xls("committee-25.xls"))?;
    assert!(r.ok(), "{:?}", errors(&r));
    let conn = conclave_core::store::open(&db)?;
    let names: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.name).collect();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("committee-25.json"))?)?;
    let want: Vec<&str> =
        json["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 25);
    for n in want {
        assert!(names.iter().any(|x| x == n), "{n} missing");
    }
    Ok(())
}

#[test]
fn an_xls_candidates_form_imports_like_the_xlsx_one() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (a, b) = (meeting(data.path())?, meeting(data.path())?);
    let r = import_into(&a, &xls_package(data.path())?)?;
    assert!(r.ok(), "{:?}", errors(&r));
    let r = import_into(&b, &fixtures().join("batch-small-xlsx"))?;
    assert!(r.ok(), "{:?}", errors(&r));
    let all = |db: &Path| -> anyhow::Result<Vec<conclave_core::package::model::Candidate>> {
        let conn = conclave_core::store::open(db)?;
        let ids: Vec<String> = candidates::list(&conn)?.into_iter().map(|c| c.id).collect();
        ids.iter().map(|id| Ok(candidates::detail(&conn, id)?.candidate)).collect()
    };
    let (from_xls, from_xlsx) = (all(&a)?, all(&b)?);
    assert_eq!(from_xls.len(), 8);
    for (x, y) in from_xls.iter().zip(&from_xlsx) {
        assert_eq!(
            (&x.id, &x.name, &x.applied_title, &x.current_title, &x.education, &x.hardship_service),
            (&y.id, &y.name, &y.applied_title, &y.current_title, &y.education, &y.hardship_service)
        );
        assert_eq!(x.achievements.len(), y.achievements.len(), "{}", x.id);
    }
    // The first candidate's date was written as a real Excel date cell.
    let first = from_xls.iter().find(|c| c.id == "GX2025-0001").expect("GX2025-0001");
    assert_eq!(first.current_title.as_ref().and_then(|t| t.obtained.as_deref()), Some("2017-12-01"));
    Ok(())
}

/// The file with its first DIMENSIONS record (BIFF8: first row, last row + 1,
/// first column, last column + 1) replaced; xlwt writes the stream in order.
fn with_dimensions(bytes: &[u8], rf: u32, rl: u32, cl: u16) -> Vec<u8> {
    let at = bytes.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00]).expect("a DIMENSIONS record") + 4;
    let mut out = bytes.to_vec();
    out[at..at + 4].copy_from_slice(&rf.to_le_bytes());
    out[at + 4..at + 8].copy_from_slice(&rl.to_le_bytes());
    out[at + 10..at + 12].copy_from_slice(&cl.to_le_bytes());
    out
}

#[test]
fn a_hostile_xls_is_refused_not_fatal() -> anyhow::Result<()> {
    let genuine = std::fs::read(xls("committee-25.xls"))?;
    let mut truncated = genuine.clone();
    truncated.truncate(600);
    let variants = [
        ("billions of cells", with_dimensions(&genuine, 0, 0xFFFF_FFF0, 256), "超出表单所需"),
        ("a row past the bounds", with_dimensions(&genuine, 0, 1_000_000, 6), "超出表单所需"),
        ("the last row before the first", with_dimensions(&genuine, 500, 10, 6), "超出表单所需"),
        ("a truncated compound file", truncated, "无法读取表格"),
    ];
    for (what, bytes, want) in variants {
        for name in ["committee.xls", "committee.xlsx"] {
            let dir = tempfile::tempdir()?;
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes)?;
            let report = check(&path);
            let errors = errors(&report);
            assert!(!report.ok(), "{what} ({name}) must be refused");
            assert!(
                errors.iter().any(|e| e.contains(want) && e.contains("committee.xls")),
                "{what}: {errors:?}"
            );
        }
    }
    // The same bound on a candidates form.
    let dir = tempfile::tempdir()?;
    let pkg = xls_package(dir.path())?;
    let bytes = with_dimensions(&std::fs::read(pkg.join("candidates.xls"))?, 0, 0xFFFF_FFF0, 256);
    std::fs::write(pkg.join("candidates.xls"), bytes)?;
    let report = check(&pkg);
    assert!(errors(&report).iter().any(|e| e.contains("candidates.xls") && e.contains("超出表单所需")));
    Ok(())
}
