//! The printable documents, one map for every shell: what each is called,
//! whether it can be made now, and making it.

use crate::api::{print, session, signing};
use crate::error::{Error, Result};
use crate::i18n::{labels::label, Lang, Msg};
use crate::store::Meeting;
use rusqlite::Connection;
use serde::Deserialize;
use ts_rs::TS;

/// What a print may need besides the meeting.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The chair's passphrase, which sealed documents need once the trustees are named.
    pub chair: Option<&'a str>,
    /// Or two trustees' names and passphrases together, when the chair has left.
    pub trustees: Option<[(&'a str, &'a str); 2]>,
    /// The 公示 list's period.
    pub period: Option<print::PeriodRequest>,
    /// Terminal cards: the server's address, when not the one it last started on.
    pub url: Option<String>,
}

impl<'a> Options<'a> {
    /// Who seals: two trustees when given, else the chair.
    pub fn sealer(&self) -> signing::Sealer<'a> {
        signing::Sealer { chair: self.chair, trustees: self.trustees }
    }
}

/// A printable document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Document {
    Results,
    Minutes,
    Publicity,
    SignIn,
    Pins,
    Ballots,
    TerminalCards,
    KeyCeremony,
}

impl Document {
    /// The CLI's names, in `conclave print DOCUMENT`.
    pub const CLI_NAMES: [&'static str; 8] =
        ["results", "minutes", "publicity", "sign-in", "pins", "ballots", "terminal-cards", "key-ceremony"];

    pub fn from_cli(name: &str) -> Option<Document> {
        Some(match name {
            "results" => Document::Results,
            "minutes" => Document::Minutes,
            "publicity" => Document::Publicity,
            "sign-in" => Document::SignIn,
            "pins" => Document::Pins,
            "ballots" => Document::Ballots,
            "terminal-cards" => Document::TerminalCards,
            "key-ceremony" => Document::KeyCeremony,
            _ => return None,
        })
    }

    /// The results sheet, minutes and 公示 list carry the meeting's seal:
    /// once the trustees are named they need the chair's passphrase.
    pub fn sealed(self) -> bool {
        matches!(self, Document::Results | Document::Minutes | Document::Publicity)
    }

    /// Results sheets and paper ballots belong to one round.
    pub fn needs_round(self) -> bool {
        matches!(self, Document::Results | Document::Ballots)
    }

    /// The file name offered in the save dialog, without `.pdf`.
    pub fn file_name(self, round: i64, lang: Lang) -> String {
        let key = match self {
            Document::Results => "results.title",
            Document::Minutes => "minutes.title",
            Document::Publicity => "publicity.title",
            Document::SignIn => "signin.title",
            Document::Pins => "pins.file",
            Document::Ballots => "ballot.title",
            Document::TerminalCards => "cards.file",
            Document::KeyCeremony => "ceremony.title",
        };
        let name = label(key, lang);
        if self.needs_round() {
            format!("{name}-{round}")
        } else {
            name
        }
    }

    /// Refuses early (before a dialog opens or a PIN is issued) when the
    /// document cannot be made now.
    pub fn check(self, conn: &Connection, round: i64, lang: Lang) -> Result<()> {
        match self {
            Document::Results => print::results_data(conn, round, lang).map(|_| ()),
            Document::Publicity => print::publicity_data(conn, lang).map(|_| ()),
            Document::Ballots => print::paper_ballot_lines(conn, round).map(|_| ()),
            Document::SignIn | Document::Pins | Document::TerminalCards => {
                let q = session::quorum(conn)?;
                if q.roster == 0 {
                    Err(Error::invalid("roster", Msg::NoRoster))
                } else if self == Document::Pins && q.present == 0 {
                    Err(Error::invalid("attendance", Msg::NobodyPresent))
                } else {
                    Ok(())
                }
            }
            Document::Minutes => Ok(()),
            Document::KeyCeremony => crate::api::trustees::ceremony(conn)?
                .map(|_| ())
                .ok_or_else(|| Error::invalid("trustees", Msg::CeremonyFirst)),
        }
    }

    /// [`Document::check`] and the 公示 period: a bad date or an uncovered
    /// period is said before any passphrase is tried.
    fn check_with(self, conn: &Connection, round: i64, lang: Lang, options: &Options) -> Result<()> {
        self.check(conn, round, lang)?;
        if let (Document::Publicity, Some(p)) = (self, &options.period) {
            print::publicity_period(p)?;
        }
        if self == Document::TerminalCards {
            crate::api::cards::terminal_cards_url(conn, options.url.as_deref())?;
        }
        Ok(())
    }

    /// Everything that would refuse the print, said before a save dialog
    /// opens: the document's preconditions, the 公示 period, and for a sealed
    /// document the chair's passphrase. Nothing is made or logged.
    pub fn ready(self, conn: &Connection, round: i64, lang: Lang, options: &Options) -> Result<()> {
        self.check_with(conn, round, lang, options)?;
        if self.sealed() {
            signing::unlock_for(conn, options.sealer())?;
        }
        Ok(())
    }

    /// Makes the PDF (PIN slips issue fresh PINs to the members present).
    pub fn render(self, conn: &mut Meeting, round: i64, lang: Lang, options: &Options) -> Result<Vec<u8>> {
        self.check_with(conn, round, lang, options)?;
        tracing::info!(document = ?self, round, "print");
        let key = || signing::unlock_for(conn, options.sealer());
        match self {
            Document::Results => print::results_sheet(conn, &key()?, round, lang),
            Document::Minutes => print::minutes(conn, &key()?, lang),
            Document::Publicity => print::publicity(conn, &key()?, lang, options.period.as_ref()),
            Document::SignIn => print::sign_in_sheet(conn, lang),
            Document::Pins => print::pin_slips(conn, lang),
            Document::Ballots => print::paper_ballots(conn, round, lang),
            Document::TerminalCards => crate::api::cards::terminal_cards(conn, options.url.as_deref(), lang),
            Document::KeyCeremony => print::key_ceremony_sheet(conn, lang),
        }
    }
}
