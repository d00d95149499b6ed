//! The meeting before the vote: the rules, sign-in and quorum, conflicts of
//! interest (回避), and the members' PINs for the voting station (issued and
//! recognised in [`crate::api::pins`], re-exported here).

use crate::audit;
use crate::domain::rules::Rules;
use crate::domain::vocab::Role;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::package::model::Candidate;
use crate::store::{self, Meeting};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

pub use crate::api::pins::{issue_pins, member_by_pin, reissue_pin, PinSlip};

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The rules in force (the defaults until the secretary changes them).
pub fn rules(conn: &Connection) -> Result<(Rules, bool)> {
    Ok(store::meeting::rules(conn)?.unwrap_or((Rules::default(), false)))
}

/// Changes the rules; refused once the first round has opened.
pub fn set_rules(conn: &mut Meeting, rules: &Rules) -> Result<()> {
    if let Some(field) = rules.problem() {
        return Err(Error::invalid(field, Msg::RulesInvalid { field: field.into() }));
    }
    let tx = conn.write()?;
    if self::rules(&tx)?.1 {
        return Err(Error::invalid("rules", Msg::RulesFrozen));
    }
    store::meeting::set_rules(&tx, rules)?;
    audit::append(&tx, "rules.set", &serde_json::to_value(rules)?)?;
    tx.commit()?;
    Ok(())
}

/// A member as the sign-in screen shows them.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Attendee {
    pub id: String,
    pub name: String,
    pub organization: Option<String>,
    pub role: Role,
    pub present: bool,
    /// When they last signed in or out.
    pub since: Option<String>,
    /// Signed in earlier and signed out since.
    pub left: bool,
    /// Holds a PIN: one who signed in after the slips were printed has none.
    pub has_pin: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Quorum {
    pub roster: u32,
    pub present: u32,
    pub needed: u32,
    pub met: bool,
    pub chair_present: bool,
}

fn role_of(s: &str) -> Role {
    crate::domain::vocab::role(s).unwrap_or(Role::Member)
}

pub fn attendance(conn: &Connection) -> Result<Vec<Attendee>> {
    Ok(store::attendance::by_member(conn)?
        .into_iter()
        .map(|p| Attendee {
            role: role_of(&p.role),
            present: p.present == Some(1),
            left: p.present == Some(0) && p.times_in > 0,
            id: p.id,
            name: p.name,
            organization: p.organization,
            since: p.since,
            has_pin: p.has_pin,
        })
        .collect())
}

pub fn quorum(conn: &Connection) -> Result<Quorum> {
    let people = attendance(conn)?;
    let (rules, _) = rules(conn)?;
    let roster = people.len() as u32;
    let present = people.iter().filter(|p| p.present).count() as u32;
    let needed = rules.quorum(roster);
    Ok(Quorum {
        roster,
        present,
        needed,
        met: roster > 0 && present >= needed,
        chair_present: people.iter().any(|p| p.present && matches!(p.role, Role::Chair | Role::ViceChair)),
    })
}

/// Signs a member in (`present`) or out, with the time.
pub fn set_presence(conn: &mut Meeting, member: &str, present: bool) -> Result<()> {
    set_presence_many(conn, &[member.to_string()], present)
}

/// Signs several members in or out at once: all of them, or (when one is not
/// on the roster) none.
pub fn set_presence_many(conn: &mut Meeting, members: &[String], present: bool) -> Result<()> {
    let tx = conn.write()?;
    for member in members {
        if !store::roster::member_exists(&tx, member)? {
            return Err(Error::NotFound(Msg::MemberNotFound { id: member.clone() }));
        }
        store::attendance::record(&tx, member, present, &now())?;
        audit::append(
            &tx,
            if present { "signin.in" } else { "signin.out" },
            &serde_json::json!({ "member": member }),
        )?;
    }
    tx.commit()?;
    tracing::info!(members = members.len(), present, "attendance recorded");
    Ok(())
}

/// Signs in every member who is not present; returns how many.
pub fn sign_in_all(conn: &mut Meeting) -> Result<usize> {
    let absent: Vec<String> = attendance(conn)?.into_iter().filter(|a| !a.present).map(|a| a.id).collect();
    if !absent.is_empty() {
        set_presence_many(conn, &absent, true)?;
    }
    Ok(absent.len())
}

pub use crate::store::recusal::Recusal;

