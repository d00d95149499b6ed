//! Voting rounds by secret ballot: opening a round ([`rounds`]), the voting
//! station and sealed ballots ([`station`]), the station as a kiosk ([`kiosk`]), paper rounds counted by two
//! scrutineers ([`paper`]); counting a sealed box is [`crate::api::tally`].
//! The register of who voted and the ballot box never meet: see migrations
//! 0003 and 0006 and [`compact`].

pub(crate) mod audited;
pub mod kiosk;
mod paper;
mod rounds;
mod station;

pub use audited::*;
pub use paper::*;
pub use rounds::*;
pub use station::*;

use crate::error::Result;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Choice {
    For,
    Against,
    Abstain,
}

impl Choice {
    /// The ballot protocol's choice.
    pub fn sealed(self) -> conclave_ballot::Choice {
        match self {
            Choice::For => conclave_ballot::Choice::For,
            Choice::Against => conclave_ballot::Choice::Against,
            Choice::Abstain => conclave_ballot::Choice::Abstain,
        }
    }

    /// From the ballot protocol's choice.
    pub fn from_sealed(c: conclave_ballot::Choice) -> Self {
        match c {
            conclave_ballot::Choice::For => Choice::For,
            conclave_ballot::Choice::Against => Choice::Against,
            conclave_ballot::Choice::Abstain => Choice::Abstain,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::For => "for",
            Choice::Against => "against",
            Choice::Abstain => "abstain",
        }
    }
}

/// How the members vote in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Mode {
    /// One member at a time at the voting station.
    Station,
    /// Numbered paper ballots, counted by two scrutineers.
    Paper,
    /// Each member on their own terminal over the meeting-room network; the
    /// browser encrypts and proves the ballot (design/terminals.md).
    Terminal,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Station => "station",
            Mode::Paper => "paper",
            Mode::Terminal => "terminal",
        }
    }
}

/// Everything the meeting screen shows about the procedure.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SessionView {
    pub rules: crate::domain::rules::Rules,
    pub rules_frozen: bool,
    pub attendance: Vec<super::session::Attendee>,
    pub quorum: super::session::Quorum,
    pub recusals: Vec<super::session::Recusal>,
    pub rounds: Vec<RoundStatus>,
    /// The chair and the two scrutineers, once named.
    pub trustees: Vec<crate::api::trustees::Trustee>,
    /// Candidates 资格审查 bars, with the chair's overrides.
    pub barred: Vec<crate::api::eligibility::Barred>,
    /// The key ceremony's keys, as every ballot screen shows them.
    pub ceremony: Option<crate::api::trustees::Ceremony>,
    /// The audit chain's head now, short: the projector shows it running,
    /// members compare it with the head on their receipt.
    pub chain_head: String,
}

/// Rules, attendance, quorum, recusals and rounds in one read.
pub fn session_view(conn: &Connection) -> Result<SessionView> {
    let (rules, rules_frozen) = super::session::rules(conn)?;
    Ok(SessionView {
        rules,
        rules_frozen,
        attendance: super::session::attendance(conn)?,
        quorum: super::session::quorum(conn)?,
        recusals: super::session::recusals(conn)?,
        rounds: rounds(conn)?,
        trustees: crate::api::trustees::list(conn)?,
        barred: crate::api::eligibility::barred(conn)?,
        ceremony: crate::api::trustees::ceremony(conn)?,
        chain_head: crate::audit::short(&crate::audit::head(conn)?),
    })
}
