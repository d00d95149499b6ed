//! The sealed results sheet: read back with pdftotext and qpdf, verified,
//! and refused after any change to its numbers or its embedded data.

use crate::common::*;
use conclave_core::i18n::Lang;
use std::process::Command;

#[test]
fn results_sheet_reads_back_with_every_count() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    let text = pdftotext(&pdf)?;
    assert!(text.contains("评审结果表决统计表"), "{text}");
    assert!(text.contains(SHEET_MEETING), "rare characters print and read back exactly: {text}");
    // (Noto's narrow spaces do not survive pdftotext.)
    assert!(text.replace(' ', "").contains("第1页共1页"));
    for line in text.lines().filter(|l| l.contains("GX2025-")) {
        let passed = line.contains("通过") && !line.contains("未通过");
        let nums: Vec<u32> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        // no., for, against, abstain, not voted, eligible, threshold
        let tail = &nums[nums.len() - 6..];
        assert_eq!(tail[0] + tail[1] + tail[2] + tail[3], tail[4], "counts add up to eligible: {line}");
        assert_eq!(tail[5], 14, "⌈2/3 × 20⌉ = 14: {line}");
        assert_eq!(passed, tail[0] >= 14, "outcome follows the count: {line}");
        assert!(tail[0] == 16 || tail[0] == 12, "the votes cast: {line}");
    }
    assert_eq!(text.matches("GX2025-").count(), 8);
    assert!(pdf.len() < 200 * 1024, "fonts are subset: {} bytes", pdf.len());
    Ok(())
}

#[test]
fn results_sheet_is_a_valid_pdf() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::En)?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, &pdf)?;
    let out = Command::new("qpdf").arg("--check").arg(&path).output()?;
    assert!(out.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&out.stdout));
    assert!(pdftotext(&pdf)?.contains("Voting results"));
    // Mainland faces: Noto Serif CJK SC for the body, Noto Sans CJK SC Bold
    // for titles and headers, all embedded and subset.
    let fonts = Command::new("pdffonts").arg(&path).output()?;
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    for face in ["NotoSerifCJKsc-Regular", "NotoSansCJKsc-Bold"] {
        let line = fonts.lines().find(|l| l.contains(face)).unwrap_or_else(|| panic!("{face} in {fonts}"));
        assert!(line.contains("yes yes yes"), "embedded, subset, with a text map: {line}");
    }
    Ok(())
}

#[test]
fn verify_accepts_the_sheet_and_refuses_any_change() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    let v = conclave_core::api::verify::verify_pdf(&pdf, Lang::Zh);
    assert!(v.authentic, "{:?}", v.problems);

    // One digit of the sealed data changed (re-encoded into the keywords).
    let mut doc = lopdf::Document::load_mem(&pdf)?;
    let seal = conclave_core::print::seal::read(&doc).expect("a seal");
    let forged = conclave_core::print::seal::Seal {
        data: seal.data.replacen("\"votes_for\":12", "\"votes_for\":13", 1),
        ..seal
    };
    conclave_core::print::seal::embed(&mut doc, &forged).expect("re-embedded");
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    let v = conclave_core::api::verify::verify_pdf(&out, Lang::Zh);
    assert!(!v.authentic && !v.problems.is_empty(), "{:?}", v.problems);

    // One number on the page changed: the content no longer matches.
    let mut doc = lopdf::Document::load_mem(&pdf)?;
    let page = *doc.get_pages().values().next().expect("a page");
    let mut content = doc.get_page_content(page);
    // The last glyph of the first shown string becomes another glyph.
    let at = content.windows(4).position(|w| w == b"> Tj").expect("shown text");
    content[at - 1] = if content[at - 1] == b'1' { b'2' } else { b'1' };
    doc.change_page_content(page, content)?;
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    let v = conclave_core::api::verify::verify_pdf(&out, Lang::Zh);
    assert!(!v.authentic && !v.problems.is_empty(), "{:?}", v.problems);

    assert!(!conclave_core::api::verify::verify_pdf(b"not a pdf", Lang::Zh).authentic);
    Ok(())
}

#[test]
fn verify_refuses_a_comment_a_crop_or_a_redrawn_glyph() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    let page_of = |doc: &lopdf::Document| -> anyhow::Result<lopdf::ObjectId> {
        Ok(*doc.get_pages().values().next().ok_or_else(|| anyhow::anyhow!("a page"))?)
    };
    let save = |doc: &mut lopdf::Document| -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::new();
        doc.save_to(&mut out)?;
        Ok(out)
    };
    // A FreeText comment ("通过" over a row) added by a PDF editor.
    let mut doc = lopdf::Document::load_mem(&pdf)?;
    let page = page_of(&doc)?;
    let mut comment = lopdf::Dictionary::new();
    comment.set("Type", lopdf::Object::Name(b"Annot".to_vec()));
    comment.set("Subtype", lopdf::Object::Name(b"FreeText".to_vec()));
    comment.set("Rect", vec![100.into(), 100.into(), 200.into(), 120.into()]);
    comment.set("Contents", lopdf::Object::string_literal("passed"));
    let annot = doc.add_object(comment);
    doc.get_dictionary_mut(page)?.set("Annots", vec![lopdf::Object::Reference(annot)]);
    assert!(
        !conclave_core::api::verify::verify_pdf(&save(&mut doc)?, Lang::Zh).authentic,
        "an added comment"
    );
    // A crop box that hides the lower rows.
    let mut doc = lopdf::Document::load_mem(&pdf)?;
    let page = page_of(&doc)?;
    doc.get_dictionary_mut(page)?.set("CropBox", vec![0.into(), 300.into(), 842.into(), 595.into()]);
    assert!(!conclave_core::api::verify::verify_pdf(&save(&mut doc)?, Lang::Zh).authentic, "a crop");
    // A font program changed (its glyphs redrawn).
    let mut doc = lopdf::Document::load_mem(&pdf)?;
    let font = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find_map(|d| d.get(b"FontFile2").ok().and_then(|r| r.as_reference().ok()))
        .ok_or_else(|| anyhow::anyhow!("an embedded font"))?;
    let stream = doc.get_object_mut(font)?.as_stream_mut()?;
    let mut bytes = stream.decompressed_content()?;
    let at = bytes.len() / 2;
    bytes[at] ^= 0x55;
    stream.set_plain_content(bytes);
    assert!(!conclave_core::api::verify::verify_pdf(&save(&mut doc)?, Lang::Zh).authentic, "a redrawn glyph");
    Ok(())
}