/// A member's own 签到 / 离席 from their terminal: no change when it is
/// already so; a change within [`OWN_PRESENCE_GAP_SECS`] of the last one is
/// refused (`TerminalTooFast`), since each is a write and an audit entry and
/// a stream of them is not a person. Returns the presence now.
pub fn set_own_presence(conn: &mut Meeting, member: &str, present: bool) -> Result<bool> {
    if attendance(conn)?.iter().any(|a| a.id == member && a.present) == present {
        return Ok(present);
    }
    let last = store::attendance::last_change(conn, member)?;
    let recent = last.and_then(|at| chrono::DateTime::parse_from_rfc3339(&at).ok()).is_some_and(|at| {
        chrono::Utc::now().signed_duration_since(at) < chrono::Duration::seconds(OWN_PRESENCE_GAP_SECS)
    });
    if recent {
        return Err(Error::invalid("presence", Msg::TerminalTooFast));
    }
    set_presence(conn, member, present)?;
    Ok(present)
}

/// The least time between two changes of a member's own presence.
pub const OWN_PRESENCE_GAP_SECS: i64 = 3;

/// Proposes the conflicts the app can see: a member from the candidate's
/// organisation, or named among the group's reviewers. Existing decisions
/// are kept.
pub fn propose_recusals(conn: &mut Meeting) -> Result<usize> {
    let tx = conn.write()?;
    let members = store::roster::members_with_organization(&tx)?;
    let candidates: Vec<Candidate> = crate::api::candidates::all(&tx)?;
    let mut added = 0;
    // The pairs proposed go into the chain, so that who was recused when a
    // round opened can be replayed from the chain alone (archive recount).
    let mut pairs: Vec<[&str; 2]> = Vec::new();
    for c in &candidates {
        for (id, name, org) in &members {
            let reason = if org.as_deref() == Some(c.organization.as_str()) {
                Some("same_organization")
            } else if c.group_opinion.as_ref().is_some_and(|g| g.reviewers.iter().any(|r| r == name)) {
                Some("reviewer")
            } else {
                None
            };
            if let Some(reason) = reason {
                let n = store::recusal::propose(&tx, id, &c.id, reason)?;
                if n > 0 {
                    pairs.push([id.as_str(), c.id.as_str()]);
                }
                added += n;
            }
        }
    }
    // A first look that finds nothing is recorded too: the checklist then
    // knows the conflicts were looked for.
    if added > 0 || store::audit::of_kind(&tx, "recusal.propose")?.is_empty() {
        audit::append(&tx, "recusal.propose", &serde_json::json!({ "proposed": added, "pairs": pairs }))?;
    }
    tx.commit()?;
    tracing::info!(added, "recusals proposed");
    Ok(added)
}

/// Confirms or dismisses a conflict, or records one the app did not see.
pub fn set_recusal(
    conn: &mut Meeting,
    member: &str,
    candidate: &str,
    confirmed: bool,
    reason: &str,
) -> Result<()> {
    let tx = conn.write()?;
    let status = if confirmed { "confirmed" } else { "dismissed" };
    let reason = if reason.is_empty() { "declared" } else { reason };
    if !store::recusal::decide(&tx, member, candidate, status, reason)? {
        return Err(Error::NotFound(Msg::MemberNotFound { id: format!("{member} / {candidate}") }));
    }
    audit::append(
        &tx,
        "recusal.set",
        &serde_json::json!({ "member": member, "candidate": candidate, "status": status }),
    )?;
    tx.commit()?;
    tracing::info!(status, "recusal decided");
    Ok(())
}

/// Confirms (or dismisses) every proposal still undecided, in one
/// transaction; returns the pairs decided.
pub fn decide_all_recusals(conn: &mut Meeting, confirmed: bool) -> Result<Vec<(String, String)>> {
    let tx = conn.write()?;
    let pending = store::recusal::pending(&tx)?;
    let status = if confirmed { "confirmed" } else { "dismissed" };
    store::recusal::decide_pending(&tx, status)?;
    if !pending.is_empty() {
        audit::append(
            &tx,
            "recusal.decide_all",
            &serde_json::json!({ "status": status, "count": pending.len() }),
        )?;
    }
    tx.commit()?;
    tracing::info!(status, count = pending.len(), "undecided recusals decided");
    Ok(pending)
}

pub fn recusals(conn: &Connection) -> Result<Vec<Recusal>> {
    store::recusal::all(conn)
}
