//! The results sheet (评审结果表决统计表): the meeting, the rules in force,
//! one row per candidate with the count and outcome, totals, signature lines
//! for the chair, scrutineers and counter, and the digital seal. Rendering is
//! deterministic: `verify` renders the embedded data again and compares.

use super::layout::{colon, labelled, punct, Layout, Rendered, Table, MARGIN};
use super::seal::Seal;
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
    /// The committee's name from its roster (empty before one is imported).
    #[serde(default)]
    pub committee: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    pub track: Option<String>,
    pub tally: Tally,
    /// Where the posts (岗位结构比例) placed the candidate: `within`,
    /// `beyond` or `tie`; absent when the title has no posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posts: Option<String>,
}

impl Row {
    /// Whether the candidate passes: reached the threshold and, where the
    /// title has posts, ranked within them.
    pub fn passes(&self) -> bool {
        self.tally.passed && self.posts.as_deref().is_none_or(|p| p == "within")
    }

    /// The outcome's label key.
    pub fn outcome_key(&self) -> &'static str {
        match (self.tally.passed, self.posts.as_deref()) {
            (true, Some("beyond")) => "posts.beyond",
            (true, Some("tie")) => "posts.tie",
            (true, _) => "passed",
            (false, _) => "failed",
        }
    }
}

impl MeetingInfo {
    /// "日期：…    地点：…    评审级别：…" as the documents' headers show it.
    pub fn facts(&self, lang: Lang) -> String {
        let c = colon(lang);
        format!(
            "{}{c}{}    {}{c}{}    {}{c}{}",
            label("meeting.date", lang),
            self.date,
            label("meeting.place", lang),
            if self.place.is_empty() { label("not_given", lang) } else { self.place.clone() },
            label("meeting.level", lang),
            label(&format!("level.{}", self.level), lang),
        )
    }
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
    /// The sealed box's root (encrypted rounds); absent in older sheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub box_root: Option<String>,
    /// The audit chain's head when the sheet was printed; absent in older sheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<String>,
    /// The posts per title and the ranking; absent without posts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rankings: Vec<crate::domain::posts::Ranking>,
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

pub(crate) fn cells(r: &Row, i: usize, lang: Lang) -> Vec<String> {
    let t = &r.tally;
    vec![
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
        label(r.outcome_key(), lang),
    ]
}

/// The results table's columns in `lang`.
pub(crate) fn columns(lang: Lang) -> Vec<(String, f32)> {
    labelled(&COLS, lang)
}

/// The pass rule as one line: "通过标准：同意票不少于出席评审专家人数的 2/3（⌈2/3 × N⌉）".
pub(crate) fn rule_line(rules: &Rules, lang: Lang) -> String {
    let rule_key = match rules.denominator {
        Denominator::Present => "rule.present",
        Denominator::PresentEligible => "rule.eligible",
    };
    punct(
        format!(
            "{}{}{} {}/{}（⌈{}/{} × N⌉）",
            label("rule", lang),
            colon(lang),
            label(rule_key, lang),
            rules.pass_num,
            rules.pass_den,
            rules.pass_num,
            rules.pass_den
        ),
        lang,
    )
}

/// Renders the sheet for `data` with its `seal`.
pub fn render(data: &ResultsData, seal: &Seal) -> Option<Rendered> {
    let lang = data.lang;
    let title = label("results.title", lang);
    let mut l = Layout::new(&format!("{} — {}", data.meeting.name, title), true)?;
    l.reserve_qr_band();
    let left = MARGIN;
    let table_width = l.width - 2.0 * MARGIN;

    l.y -= 18.0;
    l.title(&title);
    l.y -= 22.0;
    let c = colon(lang);
    let info = format!(
        "{}    {}{c}{}    {}{c}{}",
        data.meeting.facts(lang),
        label("round", lang),
        data.round,
        label("present", lang),
        data.present,
    );
    if !data.meeting.committee.is_empty() {
        l.text_centered(l.y, 10.5, &format!("{}{c}{}", label("committee", lang), data.meeting.committee));
        l.y -= 16.0;
    }
    l.text_centered(l.y, 10.5, &info);
    l.y -= 16.0;
    l.text_centered(l.y, 10.5, &rule_line(&data.rules, lang));
    l.y -= 14.0;

    let mut table = Table::new(&l, &columns(lang), SIZE);
    // On the page's QR: no., ID, name, the four counts and the outcome.
    table.signed = vec![0, 1, 2, 6, 7, 8, 9, 12];
    let rows: Vec<Vec<String>> = data.rows.iter().enumerate().map(|(i, r)| cells(r, i, lang)).collect();
    l.table(&table, &rows);
    let passed = data.rows.iter().filter(|r| r.passes()).count();
    ranking_lines(&mut l, &data.rankings, lang);
    let totals = format!(
        "{}{c}{} {}{} {} {}",
        label("totals", lang),
        label("passed", lang),
        passed,
        if lang == Lang::Zh { "，" } else { "," },
        label("failed", lang),
        data.rows.len() - passed
    );
    // Signature lines, the hashes and the seal need about 180 pt.
    if l.y - 190.0 < MARGIN {
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
    for (key, value) in [("box_root", &data.box_root), ("audit_head", &data.audit_head)] {
        if let Some(v) = value {
            l.y -= 14.0;
            l.text(left, l.y, 8.0, &format!("{}{c}{v}", label(key, lang)));
        }
    }

    let header_text = data.meeting.name.clone();
    Some(l.finish(&header_text, |n, m| page(n, m, lang), Some(seal), lang))
}

/// The posts, the ranking and the rule under the results table: one
/// paragraph per title with posts.
pub(crate) fn ranking_lines(l: &mut Layout, rankings: &[crate::domain::posts::Ranking], lang: Lang) {
    if rankings.is_empty() {
        return;
    }
    let c = colon(lang);
    let width = l.width - 2.0 * MARGIN;
    l.y -= 6.0;
    l.paragraph(
        MARGIN,
        width,
        10.0,
        15.0,
        &format!("{}{c}{}", label("posts.rule.title", lang), label("posts.rule", lang)),
    );
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    for r in rankings {
        let order: Vec<String> = r
            .ranked
            .iter()
            .map(|x| {
                format!(
                    "{} {} {} {}（{}）",
                    x.rank,
                    x.name,
                    x.votes_for,
                    label("posts.votes", lang),
                    label(&format!("posts.{}", x.place.code()), lang)
                )
            })
            .collect();
        let head = format!(
            "{}{c}{} {}，{} {}",
            label(&format!("title.{}", r.title), lang),
            label("posts.count", lang),
            r.posts,
            label("posts.left", lang),
            r.left
        );
        let body = if order.is_empty() { label("posts.none_reached", lang) } else { order.join(sep) };
        l.paragraph(MARGIN, width, 10.0, 15.0, &punct(format!("{head}{sep}{body}"), lang));
    }
}
