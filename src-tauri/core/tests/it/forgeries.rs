//! Forgeries of a freshly sealed results sheet, built as a forger would:
//! each changes what a page draws or what its text layer says, then keeps the
//! genuine signature in place (the byte range fixed up for the new file) so
//! that only the signature's digest can tell. Every one fails `verify`; the
//! untouched PDF passes; poppler's `pdfsig` (an independent validator)
//! agrees on both.

use crate::common::*;
use conclave_core::api::verify::verify_pdf;
use conclave_core::i18n::{Lang, Msg};
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::process::Command;

type Change = fn(&mut Document) -> anyhow::Result<()>;

/// The genuine CMS container (the bytes of the signature's /Contents).
fn genuine_cms(doc: &Document) -> anyhow::Result<Vec<u8>> {
    let sig = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Sig"))
        .ok_or_else(|| anyhow::anyhow!("a signature"))?;
    Ok(sig.get(b"Contents")?.as_str()?.to_vec())
}

fn sig_dict_mut(doc: &mut Document) -> anyhow::Result<&mut lopdf::Dictionary> {
    doc.objects
        .values_mut()
        .filter_map(|o| o.as_dict_mut().ok())
        .find(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Sig"))
        .ok_or_else(|| anyhow::anyhow!("a signature"))
}

/// Applies `change` to the sealed PDF, saves it, and puts the genuine
/// signature back with a byte range that covers the new file.
fn forge(pdf: &[u8], change: Change, modern: bool) -> anyhow::Result<Vec<u8>> {
    let mut doc = Document::load_mem(pdf)?;
    let cms = genuine_cms(&doc)?;
    change(&mut doc)?;
    let placeholder = [1_000_000_001i64, 1_000_000_002, 1_000_000_003];
    sig_dict_mut(&mut doc)?
        .set("ByteRange", std::iter::once(0i64).chain(placeholder).map(Object::Integer).collect::<Vec<_>>());
    let mut out = Vec::new();
    if modern {
        // Object streams compress the signature dictionary too: there is
        // no hole left to put the genuine signature in.
        doc.save_modern(&mut out)?;
        return Ok(out);
    }
    doc.save_to(&mut out)?;
    let lower = format!("<{}>", hex::encode(&cms));
    let upper = lower.to_uppercase();
    let (a, hole) = find(&out, lower.as_bytes())
        .map(|a| (a, lower.clone()))
        .or_else(|| find(&out, upper.as_bytes()).map(|a| (a, upper.clone())))
        .ok_or_else(|| anyhow::anyhow!("the signature's hole"))?;
    let b = a + hole.len();
    let text = placeholder.map(|n| n.to_string()).join(" ");
    let at = find(&out, text.as_bytes()).ok_or_else(|| anyhow::anyhow!("the byte range"))?;
    let range = format!("{a} {b} {}", out.len() - b);
    out[at..at + text.len()].copy_from_slice(format!("{range:<w$}", w = text.len()).as_bytes());
    Ok(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn first_page(doc: &Document) -> anyhow::Result<ObjectId> {
    Ok(*doc.get_pages().values().next().ok_or_else(|| anyhow::anyhow!("a page"))?)
}

/// The first dictionary with `key`, as a mutable reference.
fn dict_with<'a>(doc: &'a mut Document, key: &[u8]) -> anyhow::Result<&'a mut lopdf::Dictionary> {
    doc.objects
        .values_mut()
        .filter_map(|o| o.as_dict_mut().ok())
        .find(|d| d.has(key))
        .ok_or_else(|| anyhow::anyhow!("no dictionary with {}", String::from_utf8_lossy(key)))
}

/// The page's font resources dictionary.
fn page_fonts(doc: &mut Document) -> anyhow::Result<&mut lopdf::Dictionary> {
    let page = first_page(doc)?;
    let resources = match doc.get_dictionary(page)?.get(b"Resources")? {
        Object::Reference(id) => Some(*id),
        _ => None,
    };
    let fonts = {
        let res = match resources {
            Some(id) => doc.get_dictionary(id)?,
            None => doc.get_dictionary(page)?.get(b"Resources")?.as_dict()?,
        };
        match res.get(b"Font")? {
            Object::Reference(id) => Some(*id),
            _ => None,
        }
    };
    if let Some(id) = fonts {
        return Ok(doc.get_dictionary_mut(id)?);
    }
    let res = match resources {
        Some(id) => doc.get_dictionary_mut(id)?,
        None => doc.get_dictionary_mut(page)?.get_mut(b"Resources")?.as_dict_mut()?,
    };
    Ok(res.get_mut(b"Font")?.as_dict_mut()?)
}

/// The CID font under the first Type0 font (printpdf writes it inline).
fn descendant(doc: &mut Document) -> anyhow::Result<&mut lopdf::Dictionary> {
    let reference = {
        let type0 = dict_with(doc, b"DescendantFonts")?;
        match type0.get(b"DescendantFonts")? {
            Object::Array(a) => match a.first() {
                Some(Object::Reference(id)) => Some(*id),
                _ => None,
            },
            Object::Reference(id) => Some(*id),
            _ => None,
        }
    };
    if let Some(id) = reference {
        return match doc.get_object_mut(id)? {
            Object::Array(a) => {
                Ok(a.first_mut().ok_or_else(|| anyhow::anyhow!("a CID font"))?.as_dict_mut()?)
            }
            other => Ok(other.as_dict_mut()?),
        };
    }
    let type0 = dict_with(doc, b"DescendantFonts")?;
    Ok(type0
        .get_mut(b"DescendantFonts")?
        .as_array_mut()?
        .first_mut()
        .ok_or_else(|| anyhow::anyhow!("a CID font"))?
        .as_dict_mut()?)
}

fn widths_changed(doc: &mut Document) -> anyhow::Result<()> {
    let d = descendant(doc)?;
    d.set("DW", 2000);
    d.set("W", vec![Object::Integer(0), vec![Object::Integer(2000)].into()]);
    Ok(())
}

/// A CIDToGIDMap that draws each glyph as the next one: "1" shows as "2".
fn cid_to_gid_shifted(doc: &mut Document) -> anyhow::Result<()> {
    let map: Vec<u8> = (0u16..4096).flat_map(|cid| (cid + 1).to_be_bytes()).collect();
    let id = doc.add_object(Stream::new(dictionary! {}, map));
    descendant(doc)?.set("CIDToGIDMap", id);
    Ok(())
}

fn encoding_changed(doc: &mut Document) -> anyhow::Result<()> {
    dict_with(doc, b"Encoding")?.set("Encoding", "Identity-V");
    Ok(())
}

/// The text layer says other numbers: every digit in the ToUnicode map
/// becomes the next one.
fn to_unicode_changed(doc: &mut Document) -> anyhow::Result<()> {
    let maps: Vec<ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok()?.get(b"ToUnicode").ok()?.as_reference().ok())
        .collect();
    let mut changed = 0;
    for id in maps {
        let stream = doc.get_object_mut(id)?.as_stream_mut()?;
        let text =
            String::from_utf8(stream.decompressed_content().unwrap_or_else(|_| stream.content.clone()))?;
        let forged = text.replace("<0031>", "<0032>").replace("<0030>", "<0039>");
        if forged != text {
            stream.set_plain_content(forged.into_bytes());
            changed += 1;
        }
    }
    anyhow::ensure!(changed > 0, "a map names digits");
    Ok(())
}

