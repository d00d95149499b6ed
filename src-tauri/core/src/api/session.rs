//! The meeting before the vote: the rules, sign-in and quorum, conflicts of
//! interest (回避), and the members' PINs for the voting station.

use crate::audit;
use crate::domain::rules::Rules;
use crate::domain::vocab::Role;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::package::model::Candidate;
use crate::store::Meeting;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The rules in force (the defaults until the secretary changes them).
pub fn rules(conn: &Connection) -> Result<(Rules, bool)> {
    let row: Option<(String, Option<String>)> = conn
        .query_row("SELECT data, frozen_at FROM rules WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((data, frozen)) => (crate::store::parse_row("rules", "1", &data)?, frozen.is_some()),
        None => (Rules::default(), false),
    })
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
    let data = serde_json::to_string(rules)?;
    tx.execute(
        "INSERT INTO rules (id, data) VALUES (1, ?1) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
        [&data],
    )?;
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
    let mut stmt = conn.prepare(
        "SELECT m.id, m.name, m.organization, m.role,
                (SELECT present FROM attendance a WHERE a.member_id = m.id ORDER BY seq DESC LIMIT 1),
                (SELECT at FROM attendance a WHERE a.member_id = m.id ORDER BY seq DESC LIMIT 1),
                (SELECT count(*) FROM attendance a WHERE a.member_id = m.id AND present = 1)
         FROM member m ORDER BY m.seq",
    )?;
    let rows = stmt.query_map([], |r| {
        let present: Option<i64> = r.get(4)?;
        let ever: i64 = r.get(6)?;
        Ok(Attendee {
            id: r.get(0)?,
            name: r.get(1)?,
            organization: r.get(2)?,
            role: role_of(&r.get::<_, String>(3)?),
            present: present == Some(1),
            since: r.get(5)?,
            left: present == Some(0) && ever > 0,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
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
        let exists: bool =
            tx.query_row("SELECT count(*) FROM member WHERE id = ?1", [member], |r| r.get::<_, i64>(0))? > 0;
        if !exists {
            return Err(Error::NotFound(Msg::MemberNotFound { id: member.clone() }));
        }
        tx.execute(
            "INSERT INTO attendance (member_id, present, at) VALUES (?1, ?2, ?3)",
            params![member, present as i64, now()],
        )?;
        audit::append(
            &tx,
            if present { "signin.in" } else { "signin.out" },
            &serde_json::json!({ "member": member }),
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// A conflict of interest between a member and a candidate.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recusal {
    pub member_id: String,
    pub member_name: String,
    pub candidate_id: String,
    pub candidate_name: String,
    /// `proposed`, `confirmed` or `dismissed`.
    pub status: String,
    /// `same_organization`, `reviewer`, or free text from the secretary or member.
    pub reason: String,
}

/// A member's own 签到 / 离席 from their terminal: no change when it is
/// already so; a change within [`OWN_PRESENCE_GAP_SECS`] of the last one is
/// refused (`TerminalTooFast`), since each is a write and an audit entry and
/// a stream of them is not a person. Returns the presence now.
pub fn set_own_presence(conn: &mut Meeting, member: &str, present: bool) -> Result<bool> {
    if attendance(conn)?.iter().any(|a| a.id == member && a.present) == present {
        return Ok(present);
    }
    let last: Option<String> =
        conn.query_row("SELECT max(at) FROM attendance WHERE member_id = ?1", [member], |r| r.get(0))?;
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
    let members: Vec<(String, String, Option<String>)> = {
        let mut stmt = tx.prepare("SELECT id, name, organization FROM member")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
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
                let n = tx.execute(
                    "INSERT OR IGNORE INTO recusal (member_id, candidate_id, status, reason) VALUES (?1, ?2, 'proposed', ?3)",
                    params![id, c.id, reason],
                )?;
                if n > 0 {
                    pairs.push([id.as_str(), c.id.as_str()]);
                }
                added += n;
            }
        }
    }
    if added > 0 {
        audit::append(&tx, "recusal.propose", &serde_json::json!({ "proposed": added, "pairs": pairs }))?;
    }
    tx.commit()?;
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
    tx.execute(
        "INSERT INTO recusal (member_id, candidate_id, status, reason) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(member_id, candidate_id) DO UPDATE SET status = excluded.status",
        params![member, candidate, status, if reason.is_empty() { "declared" } else { reason }],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            Error::NotFound(Msg::MemberNotFound { id: format!("{member} / {candidate}") })
        }
        e => e.into(),
    })?;
    audit::append(
        &tx,
        "recusal.set",
        &serde_json::json!({ "member": member, "candidate": candidate, "status": status }),
    )?;
    tx.commit()?;
    Ok(())
}

