//! The unsealed forms: the sign-in sheet (签到表) with a signature column,
//! the members' PIN slips for station mode, and numbered paper ballots (选票).

use super::layout::{colon, labelled, punct, Layout, Table, MARGIN};
use super::results::MeetingInfo;
use crate::i18n::labels::{label, page};
use crate::i18n::Lang;

pub struct SignInLine {
    pub name: String,
    pub role: String,
    pub organization: Option<String>,
}

pub fn sign_in_sheet(meeting: &MeetingInfo, members: &[SignInLine], lang: Lang) -> Option<Vec<u8>> {
    let title = label("signin.title", lang);
    let mut l = Layout::new(&format!("{} — {}", meeting.name, title), false)?;
    l.y -= 18.0;
    l.title(&title);
    l.y -= 22.0;
    l.text_centered(l.y, 10.5, &meeting.facts(lang));
    l.y -= 14.0;
    let cols = labelled(
        &[
            ("col.no", 0.07),
            ("col.name", 0.15),
            ("minutes.col.role", 0.13),
            ("col.organization", 0.30),
            ("signin.col.time", 0.12),
            ("signin.col.signature", 0.23),
        ],
        lang,
    );
    let mut t = Table::new(&l, &cols, 10.0);
    t.min_height = 30.0;
    let rows: Vec<Vec<String>> = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            vec![
                (i + 1).to_string(),
                m.name.clone(),
                label(&format!("role.{}", m.role), lang),
                m.organization.clone().unwrap_or_default(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    l.table(&t, &rows);
    Some(l.finish(&meeting.name, |n, m| page(n, m, lang), None, lang).pdf)
}

pub struct PinSlip {
    pub name: String,
    pub pin: String,
}

/// Places slip `i` of a sheet cut into two columns (a new page every
/// `per_page` slips), draws its dashed cutting lines, and returns its left
/// edge and its top.
fn cut_slip(l: &mut Layout, i: usize, per_page: usize, slip_h: f32) -> (f32, f32) {
    if i > 0 && i.is_multiple_of(per_page) {
        l.new_page();
    }
    let half = (l.width - 2.0 * MARGIN) / 2.0;
    let k = i % per_page;
    let x = MARGIN + half * (k % 2) as f32;
    let top = l.height - MARGIN - 10.0 - slip_h * (k / 2) as f32;
    let mut dx = x;
    while dx < x + half {
        l.line(dx, top, (dx + 4.0).min(x + half), top, 0.3);
        dx += 8.0;
    }
    let mut dy = top - slip_h;
    while dy < top {
        l.line(x, dy, x, (dy + 4.0).min(top), 0.3);
        dy += 8.0;
    }
    (x, top)
}

/// Eight slips to a page, with dashed cutting lines between them.
pub fn pin_slips(meeting: &MeetingInfo, slips: &[PinSlip], lang: Lang) -> Option<Vec<u8>> {
    let c = colon(lang);
    let mut l = Layout::new(&format!("{} — {}", meeting.name, label("pins.title", lang)), false)?;
    let width = l.width - 2.0 * MARGIN;
    let slip_h = (l.height - 2.0 * MARGIN - 20.0) / 4.0;
    let half = width / 2.0;
    for (i, s) in slips.iter().enumerate() {
        let (x, top) = cut_slip(&mut l, i, 8, slip_h);
        l.text(x + 14.0, top - 26.0, 11.0, &label("pins.title", lang));
        l.text(x + 14.0, top - 50.0, 12.0, &format!("{}{c}{}", label("col.name", lang), s.name));
        l.text(x + 14.0, top - 84.0, 12.0, &format!("{}{c}", label("pins.pin", lang)));
        l.text(
            x + 14.0 + Layout::width_of(&format!("{}{c}", label("pins.pin", lang)), 12.0),
            top - 86.0,
            22.0,
            &s.pin,
        );
        let notes = Layout::wrap(&label("pins.note", lang), 8.5, half - 28.0);
        for (j, line) in notes.iter().enumerate() {
            l.text(x + 14.0, top - 110.0 - 12.0 * j as f32, 8.5, line);
        }
        l.text(x + 14.0, top - slip_h + 12.0, 8.0, &meeting.name);
    }
    Some(l.finish(&meeting.name, |n, m| page(n, m, lang), None, lang).pdf)
}

/// One member's terminal card: the link with its token, as text and QR.
pub struct TerminalCard {
    pub name: String,
    pub member_id: String,
    pub link: String,
}

/// Four cards to a page: the member, a QR code of the link, the link as
/// text, and the certificate's fingerprint to compare with the browser's.
pub fn terminal_cards(
    meeting: &MeetingInfo,
    cards: &[TerminalCard],
    fingerprint: &str,
    lang: Lang,
) -> Option<Vec<u8>> {
    let c = colon(lang);
    let mut l = Layout::new(&format!("{} — {}", meeting.name, label("cards.title", lang)), false)?;
    let width = l.width - 2.0 * MARGIN;
    let card_h = (l.height - 2.0 * MARGIN - 20.0) / 2.0;
    let half = width / 2.0;
    let (fp1, fp2) = fingerprint.split_at(fingerprint.len().min(48));
    let start = crate::api::terminals::fingerprint_start(fingerprint);
    for (i, card) in cards.iter().enumerate() {
        let (x, top) = cut_slip(&mut l, i, 4, card_h);
        l.text(x + 14.0, top - 26.0, 11.0, &label("cards.title", lang));
        l.text(x + 14.0, top - 50.0, 14.0, &format!("{}（{}）", card.name, card.member_id));
        let qr_side = 118.0;
        if let Some((n, dark)) = super::page_seal::qr(card.link.as_bytes()) {
            l.qr_square(x + (half - qr_side) / 2.0, top - 62.0 - qr_side, qr_side, n, &dark);
        }
        let mut y = top - 80.0 - qr_side;
        l.text(x + 14.0, y, 8.5, &format!("{}{c}", label("cards.url", lang)));
        for part in card.link.as_bytes().chunks(44) {
            y -= 11.0;
            l.text(x + 14.0, y, 8.5, &String::from_utf8_lossy(part));
        }
        y -= 13.0;
        l.text(x + 14.0, y, 8.5, &format!("{}{c}", label("cards.fingerprint", lang)));
        y -= 17.0;
        l.text(x + 14.0, y, 14.0, &start);
        y -= 12.0;
        l.text(
            x + 14.0,
            y,
            7.5,
            &format!("{}{c}{}", label("cards.fingerprintFull", lang), fp1.trim_end_matches(':')),
        );
        y -= 9.5;
        l.text(x + 14.0, y, 7.5, fp2.trim_start_matches(':'));
        y -= 6.0;
        for line in Layout::wrap(&label("cards.note", lang), 8.0, half - 28.0) {
            y -= 11.0;
            l.text(x + 14.0, y, 8.0, &line);
        }
    }
    Some(l.finish(&meeting.name, |n, m| page(n, m, lang), None, lang).pdf)
}

pub struct BallotLine {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    pub track: Option<String>,
}

/// `count` numbered secret ballots for `round`, each starting on a new page.
pub fn paper_ballots(
    meeting: &MeetingInfo,
    round: i64,
    lines: &[BallotLine],
    count: u32,
    lang: Lang,
) -> Option<Vec<u8>> {
    let c = colon(lang);
    let title = label("ballot.title", lang);
    let mut l = Layout::new(&format!("{} — {}", meeting.name, title), false)?;
    let width = l.width - 2.0 * MARGIN;
    let cols = labelled(
        &[
            ("col.no", 0.06),
            ("col.id", 0.14),
            ("col.name", 0.12),
            ("col.organization", 0.24),
            ("col.title", 0.14),
            ("col.for", 0.10),
            ("col.against", 0.10),
            ("col.abstain", 0.10),
        ],
        lang,
    );
    for n in 1..=count {
        if n > 1 {
            l.new_page();
        }
        l.y -= 18.0;
        l.title(&title);
        l.y -= 22.0;
        let number = format!("{}{c}{round}-{n:03}", label("ballot.number", lang));
        l.text(MARGIN, l.y, 11.0, &format!("{}  {} {round}", meeting.name, label("round", lang)));
        l.text_right(l.width - MARGIN, l.y, 11.0, &number);
        l.y -= 6.0;
        l.paragraph(MARGIN, width, 9.5, 14.0, &label("ballot.instructions", lang));
        l.y -= 6.0;
        let mut t = Table::new(&l, &cols, 9.5);
        t.min_height = 24.0;
        let rows: Vec<Vec<String>> = lines
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let title = label(&format!("title.{}", b.applied_title), lang);
                let title = match b.track.as_deref() {
                    Some(tr) if tr != "normal" => {
                        punct(format!("{title}（{}）", label(&format!("track.{tr}"), lang)), lang)
                    }
                    _ => title,
                };
                vec![
                    (i + 1).to_string(),
                    b.id.clone(),
                    b.name.clone(),
                    b.organization.clone(),
                    title,
                    "□".into(),
                    "□".into(),
                    "□".into(),
                ]
            })
            .collect();
        l.table(&t, &rows);
        l.ensure(30.0);
        l.y -= 20.0;
        l.text(MARGIN, l.y, 9.5, &label("ballot.footer", lang));
    }
    Some(l.finish(&meeting.name, |n, m| page(n, m, lang), None, lang).pdf)
}
