//! 资格审查 (`design/product.md` step 5a): a candidate whose applied title is
//! outside the committee's level, whose 品德考核 is 不合格, or whose 诚信
//! record is not clean enters no round — unless the chair records an
//! override with its reason, which is audited and printed in the minutes.

use crate::api::{authority, candidates};
use crate::audit;
use crate::domain::flags::Flag;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The override the chair recorded for a barred candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Override {
    pub reason: String,
    /// When it was recorded (RFC 3339, UTC).
    pub at: String,
    /// The chair (or vice chair) whose PIN authorised it; none in meetings
    /// from before PINs authorised overrides.
    pub by: Option<String>,
}

/// A candidate the eligibility rules bar, with what bars them.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Barred {
    pub candidate_id: String,
    pub name: String,
    /// The barring flags.
    pub reasons: Vec<Flag>,
    /// Set when the chair let the candidate be voted on after all.
    pub overridden: Option<Override>,
}

impl Barred {
    /// What bars the candidate, as label keys (`bar.*`).
    pub fn reason_keys(&self) -> Vec<&'static str> {
        self.reasons.iter().filter_map(Flag::bar_key).collect()
    }
}

/// The chair's override for `candidate`, if any.
pub fn override_of(conn: &Connection, candidate: &str) -> Result<Option<Override>> {
    Ok(store::eligibility::override_of(conn, candidate)?.map(|(reason, at, by)| Override { reason, at, by }))
}

/// Every candidate the rules bar, in agenda order, with their overrides.
pub fn barred(conn: &Connection) -> Result<Vec<Barred>> {
    let mut out = Vec::new();
    for c in candidates::list(conn)? {
        let reasons: Vec<Flag> = c.flags.into_iter().filter(Flag::bars).collect();
        if !reasons.is_empty() {
            out.push(Barred {
                overridden: override_of(conn, &c.id)?,
                candidate_id: c.id,
                name: c.name,
                reasons,
            });
        }
    }
    Ok(out)
}

/// Of `chosen`, those barred and not overridden.
pub fn blocked(conn: &Connection, chosen: &[String]) -> Result<Vec<Barred>> {
    Ok(barred(conn)?
        .into_iter()
        .filter(|b| b.overridden.is_none() && chosen.contains(&b.candidate_id))
        .collect())
}

/// Records the chair's decision that a barred candidate is voted on after
/// all, with its reason, on the chair's PIN ([`authority::check`]). Refused
/// for a candidate who is not barred, with an empty reason, a second time, or
/// without the PIN of the chair (or of a vice chair standing in).
pub fn record_override(
    conn: &mut Meeting,
    candidate: &str,
    reason: &str,
    chair_pin: &str,
) -> Result<Override> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("reason", Msg::OverrideReasonNeeded));
    }
    let tx = conn.write()?;
    let Some(b) = barred(&tx)?.into_iter().find(|b| b.candidate_id == candidate) else {
        if candidates::list(&tx)?.iter().any(|c| c.id == candidate) {
            return Err(Error::invalid(candidate, Msg::NotBarred { id: candidate.into() }));
        }
        return Err(Error::NotFound(Msg::CandidateNotFound { id: candidate.into() }));
    };
    if b.overridden.is_some() {
        return Err(Error::invalid(candidate, Msg::OverrideTwice { id: candidate.into() }));
    }
    let by = authority::check(&tx, chair_pin, &[candidate.to_string()])?;
    let at = crate::api::session::now();
    store::eligibility::add_override(&tx, candidate, reason, &at, &by.member_id)?;
    audit::append(
        &tx,
        "eligibility.override",
        &serde_json::json!({ "candidate": candidate, "barred_by": b.reasons, "reason": reason, "by": by.member_id }),
    )?;
    tx.commit()?;
    Ok(Override { reason: reason.into(), at, by: Some(by.name) })
}
