//! Builders for test packages: folders, zips (including hand-made zips with
//! GBK names, lying sizes and symlink entries) and meetings.

use conclave_core::api::voting::Choice;
use conclave_core::api::{print, session};
use conclave_core::i18n::Lang;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The workspace's top folder (the one with Cargo.lock), from either crate.
pub fn workspace() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().find(|d| d.join("Cargo.lock").is_file()).unwrap_or(here).to_path_buf()
}

/// `../shared/fixtures` beside the checkout.
pub fn fixtures() -> PathBuf {
    workspace().join("../shared/fixtures")
}

pub fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A small valid PDF-looking file (magic bytes are what counts).
pub fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {tag}\n%%EOF\n").into_bytes()
}

/// A minimal valid candidate with one achievement referencing `path`.
pub fn candidate(id: &str, path: &str, bytes: &[u8]) -> Value {
    json!({
        "id": id, "name": "韦秀𠮷", "organization": "广西大学", "applied_title": "高级实验师",
        "achievements": [{
            "id": "A1", "category": "patent", "title": "一种装置", "representative": true,
            "files": [{ "title": "证书", "path": path, "sha256": sha(bytes) }]
        }]
    })
}

pub fn manifest(candidates: Vec<Value>) -> Value {
    json!({ "format": "conclave-dossier/1", "batch": { "name": "测试批次" }, "candidates": candidates })
}