/// Every font of the page replaced by one Type3 font whose glyphs are drawn
/// by its own procedures.
fn type3_font(doc: &mut Document) -> anyhow::Result<()> {
    let glyph =
        doc.add_object(Stream::new(dictionary! {}, b"1000 0 0 0 750 750 d1 0 0 750 750 re f".to_vec()));
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type3",
        "FontBBox" => vec![0.into(), 0.into(), 750.into(), 750.into()],
        "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
        "CharProcs" => dictionary! { "g" => glyph },
        "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => vec![0.into(), Object::Name(b"g".to_vec())] },
        "FirstChar" => 0, "LastChar" => 0, "Widths" => vec![1000.into()],
    });
    let fonts = page_fonts(doc)?;
    let names: Vec<Vec<u8>> = fonts.iter().map(|(k, _)| k.clone()).collect();
    for name in names {
        fonts.set(name, font);
    }
    Ok(())
}

/// A form XObject painted over the page (a white box and a new number).
fn xobject_added(doc: &mut Document) -> anyhow::Result<()> {
    let form = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 200.into(), 40.into()] },
        b"1 g 0 0 200 40 re f".to_vec(),
    ));
    let page = first_page(doc)?;
    let mut content = doc.get_page_content(page);
    content.extend_from_slice(b"\nq 1 0 0 1 300 400 cm /Fx1 Do Q\n");
    doc.change_page_content(page, content)?;
    let resources = doc.get_or_create_resources(page)?.as_dict_mut()?;
    resources.set("XObject", dictionary! { "Fx1" => form });
    Ok(())
}

/// A graphics state that makes everything drawn after it invisible.
fn ext_gstate_added(doc: &mut Document) -> anyhow::Result<()> {
    let page = first_page(doc)?;
    let mut content = b"/Gs1 gs\n".to_vec();
    content.extend(doc.get_page_content(page));
    doc.change_page_content(page, content)?;
    let resources = doc.get_or_create_resources(page)?.as_dict_mut()?;
    resources.set(
        "ExtGState",
        dictionary! { "Gs1" => dictionary! { "Type" => "ExtGState", "ca" => 0, "CA" => 0 } },
    );
    Ok(())
}

