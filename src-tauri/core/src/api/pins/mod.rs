//! The members' PINs for the voting station, the chair's acts and the paper
//! scrutineers: issued on sealed slips, kept only as verifiers
//! ([`verifier`]), and recognised by trying the verifier of every member
//! present.
//!
//! Each verifier issued is committed to in the audit chain (`pins.issue`,
//! `pins.reissue`: SHA-256 of the stored verifier, never the PIN), and a
//! verifier the chain did not record is refused: an operator who writes a
//! verifier of their own into the file to vote as a member must also
//! rewrite the chain, which changes every head members and the projector saw.
//!
//! Two members never hold the same PIN: whoever typed it would otherwise be
//! taken for whichever came first. A new PIN is checked against the others
//! of its batch and against every other member's verifier (an absent
//! member's too: they may sign in again with their slip), and an unlock
//! that two verifiers accept — possible only with verifiers from earlier
//! versions, which did not check — is refused rather than guessed.

pub mod verifier;

use crate::api::session::{attendance, Attendee};
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use ts_rs::TS;
use verifier::Verifier;
use zeroize::Zeroizing;

/// How many digits a PIN has.
const PIN_DIGITS: usize = 6;

/// A member's PIN, shown once for the sealed slip.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PinSlip {
    pub member_id: String,
    pub name: String,
    pub pin: String,
}

/// Issues a fresh 6-digit PIN to each present member, all different and
/// none held by another member; only their verifiers are kept.
pub fn issue_pins(conn: &mut Meeting) -> Result<Vec<PinSlip>> {
    let tx = conn.write()?;
    let present: Vec<Attendee> = attendance(&tx)?.into_iter().filter(|a| a.present).collect();
    let batch: HashSet<&str> = present.iter().map(|a| a.id.as_str()).collect();
    let others = recorded_verifiers(&tx, |id| !batch.contains(id))?;
    let pins = draw_distinct(present.len(), &mut random_pin, |pin| held_by_any(&others, pin))?;
    let made = in_parallel(&pins, |pin| verifier::make(pin))?;
    let mut out = Vec::with_capacity(present.len());
    let mut committed = serde_json::Map::new();
    for ((a, pin), made) in present.into_iter().zip(pins).zip(made) {
        store::roster::set_pin_hash(&tx, &a.id, &made)?;
        committed.insert(a.id.clone(), commitment(&made).into());
        out.push(PinSlip { member_id: a.id, name: a.name, pin: pin.to_string() });
    }
    audit::append(&tx, "pins.issue", &serde_json::json!({ "count": out.len(), "verifiers": committed }))?;
    tx.commit()?;
    tracing::info!(count = out.len(), "PINs issued");
    Ok(out)
}

/// Issues a fresh PIN to one present member (a lost or seen slip); the old
/// one stops working. The new PIN differs from every other member's and
/// from the old one. Only its verifier is kept.
pub fn reissue_pin(conn: &mut Meeting, member: &str) -> Result<PinSlip> {
    let tx = conn.write()?;
    let Some(a) = attendance(&tx)?.into_iter().find(|a| a.id == member && a.present) else {
        return Err(Error::invalid("member", Msg::NotPresent { name: member.into() }));
    };
    let held = recorded_verifiers(&tx, |_| true)?;
    let pins = draw_distinct(1, &mut random_pin, |pin| held_by_any(&held, pin))?;
    let Some(pin) = pins.into_iter().next() else {
        return Err(Error::invalid("pin", Msg::PinDrawFailed));
    };
    let made = verifier::make(&pin)?;
    store::roster::set_pin_hash(&tx, &a.id, &made)?;
    audit::append(
        &tx,
        "pins.reissue",
        &serde_json::json!({ "member": a.id, "verifier": commitment(&made) }),
    )?;
    tx.commit()?;
    Ok(PinSlip { member_id: a.id, name: a.name, pin: pin.to_string() })
}

