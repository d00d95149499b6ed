//! The paper check: each page of a sealed document rendered at 150 dpi
//! (pdftoppm), and the same page rotated 2°, with noise, saved as JPEG
//! (ImageMagick), is read back by `verify --scan`; what it says the page must
//! show is what the page shows. A forged code and another meeting's page fail.

use crate::common::*;
use conclave_core::api::verify::{scan_image, verify_file, verify_pdf, Checked};
use conclave_core::i18n::{Lang, Msg};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every page of `pdf` as a 150-dpi PNG and as a rotated, noisy JPEG.
fn photos(pdf: &[u8], dir: &Path, tag: &str) -> anyhow::Result<Vec<(usize, PathBuf, PathBuf)>> {
    let path = dir.join(format!("{tag}.pdf"));
    std::fs::write(&path, pdf)?;
    let prefix = dir.join(tag);
    let status = Command::new("pdftoppm").args(["-png", "-r", "150"]).arg(&path).arg(&prefix).status()?;
    anyhow::ensure!(status.success(), "pdftoppm");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "png")
                && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("{tag}-")))
        })
        .collect();
    pages.sort();
    let mut out = Vec::new();
    for (i, png) in pages.into_iter().enumerate() {
        let jpeg = png.with_extension("jpg");
        let status = Command::new("convert")
            .arg(&png)
            // A fixed seed: the same noise on every run, so a miss can be replayed.
            .args(["-seed", &(i + 1).to_string()])
            .args([
                "-background",
                "white",
                "-rotate",
                "2",
                "-attenuate",
                "0.4",
                "+noise",
                "Gaussian",
                "-blur",
                "0x0.7",
            ])
            .args(["-quality", "75"])
            .arg(&jpeg)
            .status()?;
        anyhow::ensure!(status.success(), "convert");
        out.push((i + 1, png, jpeg));
    }
    Ok(out)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of page `n` of `pdf`.
fn page_text(pdf: &[u8], n: usize) -> anyhow::Result<String> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf)?;
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-f", &n.to_string(), "-l", &n.to_string()])
        .arg(&path)
        .arg("-")
        .output()?;
    Ok(String::from_utf8(out.stdout)?)
}

/// Scans every page of `pdf`: authentic, the right page, and every cell the
/// code says the page shows is on the page.
fn scans_every_page(pdf: &[u8], tag: &str) -> anyhow::Result<Vec<Vec<Vec<String>>>> {
    let dir = tempfile::tempdir()?;
    let code = verify_pdf(pdf, Lang::Zh).code;
    let mut all = Vec::new();
    for (n, png, jpeg) in photos(pdf, dir.path(), tag)? {
        let text = squeeze(&page_text(pdf, n)?);
        for photo in [&png, &jpeg] {
            let v = scan_image(&std::fs::read(photo)?, Lang::Zh);
            assert!(v.authentic, "{}: {:?}", photo.display(), v.problems);
            assert_eq!((v.page, v.code.clone()), (Some(n), code.clone()), "{}", photo.display());
            // A page with a table carries its header and rows; a page of
            // signature lines carries none.
            assert!(v.rows.len() != 1, "a header comes with its rows: {:?}", v.rows);
            for cell in v.rows.iter().flatten() {
                assert!(text.contains(&squeeze(cell)), "page {n} shows {cell:?}");
            }
            if photo == &png {
                all.push(v.rows.clone());
            }
        }
    }
    Ok(all)
}

#[test]
fn every_page_of_a_results_sheet_scans_with_its_counts() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    let pages = scans_every_page(&pdf, "results")?;
    let rows: Vec<&Vec<String>> = pages.iter().flatten().filter(|r| r[1].starts_with("GX2025-")).collect();
    assert_eq!(rows.len(), 8, "every candidate's row");
    for row in rows {
        // no., ID, name, for, against, abstain, not voted, outcome
        let n: Vec<u32> = row[3..7].iter().map(|c| c.parse()).collect::<Result<_, _>>()?;
        assert_eq!(n.iter().sum::<u32>(), 20, "{row:?}");
        assert_eq!(row[7] == "通过", n[0] >= 14, "{row:?}");
    }
    Ok(())
}

#[test]
fn every_page_of_the_minutes_scans() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = meeting_with_round(data.path(), "扫描核验会议", sheet_pattern)?;
    let conn = conclave_core::store::open(&db)?;
    let pdf = conclave_core::api::print::minutes(&conn, &chair_key(&conn)?, Lang::Zh)?;
    let pages = scans_every_page(&pdf, "minutes")?;
    assert!(pages.len() >= 2, "the minutes run over pages");
    assert!(pages.iter().filter(|rows| rows.len() >= 2).count() >= 2, "most pages carry rows");
    Ok(())
}

