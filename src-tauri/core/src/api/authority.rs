//! The chair's authority (issue 16 item 3): opening, closing and confirming
//! a round (a re-vote is a round opened again) and overriding 资格审查 are
//! the chair's acts, each authorised by the PIN on the chair's slip. A vice
//! chair's PIN stands in when the chair is absent, or is recused for one of
//! the candidates the act concerns. The member who authorised is recorded
//! with the act and printed in the minutes.

use crate::api::session::{self, Attendee};
use crate::domain::vocab::Role;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use rusqlite::Connection;
use std::collections::HashSet;

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

/// Who may authorise an act on `candidates`, known before anyone types a
/// PIN: the chair, or (the chair absent or recused) the vice chairs present
/// and not recused themselves; of those, the ones holding a PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presiding {
    /// `Chair`, or `ViceChair` when a vice chair stands in.
    pub role: Role,
    /// The names of those who may type their PIN, in roster order.
    pub names: Vec<String>,
    /// The chair, when present but recused: their name and the candidates'.
    pub chair_recused: Option<(String, Vec<String>)>,
}

impl Presiding {
    /// What the PIN prompt says: whose PIN, and why not the chair's.
    pub fn prompt(&self) -> Msg {
        Msg::PinFor {
            chair: self.role == Role::Chair,
            names: self.names.clone(),
            chair_recused: self.chair_recused.clone(),
        }
    }
}

/// Who may authorise an act on `candidates` (see [`Presiding`]). Refused,
/// in plain words, where nobody can: the chair recused and no vice chair to
/// stand in, or nobody who may act has been given a PIN yet (the PIN slips
/// are not printed) — said before a PIN is asked for, so that a missing slip
/// is never reported as a wrong PIN.
pub fn presiding(conn: &Connection, candidates: &[String]) -> Result<Presiding> {
    let attendance = session::attendance(conn)?;
    let present = |role: Role| attendance.iter().filter(move |a| a.present && a.role == role);
    let chair = present(Role::Chair).next();
    let chair_recused = match chair {
        Some(c) => Some(recused_for(conn, &c.id, candidates)?).filter(|r| !r.is_empty()),
        None => None,
    };
    let (role, may): (Role, Vec<&Attendee>) = match (chair, &chair_recused) {
        (Some(c), None) => (Role::Chair, vec![c]),
        _ => {
            let mut vices = Vec::new();
            for v in present(Role::ViceChair) {
                if recused_for(conn, &v.id, candidates)?.is_empty() {
                    vices.push(v);
                }
            }
            (Role::ViceChair, vices)
        }
    };
    let chair_recused = chair.zip(chair_recused).map(|(c, r)| (c.name.clone(), r));
    if may.is_empty() {
        return Err(match chair_recused {
            Some((chair, candidates)) => {
                Error::invalid("chair", Msg::NoStandIn { chair, candidates: candidates.join("、") })
            }
            None => Error::invalid("chair", Msg::NoChairPresent),
        });
    }
    let holders: HashSet<String> =
        crate::store::roster::pin_hashes(conn)?.into_iter().map(|(id, _)| id).collect();
    let names: Vec<String> = may.iter().filter(|a| holders.contains(&a.id)).map(|a| a.name.clone()).collect();
    if names.is_empty() {
        let without = may.iter().map(|a| a.name.clone()).collect();
        return Err(Error::invalid("pin", Msg::NoPinsIssued { names: without }));
    }
    Ok(Presiding { role, names, chair_recused })
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
