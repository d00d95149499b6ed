//! Terminal cards (design/terminals.md): one per member, with the link
//! and QR code that pair their terminal and the certificate's fingerprint.
//! Printing them issues the tokens; only their hashes are kept.

use crate::api::print::{font_error, meeting_info};
use crate::api::terminals;
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg};
use crate::print::forms;
use crate::store::Meeting;
use rusqlite::Connection;

/// Issues fresh terminal cards to every member and prints them; the
/// earlier cards, and the terminals paired with them, stop working.
pub fn terminal_cards(conn: &mut Meeting, url: Option<&str>, lang: Lang) -> Result<Vec<u8>> {
    let (cards, base, fingerprint) = terminals::cards_with_links(conn, url, None)?;
    print_cards(conn, cards, &base, &fingerprint, None, lang)
}

/// A fresh card for one member (a lost card or tablet); their old card and
/// the terminal paired with it stop working.
pub fn terminal_card(conn: &mut Meeting, member: &str, url: Option<&str>, lang: Lang) -> Result<Vec<u8>> {
    let (cards, base, fingerprint) = terminals::cards_with_links(conn, url, Some(member))?;
    print_cards(conn, cards, &base, &fingerprint, Some(member), lang)
}

fn print_cards(
    conn: &Connection,
    cards: Vec<terminals::TerminalCard>,
    base: &str,
    fingerprint: &str,
    only: Option<&str>,
    lang: Lang,
) -> Result<Vec<u8>> {
    // After the key ceremony the link carries the election key's
    // fingerprint: the terminal refuses a ballot sheet under any other key.
    let key = match crate::api::trustees::ceremony(conn)? {
        Some(c) => format!("&k={}", c.election_fingerprint.replace(' ', "").to_lowercase()),
        None => String::new(),
    };
    let cards: Vec<forms::TerminalCard> = cards
        .into_iter()
        .map(|c| forms::TerminalCard {
            link: format!("{base}#{}{key}", c.token),
            name: c.name,
            member_id: c.member_id,
        })
        .collect();
    // A single card re-issued names its member: the address every other
    // card carries is the last full print's (store::terminals::cards_url).
    let detail = match only {
        None => serde_json::json!({ "members": cards.len(), "url": base }),
        Some(member) => serde_json::json!({ "members": cards.len(), "url": base, "member": member }),
    };
    audit::append(conn, "print.terminal_cards", &detail)?;
    forms::terminal_cards(&meeting_info(conn)?, &cards, fingerprint, lang).ok_or_else(font_error)
}

/// Refuses terminal cards early when no server serves the meeting (the
/// fingerprint to print is unknown), or no address is known or it is not
/// HTTPS.
pub fn terminal_cards_url(conn: &Connection, url: Option<&str>) -> Result<()> {
    terminals::host::serving_fingerprint(conn)?;
    let known = terminals::host::last_url(conn)?;
    match url.map(str::trim).filter(|u| !u.is_empty()).map(str::to_string).or(known) {
        None => Err(Error::invalid("url", Msg::TerminalUrlUnknown)),
        Some(u) if !u.starts_with("https://") => {
            Err(Error::invalid("url", Msg::TerminalUrlInvalid { url: u }))
        }
        Some(_) => Ok(()),
    }
}