#[test]
fn a_forged_code_or_another_meetings_page_fails() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    let dir = tempfile::tempdir()?;
    let (_, png, _) = photos(&pdf, dir.path(), "genuine")?.into_iter().next().expect("a page");
    let genuine = scan_image(&std::fs::read(&png)?, Lang::Zh);
    assert!(genuine.authentic);

    // The code redrawn with one count changed, under the genuine signature.
    let doc = lopdf::Document::load_mem(&pdf)?;
    let seal = conclave_core::print::seal::read(&doc).expect("a seal");
    let mut page = conclave_core::print::page_seal::Page {
        code: genuine.code.clone().unwrap_or_default(),
        kind: genuine.kind.clone().unwrap_or_default(),
        round: genuine.round,
        page: 1,
        pages: 1,
        meeting: genuine.meeting.clone().unwrap_or_default(),
        rows: genuine.rows.clone(),
    };
    let key: [u8; 32] = hex::decode(&seal.public_key)?.try_into().map_err(|_| anyhow::anyhow!("a key"))?;
    let sig: [u8; 64] =
        hex::decode(&seal.pages[0])?.try_into().map_err(|_| anyhow::anyhow!("a signature"))?;
    let genuine_payload = conclave_core::print::page_seal::payload(&page, &key, &sig).expect("a payload");
    assert!(conclave_core::print::page_seal::read(&genuine_payload).is_some_and(|s| s.valid));
    page.rows[1][3] = "19".into();
    let forged = conclave_core::print::page_seal::payload(&page, &key, &sig).expect("a payload");
    let (n, dark) = conclave_core::print::page_seal::qr(&forged).expect("a code");
    let px = 4;
    let side = (n + 8) * px;
    let img = image::GrayImage::from_fn(side as u32, side as u32, |x, y| {
        let (mx, my) = ((x as usize / px).wrapping_sub(4), (y as usize / px).wrapping_sub(4));
        let on = mx < n && my < n && dark[my * n + mx];
        image::Luma([if on { 0 } else { 255 }])
    });
    let forged_png = dir.path().join("forged.png");
    img.save(&forged_png)?;
    let v = scan_image(&std::fs::read(&forged_png)?, Lang::Zh);
    assert_eq!(v.problems, vec![Msg::ScanBadSignature.render(Lang::Zh)]);

    // A page of another meeting, checked against this meeting's key.
    let other = tempfile::tempdir()?;
    let (db, round) = meeting_with_round(other.path(), "另一次评审会议", sheet_pattern)?;
    let conn = conclave_core::store::open(&db)?;
    let other_pdf = conclave_core::api::print::results_sheet(&conn, &chair_key(&conn)?, round, Lang::Zh)?;
    let (_, other_png, _) = photos(&other_pdf, dir.path(), "other")?.into_iter().next().expect("a page");
    let checked = verify_file(&other_png, Lang::Zh, genuine.key_fingerprint.as_deref())?;
    assert!(matches!(checked, Checked::Scan(_)) && !checked.authentic(), "another meeting's key");
    let checked = verify_file(&png, Lang::Zh, genuine.key_fingerprint.as_deref())?;
    assert!(checked.authentic(), "{:?}", checked.problems());

    // Not a picture of a page at all.
    let v = scan_image(b"\x89PNG not really", Lang::Zh);
    assert_eq!(v.problems, vec![Msg::ScanNotImage.render(Lang::Zh)]);
    Ok(())
}

/// Photos as a phone takes them: twenty noise patterns, a page held at an
/// angle (perspective), turned upside down, and a coarse 90-dpi scan. Every
/// one reads (with rqrr, one noise pattern in sixteen did not).
#[test]
fn twenty_noisy_photos_a_tilted_and_a_coarse_one_all_scan() -> anyhow::Result<()> {
    let (_d, pdf) = sheet(Lang::Zh)?;
    let dir = tempfile::tempdir()?;
    let (_, png, _) = photos(&pdf, dir.path(), "base")?.into_iter().next().expect("a page");
    let expected = scan_image(&std::fs::read(&png)?, Lang::Zh);
    assert!(expected.authentic, "{:?}", expected.problems);
    let (w, h) = image::image_dimensions(&png)?;
    let perspective = format!("0,0 40,30  {w},0 {},80  0,{h} 20,{}  {w},{h} {},{h}", w - 60, h - 40, w - 10);
    let mut variants: Vec<Vec<String>> = (1..=20)
        .map(|seed| {
            let seed = seed.to_string();
            ["-seed", &seed, "-attenuate", "0.5", "+noise", "Gaussian", "-quality", "70"]
                .map(String::from)
                .to_vec()
        })
        .collect();
    variants.push(
        [
            "-virtual-pixel",
            "white",
            "-distort",
            "Perspective",
            &perspective,
            "-blur",
            "0x1",
            "-quality",
            "80",
        ]
        .map(String::from)
        .to_vec(),
    );
    variants.push(["-rotate", "180"].map(String::from).to_vec());
    variants.push(["-resize", "60%"].map(String::from).to_vec());
    for (i, args) in variants.iter().enumerate() {
        let out = dir.path().join(format!("variant-{i}.jpg"));
        let status = Command::new("convert").arg(&png).args(args).arg(&out).status()?;
        anyhow::ensure!(status.success(), "convert {args:?}");
        let v = scan_image(&std::fs::read(&out)?, Lang::Zh);
        assert!(v.authentic, "{args:?}: {:?}", v.problems);
        assert_eq!(v.rows, expected.rows, "{args:?}");
    }
    Ok(())
}