fn metadata_changed(doc: &mut Document) -> anyhow::Result<()> {
    let info = doc.trailer.get(b"Info")?.as_reference()?;
    doc.get_dictionary_mut(info)?.set("Title", Object::string_literal("Another meeting"));
    Ok(())
}

fn page_added(doc: &mut Document) -> anyhow::Result<()> {
    let page = first_page(doc)?;
    let mut copy = doc.get_dictionary(page)?.clone();
    copy.remove(b"Annots");
    let new = doc.add_object(copy);
    let pages = doc.catalog()?.get(b"Pages")?.as_reference()?;
    let pages = doc.get_dictionary_mut(pages)?;
    pages.get_mut(b"Kids")?.as_array_mut()?.push(new.into());
    let count = pages.get(b"Count")?.as_i64()?;
    pages.set("Count", count + 1);
    Ok(())
}

fn page_removed(doc: &mut Document) -> anyhow::Result<()> {
    let pages = doc.catalog()?.get(b"Pages")?.as_reference()?;
    let pages = doc.get_dictionary_mut(pages)?;
    let kids = pages.get_mut(b"Kids")?.as_array_mut()?;
    anyhow::ensure!(kids.len() > 1, "a page to remove");
    kids.pop();
    let count = pages.get(b"Count")?.as_i64()?;
    pages.set("Count", count - 1);
    Ok(())
}

fn nothing(_: &mut Document) -> anyhow::Result<()> {
    Ok(())
}

/// The page's font resources renamed (and the content's `Tf` with them):
/// the same drawing, by other resources.
fn resources_renamed(doc: &mut Document) -> anyhow::Result<()> {
    let fonts = page_fonts(doc)?;
    let entries: Vec<(Vec<u8>, Object)> = fonts.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (name, font) in &entries {
        fonts.remove(name);
        fonts.set([b"Z".as_slice(), name].concat(), font.clone());
    }
    let page = first_page(doc)?;
    let mut content = lopdf::content::Content::decode(&doc.get_page_content(page))?;
    for op in &mut content.operations {
        if op.operator == "Tf" {
            if let Some(Object::Name(name)) = op.operands.first_mut() {
                name.insert(0, b'Z');
            }
        }
    }
    doc.change_page_content(page, content.encode()?)?;
    Ok(())
}

fn pdfsig(pdf: &[u8]) -> anyhow::Result<String> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, pdf)?;
    let out = Command::new("pdfsig").arg(&path).output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn every_forgery_of_a_sealed_sheet_fails_and_the_original_passes() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    let v = verify_pdf(&pdf, Lang::Zh);
    assert!(v.authentic && v.rerendered, "{:?}", v.problems);
    let checked = pdfsig(&pdf)?;
    assert!(
        checked.contains("Signature is Valid") && checked.contains("Total document signed"),
        "pdfsig on the original: {checked}"
    );

    let changed = Msg::VerifyBytesChanged.render(Lang::Zh);
    let rewritten = Msg::VerifyChangedAfterSigning.render(Lang::Zh);
    let corpus: [(&str, Change, bool); 11] = [
        ("font widths", widths_changed, false),
        ("CIDToGIDMap drawing 1 as 2", cid_to_gid_shifted, false),
        ("encoding", encoding_changed, false),
        ("ToUnicode reading other digits", to_unicode_changed, false),
        ("Type3 font", type3_font, false),
        ("XObject painted over", xobject_added, false),
        ("ExtGState hiding the rows", ext_gstate_added, false),
        ("object streams rewritten", nothing, true),
        ("metadata", metadata_changed, false),
        ("page added", page_added, false),
        ("font resources renamed", resources_renamed, false),
    ];
    for (name, change, modern) in corpus {
        let forged = forge(&pdf, change, modern)?;
        assert_ne!(forged, pdf, "{name}: the forgery differs");
        let v = verify_pdf(&forged, Lang::Zh);
        assert!(!v.authentic, "{name} verified");
        let expected = if modern { &rewritten } else { &changed };
        assert_eq!(v.problems, vec![expected.clone()], "{name}");
        let checked = pdfsig(&forged)?;
        assert!(!checked.contains("Signature is Valid"), "pdfsig on {name}: {checked}");
    }
    Ok(())
}

#[test]
fn a_page_removed_fails() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    // The results sheet has one page: add one under the genuine signature
    // first, then remove one.
    let two = forge(&pdf, page_added, false)?;
    let one = forge(&two, page_removed, false)?;
    assert!(!verify_pdf(&one, Lang::Zh).authentic);
    Ok(())
}