/// Writes a folder package.
pub fn write_dir(root: &Path, manifest: &Value, files: &[(&str, Vec<u8>)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(root)?;
    std::fs::write(root.join("dossier.json"), serde_json::to_vec_pretty(manifest)?)?;
    for (p, bytes) in files {
        let full = root.join(p);
        std::fs::create_dir_all(full.parent().unwrap_or(root))?;
        std::fs::write(full, bytes)?;
    }
    Ok(())
}

/// One entry of a hand-made zip.
pub struct Raw {
    pub name: Vec<u8>,
    pub data: Vec<u8>,
    /// General purpose flags (bit 11 = UTF-8 names).
    pub flags: u16,
    /// Uncompressed size to declare; the real one when `None`.
    pub declared: Option<u32>,
    /// Unix mode in the external attributes (e.g. 0o120777 for a symlink).
    pub unix_mode: Option<u32>,
}

impl Raw {
    pub fn utf8(name: &str, data: Vec<u8>) -> Raw {
        Raw { name: name.as_bytes().to_vec(), data, flags: 1 << 11, declared: None, unix_mode: None }
    }
}

/// Builds a zip with stored (uncompressed) entries exactly as described.
pub fn raw_zip(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let crc = crc32fast::hash(&e.data);
        let size = e.data.len() as u32;
        let declared = e.declared.unwrap_or(size);
        let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
        let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
        le32(&mut out, 0x0403_4b50);
        le16(&mut out, 20);
        le16(&mut out, e.flags);
        le16(&mut out, 0);
        le16(&mut out, 0);
        le16(&mut out, 0x21);
        le32(&mut out, crc);
        le32(&mut out, size);
        le32(&mut out, declared);
        le16(&mut out, e.name.len() as u16);
        le16(&mut out, 0);
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.data);
        le32(&mut central, 0x0201_4b50);
        le16(&mut central, if e.unix_mode.is_some() { (3 << 8) | 20 } else { 20 });
        le16(&mut central, 20);
        le16(&mut central, e.flags);
        le16(&mut central, 0);
        le16(&mut central, 0);
        le16(&mut central, 0x21);
        le32(&mut central, crc);
        le32(&mut central, size);
        le32(&mut central, declared);
        le16(&mut central, e.name.len() as u16);
        le16(&mut central, 0);
        le16(&mut central, 0);
        le16(&mut central, 0);
        le16(&mut central, 0);
        le32(&mut central, e.unix_mode.map(|m| m << 16).unwrap_or(0));
        le32(&mut central, offset);
        central.extend_from_slice(&e.name);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

/// Messages of a report's errors, in Chinese, with where.
pub fn errors(report: &conclave_core::package::Report) -> Vec<String> {
    report
        .render(conclave_core::i18n::Lang::Zh)
        .errors
        .into_iter()
        .map(|p| format!("{}: {}", p.where_, p.message))
        .collect()
}

pub fn check(path: &Path) -> conclave_core::package::Report {
    conclave_core::api::import::check(path, &conclave_core::package::Limits::default(), &mut |_| {})
}

/// A new meeting in `data_dir`; returns its database path.
/// The secretary's PIN of every meeting [`meeting`] makes.
pub const SECRETARY_PIN: &str = "24681357";

pub fn meeting(data_dir: &Path) -> anyhow::Result<PathBuf> {
    use conclave_core::domain::meeting::{Level, NewMeeting};
    let m = conclave_core::api::meeting::create(
        data_dir,
        &NewMeeting {
            name: "测试会议".into(),
            level: Level::Senior,
            date: "2025-12-05".into(),
            place: String::new(),
        },
        Some((SECRETARY_PIN, SECRETARY_PIN)),
    )?;
    Ok(conclave_core::api::meeting::meeting_dir(data_dir, &m.id)?.join(conclave_core::store::DB_FILE))
}

/// A meeting named `name` with the fixtures imported, 20 of 25 members signed
/// in, and one closed and confirmed round over all 8 candidates in which
/// member k votes `choice(k, candidate index)`. Returns the database and round.
pub fn meeting_with_round(
    data_dir: &Path,
    name: &str,
    choice: impl Fn(usize, usize) -> conclave_core::api::voting::Choice,
) -> anyhow::Result<(PathBuf, i64)> {
    meeting_with_round_after(data_dir, name, choice, |_| Ok(()))
}

/// [`meeting_with_round`], with `before_open` run on the meeting just before
/// the round opens (after sign-in, the trustees and the overrides).
pub fn meeting_with_round_after(
    data_dir: &Path,
    name: &str,
    choice: impl Fn(usize, usize) -> conclave_core::api::voting::Choice,
    before_open: impl FnOnce(&mut conclave_core::store::Meeting) -> anyhow::Result<()>,
) -> anyhow::Result<(PathBuf, i64)> {
    use conclave_core::api::{meeting as meetings, voting};
    use conclave_core::domain::meeting::{Level, NewMeeting};
    let m = meetings::create(
        data_dir,
        &NewMeeting {
            name: name.into(),
            level: Level::Senior,
            date: "2025-12-05".into(),
            place: "南宁".into(),
        },
        Some((SECRETARY_PIN, SECRETARY_PIN)),
    )?;
    let db = meetings::meeting_dir(data_dir, &m.id)?.join(conclave_core::store::DB_FILE);
    let (mut conn, round, ids) = open_station_round(&db, before_open)?;
    let candidates = voting::round_status(&conn, round)?.candidates;
    for (k, member) in ids[..20].iter().enumerate() {
        let choices = candidates.iter().enumerate().map(|(ci, c)| (c.clone(), choice(k, ci))).collect();
        voting::cast(&mut conn, round, member, &choices)?;
    }
    tally(&mut conn, round)?;
    let pin = chair_pin(&mut conn)?;
    voting::confirm_round(&mut conn, round, &pin)?;
    Ok((db, round))
}

/// Imports the fixtures into `db`, signs in 20 of the 25 members, names
/// the trustees, overrides every bar, runs `before_open`, and opens a
/// station round over every candidate on the chair's PIN. Returns the open
/// meeting, the round and every member's id in roster order.
pub fn open_station_round(
    db: &Path,
    before_open: impl FnOnce(&mut conclave_core::store::Meeting) -> anyhow::Result<()>,
) -> anyhow::Result<(conclave_core::store::Meeting, i64, Vec<String>)> {
    use conclave_core::api::{session, voting};
    import_fixtures(db)?;
    let mut conn = conclave_core::store::open(db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids[..20] {
        session::set_presence(&mut conn, id, true)?;
    }
    name_trustees(&mut conn)?;
    override_all_barred(&mut conn)?;
    before_open(&mut conn)?;
    let pin = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin)?;
    Ok((conn, round, ids))
}

/// A fresh PIN for the meeting's chair (who must be present): what the
/// chair's acts (opening, closing, confirming rounds, overrides) need.
pub fn chair_pin(conn: &mut conclave_core::store::Meeting) -> anyhow::Result<String> {
    use conclave_core::api::session;
    use conclave_core::domain::vocab::Role;
    let chair = session::attendance(conn)?
        .into_iter()
        .find(|a| a.role == Role::Chair)
        .ok_or_else(|| anyhow::anyhow!("the roster has no chair"))?;
    Ok(session::reissue_pin(conn, &chair.id)?.pin)
}

/// The chair's override for every candidate 资格审查 bars (three of the
/// fixtures' eight in a senior meeting), so a test round votes on all eight.
pub fn override_all_barred(conn: &mut conclave_core::store::Meeting) -> anyhow::Result<()> {
    for b in conclave_core::api::eligibility::barred(conn)? {
        let pin = chair_pin(conn)?;
        conclave_core::api::eligibility::record_override(conn, &b.candidate_id, "测试：全部表决", &pin)?;
    }
    Ok(())
}

/// The trustees of test meetings and their passphrases.
pub const TRUSTEES: [(&str, &str); 3] = [
    ("李鹏伟", "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA"),
    ("监票人甲", "M4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE"),
    ("监票人乙", "H3NXP-7WQKD-5RBZT-8MJCF-2VGYA"),
];

/// The chair's passphrase, which sealed documents and exports need.
pub const CHAIR: Option<&str> = Some(TRUSTEES[0].1);

/// The meeting's signing key, unlocked by the chair's passphrase.
pub fn chair_key(
    conn: &conclave_core::store::Connection,
) -> anyhow::Result<conclave_core::api::signing::SigningKey> {
    Ok(conclave_core::api::signing::unlock(conn, CHAIR)?)
}

/// Names [`TRUSTEES`] (the fixtures' chair and two staff scrutineers).
pub fn name_trustees(conn: &mut conclave_core::store::Meeting) -> anyhow::Result<()> {
    conclave_core::api::trustees::setup(conn, TRUSTEES.map(|(n, _)| n), TRUSTEES.map(|(_, p)| p))?;
    Ok(())
}

/// Counts a station round with the first two trustees (closing it first if open).
pub fn tally(conn: &mut conclave_core::store::Meeting, round: i64) -> anyhow::Result<()> {
    use conclave_core::api::{tally, voting};
    if voting::round_status(conn, round)?.closed_at.is_none() {
        let pin = chair_pin(conn)?;
        voting::close_round(conn, round, &pin)?;
    }
    tally::tally_round(conn, round, [TRUSTEES[0], TRUSTEES[1]])?;
    Ok(())
}

/// Imports the fixtures' dossiers and 25-member roster into `db`.
pub fn import_fixtures(db: &Path) -> anyhow::Result<()> {
    for p in ["batch-small.zip", "committee-25.json"] {
        let r = conclave_core::api::import::import(
            db,
            &fixtures().join(p),
            &conclave_core::package::Limits::default(),
            &mut |_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )?;
        anyhow::ensure!(r.ok(), "{p}: {:?}", errors(&r));
    }
    Ok(())
}

/// A new meeting with the fixtures' dossiers and 25-member roster imported.
pub fn prepared() -> anyhow::Result<(tempfile::TempDir, PathBuf)> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    import_fixtures(&db)?;
    name_trustees(&mut conclave_core::store::open(&db)?)?;
    Ok((data, db))
}

