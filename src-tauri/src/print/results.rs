//! The results sheet (评审结果表决统计表): the meeting, the rules in force,
//! one row per candidate with the count and outcome, totals, signature lines
//! for the chair, scrutineers and counter, and the digital seal. Rendering is
//! deterministic: `verify` renders the embedded data again and compares.

use super::layout::{Layout, MARGIN};
use super::seal::{self, Seal};
use crate::domain::rules::{Denominator, Rules, Tally};
use crate::i18n::labels::{label, page};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingInfo {
    pub id: String,
    pub name: String,
    pub date: String,
    pub place: String,
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    pub track: Option<String>,
    pub tally: Tally,
}

/// Everything the sheet shows: the canonical data that is signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsData {
    pub kind: String,
    pub lang: Lang,
    pub meeting: MeetingInfo,
    pub round: i64,
    pub present: i64,
    pub confirmed_at: Option<String>,
    pub rules: Rules,
    pub rows: Vec<Row>,
}

pub const KIND: &str = "results";

/// Column widths as fractions of the table width.
const COLS: [(&str, f32); 13] = [
    ("col.no", 0.04),
    ("col.id", 0.10),
    ("col.name", 0.08),
    ("col.organization", 0.17),
    ("col.title", 0.10),
    ("col.track", 0.08),
    ("col.for", 0.055),
    ("col.against", 0.055),
    ("col.abstain", 0.055),
    ("col.not_voted", 0.055),
    ("col.eligible", 0.055),
    ("col.threshold", 0.07),
    ("col.outcome", 0.07),
];

const SIZE: f32 = 9.5;
const LEAD: f32 = 13.0;

fn cells(r: &Row, i: usize, lang: Lang) -> [String; 13] {
    let t = &r.tally;
    [
        (i + 1).to_string(),
        r.id.clone(),
        r.name.clone(),
        r.organization.clone(),
        label(&format!("title.{}", r.applied_title), lang),
        label(&format!("track.{}", r.track.as_deref().unwrap_or("normal")), lang),
        t.votes_for.to_string(),
        t.against.to_string(),
        t.abstain.to_string(),
        t.not_voted.to_string(),
        t.eligible.to_string(),
        t.threshold.to_string(),
        label(if t.passed { "passed" } else { "failed" }, lang),
    ]
}

/// Draws one table row (wrapped cells) at the layout's y; returns its height.
fn row(l: &mut Layout, texts: &[String], widths: &[f32], left: f32) -> f32 {
    let wrapped: Vec<Vec<String>> =
        texts.iter().zip(widths).map(|(t, w)| Layout::wrap(t, SIZE, w - 6.0)).collect();
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let height = lines as f32 * LEAD + 6.0;
    let top = l.y;
    let mut x = left;
    for (cell, w) in wrapped.iter().zip(widths) {
        for (k, line) in cell.iter().enumerate() {
            l.text(x + 3.0, top - 3.0 - LEAD * (k as f32 + 1.0) + 3.0, SIZE, line);
        }
        x += w;
    }
    let right = left + widths.iter().sum::<f32>();
    l.line(left, top - height, right, top - height, 0.5);
    let mut x = left;
    for w in widths {
        l.line(x, top, x, top - height, 0.5);
        x += w;
    }
    l.line(right, top, right, top - height, 0.5);
    l.y -= height;
    height
}

fn header(l: &mut Layout, widths: &[f32], left: f32, lang: Lang) {
    let right = left + widths.iter().sum::<f32>();
    l.line(left, l.y, right, l.y, 0.8);
    let texts: Vec<String> = COLS.iter().map(|(k, _)| label(k, lang)).collect();
    row(l, &texts, widths, left);
}

/// "：" in Chinese, ": " in English.
fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

