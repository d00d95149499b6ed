//! Printing a round's results sheet with the meeting's seal, and verifying a
//! printed PDF offline.

use crate::api::{candidates, session, voting};
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg};
use crate::print::results::{self, MeetingInfo, ResultsData, Row};
use crate::print::seal;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

/// The meeting's key pair, made on first use (new meetings get it at creation).
pub fn ensure_key(conn: &Connection) -> Result<[u8; 32]> {
    let existing: Option<Vec<u8>> =
        conn.query_row("SELECT secret FROM meeting_key WHERE id = 1", [], |r| r.get(0)).optional()?;
    if let Some(secret) = existing.and_then(|s| <[u8; 32]>::try_from(s.as_slice()).ok()) {
        return Ok(secret);
    }
    let (secret, public) = seal::new_key().ok_or_else(|| Error::Io {
        path: "getrandom".into(),
        source: std::io::Error::other("no OS randomness"),
    })?;
    conn.execute(
        "INSERT INTO meeting_key (id, public, secret) VALUES (1, ?1, ?2)",
        params![hex::encode(public), &secret[..]],
    )?;
    audit::append(conn, "key.create", &serde_json::json!({ "public": hex::encode(public) }))?;
    Ok(secret)
}

/// What the results sheet of `round` shows.
pub fn results_data(conn: &Connection, round: i64, lang: Lang) -> Result<ResultsData> {
    let status = voting::round_status(conn, round)?;
    if status.closed_at.is_none() {
        return Err(Error::invalid("round", Msg::RoundNotClosed { id: round }));
    }
    let meeting = conn.query_row("SELECT id, name, date, place, level FROM meeting LIMIT 1", [], |r| {
        Ok(MeetingInfo {
            id: r.get(0)?,
            name: r.get(1)?,
            date: r.get(2)?,
            place: r.get(3)?,
            level: r.get(4)?,
        })
    })?;
    let (rules, _) = session::rules(conn)?;
    let tracks: std::collections::HashMap<String, Option<String>> =
        candidates::list(conn)?.into_iter().map(|c| (c.id, c.track)).collect();
    let rows = status
        .results
        .into_iter()
        .map(|r| Row {
            track: tracks.get(&r.candidate_id).cloned().flatten(),
            id: r.candidate_id,
            name: r.name,
            organization: r.organization,
            applied_title: r.applied_title,
            tally: r.tally,
        })
        .collect();
    Ok(ResultsData {
        kind: results::KIND.into(),
        lang,
        meeting,
        round,
        present: status.present,
        confirmed_at: status.confirmed_at,
        rules,
        rows,
    })
}

/// The sealed results sheet of `round` as PDF bytes; logged in the audit.
pub fn results_sheet(conn: &Connection, round: i64, lang: Lang) -> Result<Vec<u8>> {
    let data = results_data(conn, round, lang)?;
    let secret = ensure_key(conn)?;
    let canonical = serde_json::to_string(&data).unwrap_or_default();
    let sealed = seal::sign(&canonical, &secret);
    let pdf = results::render(&data, &sealed).ok_or_else(|| Error::Io {
        path: "fonts".into(),
        source: std::io::Error::other("bundled font unreadable"),
    })?;
    audit::append(
        conn,
        "print.results",
        &serde_json::json!({ "round": round, "code": seal::code(&canonical) }),
    )?;
    Ok(pdf)
}

/// The answer of `conclave verify`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Verdict {
    pub authentic: bool,
    pub problems: Vec<String>,
    pub meeting: Option<String>,
    #[ts(type = "number | null")]
    pub round: Option<i64>,
    pub code: Option<String>,
    pub key_fingerprint: Option<String>,
}

/// The Info dictionary's keywords as text (PDFDocEncoding or UTF-16BE).
pub fn keywords_text(doc: &lopdf::Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        lopdf::Object::Reference(id) => doc.get_object(*id).ok()?,
        other => other,
    };
    let bytes = info.as_dict().ok()?.get(b"Keywords").ok()?.as_str().ok()?.to_vec();
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> =
            bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        return Some(String::from_utf16_lossy(&units));
    }
    Some(bytes.iter().map(|&b| b as char).collect())
}

/// Each page's drawing operations, with font resource names (random per
/// render) replaced by one placeholder so two renders of the same data compare
/// equal and any changed text, number or position does not.
fn page_contents(doc: &lopdf::Document) -> Vec<Vec<u8>> {
    doc.get_pages()
        .values()
        .map(|id| {
            let bytes = doc.get_page_content(*id);
            let mut ops = lopdf::content::Content::decode(&bytes).map(|c| c.operations).unwrap_or_default();
            for op in &mut ops {
                if op.operator == "Tf" {
                    if let Some(name) = op.operands.first_mut() {
                        *name = lopdf::Object::Name(b"F".to_vec());
                    }
                }
            }
            lopdf::content::Content { operations: ops }.encode().unwrap_or_default()
        })
        .collect()
}

/// Checks a results PDF: the seal's signature, and that every page shows
/// exactly what the signed data renders to.
pub fn verify_pdf(bytes: &[u8], lang: Lang) -> Verdict {
    let mut v = Verdict {
        authentic: false,
        problems: Vec::new(),
        meeting: None,
        round: None,
        code: None,
        key_fingerprint: None,
    };
    let Ok(doc) = lopdf::Document::load_mem(bytes) else {
        v.problems.push(Msg::VerifyNotPdf.render(lang));
        return v;
    };
    let Some(sealed) = keywords_text(&doc).and_then(|k| seal::from_keywords(&k)) else {
        v.problems.push(Msg::VerifyNoSeal.render(lang));
        return v;
    };
    v.code = Some(seal::code(&sealed.data));
    v.key_fingerprint = Some(seal::fingerprint(&sealed.public_key));
    if !seal::valid(&sealed) {
        v.problems.push(Msg::VerifyBadSignature.render(lang));
        return v;
    }
    let Ok(data) = serde_json::from_str::<ResultsData>(&sealed.data) else {
        v.problems.push(Msg::VerifyNoSeal.render(lang));
        return v;
    };
    v.meeting = Some(data.meeting.name.clone());
    v.round = Some(data.round);
    let expected = results::render(&data, &sealed).and_then(|pdf| lopdf::Document::load_mem(&pdf).ok());
    match expected {
        Some(expected) if page_contents(&expected) == page_contents(&doc) => v.authentic = true,
        _ => v.problems.push(Msg::VerifyContentChanged.render(lang)),
    }
    v
}
