//! Sealed documents printed by earlier versions, or drawn by an older page
//! layout, still verify: by their signature alone where the layout is not
//! the current one.

use crate::common::*;
use crate::forgeries::first_page;
use conclave_core::api::verify::verify_pdf;
use conclave_core::i18n::{Lang, Msg};
use lopdf::Document;

/// A document drawn by an older layout: its page differs from what today's
/// code draws for the same data, and it was signed by the meeting.
fn drawn_by_layout(layout: u32) -> anyhow::Result<(tempfile::TempDir, Vec<u8>)> {
    let data = tempfile::tempdir()?;
    let (db, round) = meeting_with_round(data.path(), SHEET_MEETING, sheet_pattern)?;
    let conn = conclave_core::store::open(&db)?;
    let key = chair_key(&conn)?;
    let pdf = conclave_core::api::print::results_sheet(&conn, &key, round, Lang::Zh)?;
    let mut doc = Document::load_mem(&pdf)?;
    // Take the signature off, move everything 5 pt (the "old" layout), and
    // record the layout version in the seal.
    doc.catalog_mut()?.remove(b"AcroForm");
    let page = first_page(&doc)?;
    doc.get_dictionary_mut(page)?.remove(b"Annots");
    let mut content = b"1 0 0 1 5 5 cm\n".to_vec();
    content.extend(doc.get_page_content(page));
    doc.change_page_content(page, content)?;
    doc.prune_objects();
    let seal = conclave_core::print::seal::read(&doc).expect("a seal");
    conclave_core::print::seal::embed(&mut doc, &conclave_core::print::seal::Seal { layout, ..seal })
        .expect("embedded");
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    let pdf_key = conclave_core::print::seal::pdf_signing_key(key.secret());
    let signed = conclave_core::print::signature::sign(&out, &pdf_key, "old", std::time::SystemTime::now())
        .ok_or_else(|| anyhow::anyhow!("signed"))?;
    Ok((data, signed))
}

#[test]
fn a_document_of_an_older_layout_verifies_by_its_signature_alone() -> anyhow::Result<()> {
    let current = conclave_core::print::seal::LAYOUT;
    let (_d, old) = drawn_by_layout(current - 1)?;
    let v = verify_pdf(&old, Lang::Zh);
    assert!(v.authentic && !v.rerendered, "{:?}", v.problems);
    // The same drawing claimed as today's layout: the second opinion sees
    // that the page is not what today's code draws.
    let (_d, claimed) = drawn_by_layout(current)?;
    let v = verify_pdf(&claimed, Lang::Zh);
    assert_eq!(v.problems, vec![Msg::VerifyContentChanged.render(Lang::Zh)]);
    Ok(())
}

/// Sealed documents printed by earlier versions, checked in: they verify
/// whatever the layout code draws today.
#[test]
fn sealed_documents_printed_by_earlier_versions_still_verify() -> anyhow::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sealed");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "pdf") {
            let v = verify_pdf(&std::fs::read(&path)?, Lang::Zh);
            assert!(v.authentic, "{}: {:?}", path.display(), v.problems);
            seen += 1;
        }
    }
    assert!(seen >= 2, "a results sheet and minutes are checked in");
    Ok(())
}
