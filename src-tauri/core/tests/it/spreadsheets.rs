//! Hostile spreadsheets: sizes a damaged or crafted `candidates.xlsx` or
//! `committee.xlsx` declares or implies (a far-out cell, a huge dimension, a
//! shared-strings count of billions, a part that inflates too far) are
//! refused with a message naming the file and part; the process never aborts.

use crate::common::*;
use std::path::Path;

/// Inserts `cell` before the sheet data's end in every worksheet.
fn with_cell(cell: &'static str) -> impl Fn(&str, Vec<u8>) -> Vec<u8> {
    move |name, data| {
        if name.starts_with("xl/worksheets/") {
            String::from_utf8(data)
                .expect("xml")
                .replace("</sheetData>", &format!("{cell}</sheetData>"))
                .into_bytes()
        } else {
            data
        }
    }
}

fn with_dimension(name: &str, data: Vec<u8>) -> Vec<u8> {
    if name.starts_with("xl/worksheets/") {
        let xml = String::from_utf8(data).expect("xml");
        let at = xml.find("<dimension ref=\"").expect("a dimension") + 16;
        let end = at + xml[at..].find('"').expect("its end");
        format!("{}A1:XFD1048576{}", &xml[..at], &xml[end..]).into_bytes()
    } else {
        data
    }
}

/// A shared-strings part claiming four billion strings, wired into the workbook.
fn with_shared_strings(name: &str, data: Vec<u8>) -> Vec<u8> {
    let xml = String::from_utf8(data).expect("xml");
    match name {
        "xl/_rels/workbook.xml.rels" => xml
            .replace(
                "</Relationships>",
                "<Relationship Id=\"rIdSst\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>",
            )
            .into_bytes(),
        "[Content_Types].xml" => xml
            .replace(
                "</Types>",
                "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>",
            )
            .into_bytes(),
        _ => xml.into_bytes(),
    }
}

const HUGE_SST: &str = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"4294967295\" uniqueCount=\"4294967295\"><si><t>x</t></si></sst>";

/// Each hostile variant of a form: its name, bytes.
fn variants(src: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let same = |_: &str, d: Vec<u8>| d;
    vec![
        (
            "a cell at XFD1048576",
            rewrite_xlsx(
                src,
                zip::CompressionMethod::Deflated,
                &with_cell("<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>"),
                &[],
            ),
        ),
        (
            "a cell in row 4 billion",
            rewrite_xlsx(
                src,
                zip::CompressionMethod::Deflated,
                &with_cell("<row r=\"4000000000\"><c r=\"A4000000000\"><v>1</v></c></row>"),
                &[],
            ),
        ),
        ("a huge dimension", rewrite_xlsx(src, zip::CompressionMethod::Deflated, &with_dimension, &[])),
        (
            "billions of shared strings",
            rewrite_xlsx(
                src,
                zip::CompressionMethod::Deflated,
                &with_shared_strings,
                &[("xl/sharedStrings.xml", HUGE_SST.as_bytes().to_vec())],
            ),
        ),
        (
            "a part inflating to 80 MiB",
            rewrite_xlsx(
                src,
                zip::CompressionMethod::Deflated,
                &same,
                &[("xl/media/filler.bin", vec![0u8; 80 * 1024 * 1024])],
            ),
        ),
    ]
}

#[test]
fn a_hostile_committee_roster_is_refused_not_fatal() -> anyhow::Result<()> {
    let src = fixtures().join("committee-25.xlsx");
    assert!(check(&src).ok(), "the genuine roster passes");
    for (what, bytes) in variants(&src) {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("committee.xlsx");
        std::fs::write(&path, &bytes)?;
        let report = check(&path);
        let errors = errors(&report);
        assert!(!report.ok(), "{what} must be refused");
        assert!(
            errors.iter().any(|e| e.contains("committee.xlsx") && e.contains("超出表单所需")),
            "{what}: {errors:?}"
        );
    }
    Ok(())
}

#[test]
fn a_hostile_candidates_form_is_refused_not_fatal() -> anyhow::Result<()> {
    let folder = fixtures().join("batch-small-xlsx");
    let src = folder.join("candidates.xlsx");
    for (what, bytes) in variants(&src) {
        let dir = tempfile::tempdir()?;
        let pkg = dir.path().join("pkg");
        copy_dir(&folder, &pkg)?;
        std::fs::write(pkg.join("candidates.xlsx"), &bytes)?;
        let report = check(&pkg);
        let errors = errors(&report);
        assert!(!report.ok(), "{what} must be refused");
        assert!(
            errors.iter().any(|e| e.contains("candidates.xlsx") && e.contains("超出表单所需")),
            "{what}: {errors:?}"
        );
    }
    Ok(())
}

pub(crate) fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}