/// The member whose PIN this is, among those present. Every present
/// member's verifier is tried (on every core), whether or not an earlier one
/// matched: two matches are refused, and the time taken does not say where
/// in the roster the member is.
pub fn member_by_pin(conn: &Connection, pin: &str) -> Result<String> {
    let pin = pin.trim();
    if pin.len() != PIN_DIGITS || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid("pin", Msg::WrongPin));
    }
    let present: HashSet<String> =
        attendance(conn)?.into_iter().filter(|a| a.present).map(|a| a.id).collect();
    let held = verifiers(conn, |id| present.contains(id))?;
    let opened = in_parallel(&held, |(member, v)| v.opens(member, pin))?;
    let mut members = held.iter().zip(opened).filter(|(_, open)| *open).map(|((member, _), _)| member);
    match (members.next(), members.next()) {
        (Some(member), None) => Ok(member.clone()),
        (None, _) => Err(Error::invalid("pin", Msg::WrongPin)),
        (Some(_), Some(_)) => Err(Error::invalid("pin", Msg::PinAmbiguous)),
    }
}

/// The commitment the chain records for a stored verifier.
fn commitment(stored: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"conclave-pin-verifier\0");
    h.update(stored.as_bytes());
    hex::encode(h.finalize())
}

/// What the chain recorded of each member's verifier: `Some` commitment for
/// those issued by this version, `None` where an earlier version's entry
/// named no verifiers (those are taken as they are stored).
struct Chained {
    by_member: HashMap<String, Option<String>>,
    /// An earlier version issued PINs without naming whose.
    legacy: bool,
}

fn chained(conn: &Connection) -> Result<Chained> {
    let mut c = Chained { by_member: HashMap::new(), legacy: false };
    for e in audit::entries(conn)?.into_iter().filter(|e| e.kind.starts_with("pins.")) {
        let d: serde_json::Value = serde_json::from_str(&e.detail)?;
        match (e.kind.as_str(), d.get("verifiers").and_then(|v| v.as_object())) {
            ("pins.issue", Some(list)) => {
                for (member, v) in list {
                    c.by_member.insert(member.clone(), v.as_str().map(str::to_string));
                }
            }
            ("pins.issue", None) => {
                c.legacy = true;
                c.by_member.values_mut().for_each(|v| *v = None);
            }
            ("pins.reissue", _) => {
                if let Some(member) = d.get("member").and_then(|m| m.as_str()) {
                    let v = d.get("verifier").and_then(|v| v.as_str()).map(str::to_string);
                    c.by_member.insert(member.to_string(), v);
                }
            }
            _ => {}
        }
    }
    Ok(c)
}

impl Chained {
    /// Whether `stored` is the verifier the chain recorded for `member`.
    fn recorded(&self, member: &str, stored: &str) -> bool {
        match self.by_member.get(member) {
            Some(Some(c)) => *c == commitment(stored),
            Some(None) => true,
            None => self.legacy,
        }
    }
}

/// The verifiers of the members `wanted` keeps, with whose they are, to
/// unlock with: a verifier the chain did not record is an integrity error,
/// never tried.
fn verifiers(conn: &Connection, wanted: impl Fn(&str) -> bool) -> Result<Vec<(String, Verifier)>> {
    let chained = chained(conn)?;
    store::roster::pin_hashes(conn)?
        .into_iter()
        .filter(|(member, _)| wanted(member))
        .map(|(member, stored)| {
            if !chained.recorded(&member, &stored) {
                return Err(Error::Integrity(Msg::PinNotRecorded { member: member.clone() }));
            }
            let v = Verifier::parse(&member, &stored)?;
            Ok((member, v))
        })
        .collect()
}

/// The verifiers a new PIN must differ from: those the chain recorded (one
/// it did not record opens nothing, so a new slip replaces it).
fn recorded_verifiers(conn: &Connection, wanted: impl Fn(&str) -> bool) -> Result<Vec<(String, Verifier)>> {
    let chained = chained(conn)?;
    store::roster::pin_hashes(conn)?
        .into_iter()
        .filter(|(member, stored)| wanted(member) && chained.recorded(member, stored))
        .map(|(member, stored)| {
            let v = Verifier::parse(&member, &stored)?;
            Ok((member, v))
        })
        .collect()
}

/// Whether any of `held` opens with `pin`.
fn held_by_any(held: &[(String, Verifier)], pin: &str) -> Result<bool> {
    Ok(in_parallel(held, |(member, v)| v.opens(member, pin))?.into_iter().any(|open| open))
}