/// Confirms (or dismisses) every proposal still undecided, in one
/// transaction; returns the pairs decided.
pub fn decide_all_recusals(conn: &mut Meeting, confirmed: bool) -> Result<Vec<(String, String)>> {
    let tx = conn.write()?;
    let pending: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT member_id, candidate_id FROM recusal WHERE status = 'proposed' ORDER BY candidate_id, member_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let status = if confirmed { "confirmed" } else { "dismissed" };
    tx.execute("UPDATE recusal SET status = ?1 WHERE status = 'proposed'", [status])?;
    if !pending.is_empty() {
        audit::append(
            &tx,
            "recusal.decide_all",
            &serde_json::json!({ "status": status, "count": pending.len() }),
        )?;
    }
    tx.commit()?;
    Ok(pending)
}

pub fn recusals(conn: &Connection) -> Result<Vec<Recusal>> {
    let mut stmt = conn.prepare(
        "SELECT r.member_id, m.name, r.candidate_id, c.name, r.status, r.reason
         FROM recusal r JOIN member m ON m.id = r.member_id JOIN candidate c ON c.id = r.candidate_id
         ORDER BY c.id, m.seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Recusal {
            member_id: r.get(0)?,
            member_name: r.get(1)?,
            candidate_id: r.get(2)?,
            candidate_name: r.get(3)?,
            status: r.get(4)?,
            reason: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn pin_hash(member: &str, pin: &str) -> String {
    hex::encode(Sha256::digest(format!("conclave-pin\0{member}\0{pin}").as_bytes()))
}

/// A member's PIN, shown once for the sealed slip.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PinSlip {
    pub member_id: String,
    pub name: String,
    pub pin: String,
}

/// Issues a fresh 6-digit PIN to each present member (only its hash is kept).
pub fn issue_pins(conn: &mut Meeting) -> Result<Vec<PinSlip>> {
    let present: Vec<Attendee> = attendance(conn)?.into_iter().filter(|a| a.present).collect();
    let tx = conn.write()?;
    let mut out = Vec::new();
    for a in present {
        let pin = fresh_pin();
        tx.execute("UPDATE member SET pin_hash = ?1 WHERE id = ?2", params![pin_hash(&a.id, &pin), a.id])?;
        out.push(PinSlip { member_id: a.id, name: a.name, pin });
    }
    audit::append(&tx, "pins.issue", &serde_json::json!({ "count": out.len() }))?;
    tx.commit()?;
    Ok(out)
}

/// Issues a fresh PIN to one present member (a lost or seen slip); the old
/// one stops working. Only its hash is kept.
pub fn reissue_pin(conn: &mut Meeting, member: &str) -> Result<PinSlip> {
    let Some(a) = attendance(conn)?.into_iter().find(|a| a.id == member && a.present) else {
        return Err(Error::invalid("member", Msg::NotPresent { name: member.into() }));
    };
    let tx = conn.write()?;
    let pin = fresh_pin();
    tx.execute("UPDATE member SET pin_hash = ?1 WHERE id = ?2", params![pin_hash(&a.id, &pin), a.id])?;
    audit::append(&tx, "pins.reissue", &serde_json::json!({ "member": a.id }))?;
    tx.commit()?;
    Ok(PinSlip { member_id: a.id, name: a.name, pin })
}

fn fresh_pin() -> String {
    let n = u32::from_le_bytes(uuid::Uuid::new_v4().as_bytes()[..4].try_into().unwrap_or([0; 4])) % 1_000_000;
    format!("{n:06}")
}

/// The member whose PIN this is, among those present.
pub fn member_by_pin(conn: &Connection, pin: &str) -> Result<String> {
    let present: Vec<Attendee> = attendance(conn)?.into_iter().filter(|a| a.present).collect();
    for a in present {
        let stored: Option<String> =
            conn.query_row("SELECT pin_hash FROM member WHERE id = ?1", [&a.id], |r| r.get(0))?;
        if stored.as_deref() == Some(pin_hash(&a.id, pin.trim()).as_str()) {
            return Ok(a.id);
        }
    }
    Err(Error::invalid("pin", Msg::WrongPin))
}