/// Renders the sheet for `data` with its `seal`.
pub fn render(data: &ResultsData, seal: &Seal) -> Option<Vec<u8>> {
    let lang = data.lang;
    let title = label("results.title", lang);
    let mut l = Layout::new(&format!("{} — {}", data.meeting.name, title), true)?;
    let left = MARGIN;
    let table_width = l.width - 2.0 * MARGIN;
    let widths: Vec<f32> = COLS.iter().map(|(_, f)| f * table_width).collect();

    l.y -= 18.0;
    l.text_centered(l.y, 18.0, &title);
    l.y -= 22.0;
    let c = colon(lang);
    let info = format!(
        "{}{c}{}    {}{c}{}    {}{c}{}    {}{c}{}    {}{c}{}",
        label("meeting.date", lang),
        data.meeting.date,
        label("meeting.place", lang),
        if data.meeting.place.is_empty() { label("not_given", lang) } else { data.meeting.place.clone() },
        label("meeting.level", lang),
        label(&format!("level.{}", data.meeting.level), lang),
        label("round", lang),
        data.round,
        label("present", lang),
        data.present,
    );
    l.text_centered(l.y, 10.5, &info);
    l.y -= 16.0;
    let rule_key = match data.rules.denominator {
        Denominator::Present => "rule.present",
        Denominator::PresentEligible => "rule.eligible",
    };
    let rule = format!(
        "{}{c}{} {}/{}（⌈{}/{} × N⌉）",
        label("rule", lang),
        label(rule_key, lang),
        data.rules.pass_num,
        data.rules.pass_den,
        data.rules.pass_num,
        data.rules.pass_den
    );
    l.text_centered(l.y, 10.5, &rule);
    l.y -= 14.0;

    header(&mut l, &widths, left, lang);
    for (i, r) in data.rows.iter().enumerate() {
        let texts = cells(r, i, lang);
        let need =
            texts.iter().zip(&widths).map(|(t, w)| Layout::wrap(t, SIZE, w - 6.0).len()).max().unwrap_or(1)
                as f32
                * LEAD
                + 6.0;
        if l.y - need < MARGIN + 10.0 {
            l.new_page();
            l.y -= 10.0;
            header(&mut l, &widths, left, lang);
        }
        row(&mut l, &texts, &widths, left);
    }
    let passed = data.rows.iter().filter(|r| r.tally.passed).count();
    let totals = format!(
        "{}{c}{} {}{} {} {}",
        label("totals", lang),
        label("passed", lang),
        passed,
        if lang == Lang::Zh { "，" } else { "," },
        label("failed", lang),
        data.rows.len() - passed
    );
    // Signature lines and the seal need about 150 pt.
    if l.y - 160.0 < MARGIN {
        l.new_page();
    }
    l.y -= 18.0;
    l.text(left, l.y, 10.5, &totals);
    l.y -= 34.0;
    let third = table_width / 3.0;
    for (k, key) in ["sign.chair", "sign.scrutineers", "sign.counter"].iter().enumerate() {
        let x = left + third * k as f32;
        l.text(x, l.y, 10.5, &format!("{}{c}", label(key, lang)));
        l.line(
            x + Layout::width_of(&label(key, lang), 10.5) + 14.0,
            l.y - 2.0,
            x + third - 16.0,
            l.y - 2.0,
            0.5,
        );
    }
    l.y -= 26.0;
    l.text(left, l.y, 10.5, &format!("{}{c}", label("sign.date", lang)));
    l.line(left + 40.0, l.y - 2.0, left + 160.0, l.y - 2.0, 0.5);

    // The seal: QR of hash and signature, the code, the key's fingerprint.
    let qr_text = format!("{}:{}:{}", seal::MARKER, hex::encode(seal::digest(&seal.data)), seal.signature);
    let bottom = l.y - 100.0;
    if let Some((n, dark)) = seal::qr_modules(&qr_text) {
        let side = 90.0 / n as f32;
        let x0 = l.width - MARGIN - 90.0;
        for (i, d) in dark.iter().enumerate() {
            if *d {
                l.square(x0 + (i % n) as f32 * side, bottom + (n - 1 - i / n) as f32 * side, side);
            }
        }
    }
    let tx = l.width - MARGIN - 440.0;
    l.text(tx, bottom + 70.0, 10.5, &label("seal.title", lang));
    l.text(tx, bottom + 52.0, 10.5, &format!("{}{c}{}", label("seal.code", lang), seal::code(&seal.data)));
    l.text(
        tx,
        bottom + 34.0,
        8.5,
        &format!("{}{c}{}", label("seal.key", lang), seal::fingerprint(&seal.public_key)),
    );
    l.text(tx, bottom + 18.0, 8.5, &label("seal.how", lang));

    let header_text = data.meeting.name.clone();
    Some(l.finish(&header_text, |n, m| page(n, m, lang), seal::to_keywords(seal)))
}