/// How many draws [`draw_distinct`] makes per PIN before it gives up. With
/// 10^6 PINs and a committee's few dozen taken, one draw in 10^4 clashes;
/// reaching this bound means the random source is broken.
const DRAWS_PER_PIN: usize = 1000;

/// Draws `n` PINs with `draw`, all different from each other and none that
/// `taken` says another member holds.
fn draw_distinct(
    n: usize,
    draw: &mut impl FnMut() -> Zeroizing<String>,
    taken: impl Fn(&str) -> Result<bool>,
) -> Result<Vec<Zeroizing<String>>> {
    let mut pins: Vec<Zeroizing<String>> = Vec::with_capacity(n);
    let mut draws = 0;
    while pins.len() < n {
        if draws >= DRAWS_PER_PIN * n {
            return Err(Error::invalid("pin", Msg::PinDrawFailed));
        }
        draws += 1;
        let pin = draw();
        if !pins.contains(&pin) && !taken(&pin)? {
            pins.push(pin);
        }
    }
    Ok(pins)
}

/// A uniformly random six-digit PIN from the OS's generator (rejection
/// sampling: no value is likelier than another).
fn random_pin() -> Zeroizing<String> {
    const SPACE: u32 = 1_000_000;
    const LIMIT: u32 = u32::MAX - u32::MAX % SPACE;
    loop {
        let n = OsRng.next_u32();
        if n < LIMIT {
            return Zeroizing::new(format!("{:06}", n % SPACE));
        }
    }
}

/// `f` over `items` on every core, in order: each argon2id evaluation takes
/// one core for tens of milliseconds, and an unlock makes one per member.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> Result<R> + Sync) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Result<Vec<R>>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            out.extend(h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?);
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A draw from a space of `size` PINs, visiting each in turn.
    fn small_space(size: u32) -> impl FnMut() -> Zeroizing<String> {
        let mut k = 0u32;
        move || {
            k = (k + 7) % size;
            Zeroizing::new(format!("{k:06}"))
        }
    }

    #[test]
    fn a_batch_from_a_small_space_has_no_duplicate_nor_a_taken_pin() -> Result<()> {
        let taken = ["000001", "000004"];
        let pins = draw_distinct(8, &mut small_space(10), |p| Ok(taken.contains(&p)))?;
        let unique: HashSet<&str> = pins.iter().map(|p| p.as_str()).collect();
        assert_eq!(unique.len(), 8, "every PIN of the batch is different: {unique:?}");
        assert!(taken.iter().all(|t| !unique.contains(t)), "no PIN another member holds: {unique:?}");
        Ok(())
    }

    #[test]
    fn an_exhausted_space_is_refused_not_looped_on() {
        let e = draw_distinct(5, &mut small_space(4), |_| Ok(false)).expect_err("only 4 PINs exist");
        assert!(matches!(e, Error::Invalid { msg: Msg::PinDrawFailed, .. }), "{e}");
    }

    #[test]
    fn a_taken_check_against_real_verifiers_finds_the_holder() -> Result<()> {
        let held = vec![
            ("M01".to_string(), Verifier::parse("M01", &verifier::make("000001")?)?),
            ("M02".to_string(), Verifier::parse("M02", &verifier::legacy("M02", "000002"))?),
        ];
        assert!(held_by_any(&held, "000001")?, "an argon2id verifier's PIN is taken");
        assert!(held_by_any(&held, "000002")?, "an old verifier's PIN is taken");
        assert!(!held_by_any(&held, "000003")?);
        let pins = draw_distinct(1, &mut small_space(3), |p| held_by_any(&held, p))?;
        assert_eq!(pins[0].as_str(), "000000", "the only PIN of the space that nobody holds");
        Ok(())
    }

    #[test]
    fn random_pins_are_six_digits() {
        for _ in 0..1000 {
            let pin = random_pin();
            assert!(pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()), "{}", pin.as_str());
        }
    }

    #[test]
    fn in_parallel_keeps_the_order() -> Result<()> {
        let items: Vec<u32> = (0..37).collect();
        assert_eq!(in_parallel(&items, |x| Ok(x * 2))?, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(in_parallel(&[] as &[u32], |x| Ok(*x))?.is_empty());
        Ok(())
    }
}
