//! The 公示 list: the candidates who passed (by a confirmed round), with
//! name, organisation, applied title and track; no votes and no committee
//! names. Sealed like the results sheet.

use super::layout::{colon, labelled, Layout, Rendered, Table, MARGIN};
use super::results::MeetingInfo;
use super::seal::Seal;
use crate::i18n::labels::{label, page};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

pub const KIND: &str = "publicity";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassedLine {
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    pub track: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicityData {
    pub kind: String,
    pub lang: Lang,
    pub meeting: MeetingInfo,
    pub rows: Vec<PassedLine>,
    /// The audit chain's head when the list was printed (the archive's
    /// verify finds it in the chain).
    #[serde(default)]
    pub audit_head: Option<String>,
    /// The 公示 period, when the secretary gave its start (lists sealed
    /// before this existed have none and print blanks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// The 公示 period: its first and last days (YYYY-MM-DD) and how many
/// working days it runs; `counted` says the end came from the bundled
/// working-day calendar rather than being typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: String,
    pub end: String,
    pub working_days: u32,
    pub counted: bool,
}

pub fn render(data: &PublicityData, seal: &Seal) -> Option<Rendered> {
    let lang = data.lang;
    let c = colon(lang);
    let title = label("publicity.title", lang);
    let mut l = Layout::new(&format!("{} — {}", data.meeting.name, title), false)?;
    l.reserve_qr_band();
    let width = l.width - 2.0 * MARGIN;
    l.y -= 18.0;
    l.title(&title);
    l.y -= 6.0;
    let intro = label("publicity.intro", lang)
        .replace("{meeting}", &data.meeting.name)
        .replace("{date}", &data.meeting.date)
        .replace("{count}", &data.rows.len().to_string());
    l.paragraph(MARGIN, width, 10.5, 17.0, &intro);
    l.y -= 8.0;
    let cols = labelled(
        &[
            ("col.no", 0.08),
            ("col.name", 0.17),
            ("col.organization", 0.39),
            ("col.title", 0.20),
            ("col.track", 0.16),
        ],
        lang,
    );
    let mut t = Table::new(&l, &cols, 10.0);
    // On the page's QR: no., name and title.
    t.signed = vec![0, 1, 3];
    let rows: Vec<Vec<String>> = data
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.name.clone(),
                r.organization.clone(),
                label(&format!("title.{}", r.applied_title), lang),
                label(&format!("track.{}", r.track.as_deref().unwrap_or("normal")), lang),
            ]
        })
        .collect();
    l.table(&t, &rows);
    l.ensure(60.0);
    l.y -= 10.0;
    let period = match &data.period {
        Some(p) => label("publicity.period.dates", lang)
            .replace("{start}", &p.start)
            .replace("{end}", &p.end)
            .replace("{n}", &p.working_days.to_string()),
        None => label("publicity.period", lang),
    };
    l.paragraph(MARGIN, width, 10.5, 17.0, &period);
    l.y -= 6.0;
    l.paragraph(MARGIN, width, 10.5, 17.0, &format!("{}{c}", label("publicity.contact", lang)));
    l.y -= 12.0;
    // The public list carries no hash: the chain head stays in its sealed
    // data (and in the archive), where verification reads it.
    Some(l.finish(&data.meeting.name, |n, m| page(n, m, lang), Some(seal), lang))
}