/// A PDF's text as pdftotext (poppler) reads it, in layout mode.
pub fn pdftotext(pdf: &[u8]) -> anyhow::Result<String> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf)?;
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-layout"])
        .arg(&path)
        .arg("-")
        .output()?;
    anyhow::ensure!(out.status.success(), "pdftotext failed");
    Ok(String::from_utf8(out.stdout)?)
}

/// Kept for people to look at (pdftoppm -png); test-output/ is not tracked.
pub fn keep(name: &str, pdf: &[u8]) -> anyhow::Result<()> {
    let out = workspace().join("test-output");
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join(name), pdf)?;
    Ok(())
}

/// Even candidates pass with 16 of 20, odd ones fail with 12.
pub fn pattern(k: usize, ci: usize) -> Choice {
    match (ci % 2, k % 10) {
        (0, x) if x < 8 => Choice::For,
        (0, _) => Choice::Against,
        (_, x) if x % 5 < 3 => Choice::For,
        _ => Choice::Abstain,
    }
}

/// The fixtures' meeting after one confirmed round, then member 20 leaves.
pub fn finished_meeting(data: &Path) -> anyhow::Result<(PathBuf, Vec<String>)> {
    let (db, _round) = meeting_with_round(data, "2025年度实验系列高级职称评审会", pattern)?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    session::set_presence(&mut conn, &ids[19], false)?;
    Ok((db, ids))
}

