//! The chair's authority (issue 16 item 3): opening, closing and confirming
//! a round (a re-vote is a round opened again) and overriding 资格审查 are
//! the chair's acts, each authorised by the PIN on the chair's slip. A vice
//! chair's PIN stands in when the chair is absent, or is recused for one of
//! the candidates the act concerns. The member who authorised is recorded
//! with the act and printed in the minutes.

use crate::api::session;
use crate::domain::vocab::Role;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use rusqlite::Connection;

/// Who authorised an act.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub member_id: String,
    pub name: String,
    pub role: Role,
}

/// The present chair or vice chair whose PIN this is, if they may act on
/// `candidates`; otherwise a refusal that says who may.
pub fn check(conn: &Connection, pin: &str, candidates: &[String]) -> Result<Authority> {
    if pin.trim().is_empty() {
        return Err(Error::invalid("pin", Msg::ChairPinNeeded));
    }
    let attendance = session::attendance(conn)?;
    let member = session::member_by_pin(conn, pin)?;
    let Some(who) = attendance.iter().find(|a| a.id == member) else {
        return Err(Error::invalid("pin", Msg::WrongPin));
    };
    let chair = attendance.iter().find(|a| a.role == Role::Chair);
    // The chair steps aside for a candidate they are recused for.
    let chair_recused = match chair {
        Some(c) => recused_for(conn, &c.id, candidates)?,
        None => Vec::new(),
    };
    let allowed = match who.role {
        Role::Chair => true,
        Role::ViceChair => chair.is_none_or(|c| !c.present) || !chair_recused.is_empty(),
        Role::Member => false,
    };
    let own = recused_for(conn, &who.id, candidates)?;
    if who.role != Role::Member && !own.is_empty() {
        return Err(Error::invalid(
            "pin",
            Msg::RecusedHere { name: who.name.clone(), candidates: own.join("、") },
        ));
    }
    if !allowed {
        return Err(Error::invalid("pin", Msg::NotChair { name: who.name.clone() }));
    }
    Ok(Authority { member_id: who.id.clone(), name: who.name.clone(), role: who.role })
}

/// The names of the candidates among `candidates` that `member` is recused for.
fn recused_for(conn: &Connection, member: &str, candidates: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (id, name) in crate::store::recusal::confirmed_for(conn, member)? {
        if candidates.contains(&id) {
            out.push(name);
        }
    }
    Ok(out)
}
