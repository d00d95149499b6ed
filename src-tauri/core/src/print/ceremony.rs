//! The key ceremony sheet (密钥生成记录): printed when the trustees are
//! named and signed by hand in the room by the three trustees. It pins the
//! meeting's keys outside the meeting file: the election key every ballot
//! screen shows, the document-signing key an auditor gives `verify --key`,
//! each trustee's share and the audit chain's head at that moment.

use super::layout::{colon, labelled, Layout, Style, Table, MARGIN};
use super::results::MeetingInfo;
use crate::i18n::labels::{label, page};
use crate::i18n::Lang;

/// What the sheet prints (fingerprints as people compare them).
pub struct CeremonySheet {
    /// When the keys were made, local time.
    pub at: String,
    pub election_fingerprint: String,
    pub signing_fingerprint: String,
    /// (role, name, share fingerprint) per trustee, in index order.
    pub trustees: Vec<(String, String, String)>,
    /// The chain head with the ceremony's entry, hex.
    pub chain_head: String,
}

/// A 64-digit hash in groups of 8, on two lines of four groups.
fn grouped(hash: &str) -> String {
    let groups: Vec<&str> = hash.as_bytes().chunks(8).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    groups.join(" ").to_uppercase()
}

pub fn ceremony_sheet(meeting: &MeetingInfo, sheet: &CeremonySheet, lang: Lang) -> Option<Vec<u8>> {
    let c = colon(lang);
    let title = label("ceremony.title", lang);
    let mut l = Layout::new(&format!("{} — {}", meeting.name, title), false)?;
    l.y -= 18.0;
    l.title(&title);
    l.y -= 22.0;
    l.text_centered(l.y, 10.5, &meeting.facts(lang));
    l.y -= 16.0;
    l.text_centered(l.y, 10.5, &format!("{}{c}{}", label("ceremony.at", lang), sheet.at));
    l.y -= 6.0;

    let cols = labelled(&[("ceremony.col.what", 0.40), ("ceremony.col.fingerprint", 0.60)], lang);
    let mut t = Table::new(&l, &cols, 11.0);
    t.min_height = 26.0;
    let mut rows = vec![
        vec![label("ceremony.election", lang), sheet.election_fingerprint.clone()],
        vec![label("ceremony.signing", lang), sheet.signing_fingerprint.clone()],
    ];
    for (role, name, share) in &sheet.trustees {
        let who = match lang {
            Lang::Zh => format!("{name}（{role}）"),
            Lang::En => format!("{name} ({role})"),
        };
        rows.push(vec![format!("{}{c}{who}", label("ceremony.share", lang)), share.clone()]);
    }
    l.table(&t, &rows);

    l.heading(&label("audit_head", lang));
    let width = l.width - 2.0 * MARGIN;
    l.y -= 16.0;
    l.styled(MARGIN, l.y, 11.0, &grouped(&sheet.chain_head), Style::Strong);
    l.y -= 8.0;
    l.paragraph(MARGIN, width, 10.0, 15.0, &label("ceremony.note", lang));

    l.heading(&label("ceremony.signatures", lang));
    for (role, name, _) in &sheet.trustees {
        l.ensure(44.0);
        l.y -= 40.0;
        l.text(MARGIN, l.y, 11.0, &format!("{role}{c}{name}"));
        let x = MARGIN + width * 0.45;
        l.text(x, l.y, 11.0, &format!("{}{c}", label("signin.col.signature", lang)));
        l.line(x + 70.0, l.y - 3.0, MARGIN + width, l.y - 3.0, 0.6);
    }
    Some(l.finish(&meeting.name, |n, m| page(n, m, lang), None, lang).pdf)
}