/// Even-placed candidates pass with 16 of 20, odd ones fail with 12.
pub fn sheet_pattern(k: usize, ci: usize) -> Choice {
    if ci.is_multiple_of(2) {
        if k % 10 < 8 {
            Choice::For
        } else {
            Choice::Against
        }
    } else if k % 5 < 3 {
        Choice::For
    } else {
        Choice::Abstain
    }
}

pub const SHEET_MEETING: &str = "2025年度评审会议（韦秀𠮷 刘䶮 王𪚥）";

/// A results sheet of the fixtures' meeting after one round, kept in test-output/.
pub fn sheet(lang: Lang) -> anyhow::Result<(tempfile::TempDir, Vec<u8>)> {
    let data = tempfile::tempdir()?;
    let (db, round) = meeting_with_round(data.path(), SHEET_MEETING, sheet_pattern)?;
    let conn = conclave_core::store::open(&db)?;
    let pdf = print::results_sheet(&conn, &chair_key(&conn)?, round, lang)?;
    // Kept for people to look at (pdftoppm -png); test-output/ is not tracked.
    let out = workspace().join("test-output");
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join(format!("results-{lang:?}.pdf").to_lowercase()), &pdf)?;
    Ok((data, pdf))
}

/// Every entry of a zip, in order.
pub fn entries(zip_path: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(zip_path)?)?;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i)?;
        let mut body = Vec::new();
        e.read_to_end(&mut body)?;
        out.push((e.name()?.into_owned(), body));
    }
    Ok(out)
}

pub fn rewrite(zip_path: &Path, entries: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    let mut w = zip::ZipWriter::new(std::fs::File::create(zip_path)?);
    for (name, body) in entries {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())?;
        w.write_all(body)?;
    }
    w.finish()?;
    Ok(())
}

/// `src` (an xlsx) rewritten with `method`, each part passed through
/// `change`, and `extra` parts added.
pub fn rewrite_xlsx(
    src: &Path,
    method: zip::CompressionMethod,
    change: &dyn Fn(&str, Vec<u8>) -> Vec<u8>,
    extra: &[(&str, Vec<u8>)],
) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(src).expect("the fixture")).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("an entry");
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("inflates");
        out.start_file(name.clone(), options).expect("a part");
        out.write_all(&change(&name, data)).expect("written");
    }
    for (name, data) in extra {
        out.start_file(*name, options).expect("a part");
        out.write_all(data).expect("written");
    }
    out.finish().expect("a zip").into_inner()
}

/// The fixtures with 20 of 25 signed in (the chair M01 and both vice chairs
/// M02, M03 among them), the trustees named (by [`prepared`]), every barred
/// candidate let in; the members' ids in roster order.
pub fn twenty_present(
) -> anyhow::Result<(tempfile::TempDir, PathBuf, conclave_core::store::Meeting, Vec<String>)> {
    let (data, db) = prepared()?;
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids[..20] {
        session::set_presence(&mut conn, id, true)?;
    }
    override_all_barred(&mut conn)?;
    Ok((data, db, conn, ids))
}