#[test]
fn an_incremental_update_or_a_moved_signature_fails() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    let after = Msg::VerifyChangedAfterSigning.render(Lang::Zh);

    // An incremental update that redraws the page, appended to the genuine file.
    let doc = Document::load_mem(&pdf)?;
    let page = first_page(&doc)?;
    let mut update = lopdf::IncrementalDocument::create_from(pdf.clone(), doc);
    update.opt_clone_object_to_new_document(page)?;
    let content = update.new_document.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
    update.new_document.get_dictionary_mut(page)?.set("Contents", content);
    let mut updated = Vec::new();
    update.save_to(&mut updated)?;
    assert!(updated.starts_with(&pdf), "an update appends");
    let v = verify_pdf(&updated, Lang::Zh);
    assert!(!v.authentic && v.problems == vec![after.clone()], "{:?}", v.problems);
    let checked = pdfsig(&updated)?;
    assert!(!checked.contains("Total document signed"), "pdfsig on the update: {checked}");

    // Bytes appended without a new revision.
    let mut appended = pdf.clone();
    appended.extend_from_slice(b"\n");
    assert_eq!(verify_pdf(&appended, Lang::Zh).problems, vec![after.clone()]);

    // The byte range moved (in place, same length) to skip a part of the file.
    let at = find(&pdf, b"/ByteRange").expect("a byte range");
    let mut moved = pdf.clone();
    let digit = at + pdf[at..].iter().position(|c| (b'1'..=b'9').contains(c)).expect("a number");
    moved[digit] = if moved[digit] == b'1' { b'2' } else { b'1' };
    assert!(!verify_pdf(&moved, Lang::Zh).authentic);

    // The signature removed.
    let mut doc = Document::load_mem(&pdf)?;
    doc.catalog_mut()?.remove(b"AcroForm");
    let sig = doc
        .objects
        .iter()
        .find(|(_, o)| o.as_dict().ok().and_then(|d| d.get(b"Type").ok()?.as_name().ok()) == Some(b"Sig"))
        .map(|(id, _)| *id)
        .expect("a signature");
    doc.objects.remove(&sig);
    let mut stripped = Vec::new();
    doc.save_to(&mut stripped)?;
    assert_eq!(verify_pdf(&stripped, Lang::Zh).problems, vec![Msg::VerifyNoByteSignature.render(Lang::Zh)]);
    Ok(())
}

#[test]
fn a_forgery_signed_by_another_key_fails_or_names_that_key() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    let genuine = verify_pdf(&pdf, Lang::Zh);
    let unsigned = {
        let mut doc = Document::load_mem(&pdf)?;
        doc.catalog_mut()?.remove(b"AcroForm");
        let page = first_page(&doc)?;
        doc.get_dictionary_mut(page)?.remove(b"Annots");
        let ids: Vec<ObjectId> = doc
            .objects
            .iter()
            .filter(|(_, o)| {
                o.as_dict().ok().is_some_and(|d| {
                    d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Sig") || d.has(b"FT")
                })
            })
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            doc.objects.remove(&id);
        }
        let mut out = Vec::new();
        doc.save_to(&mut out)?;
        out
    };
    // The forger's own P-256 key over the genuine seal: the meeting key does
    // not vouch for it.
    let theirs = p256::ecdsa::SigningKey::from_slice(&[7u8; 32])?;
    let resigned =
        conclave_core::print::signature::sign(&unsigned, &theirs, "forger", std::time::SystemTime::now())
            .expect("signed");
    let v = verify_pdf(&resigned, Lang::Zh);
    assert_eq!(v.problems, vec![Msg::VerifyBadSignature.render(Lang::Zh)]);

    // A whole new seal by the forger's own meeting key: it verifies as that
    // key's document, and its fingerprint is not the meeting's.
    let doc = Document::load_mem(&unsigned)?;
    let seal = conclave_core::print::seal::read(&doc).expect("a seal");
    let secret = [9u8; 32];
    let forged_seal = conclave_core::print::seal::sign(&seal.data, &secret);
    let mut doc = doc;
    conclave_core::print::seal::embed(&mut doc, &forged_seal).expect("embedded");
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    let theirs = conclave_core::print::seal::pdf_signing_key(&secret);
    let resealed =
        conclave_core::print::signature::sign(&out, &theirs, "forger", std::time::SystemTime::now())
            .expect("signed");
    let v = verify_pdf(&resealed, Lang::Zh);
    assert_ne!(v.key_fingerprint, genuine.key_fingerprint, "another key shows as another key");
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("resealed.pdf");
    std::fs::write(&path, &resealed)?;
    let checked =
        conclave_core::api::verify::verify_file(&path, Lang::Zh, genuine.key_fingerprint.as_deref())?;
    assert!(!checked.authentic(), "the key printed on the minutes is not this one");
    Ok(())
}
