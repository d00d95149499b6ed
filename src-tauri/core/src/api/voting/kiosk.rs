//! The voting station as a kiosk (design/terminals.md): while a station
//! round is open the window shows nothing but the ballot. A member unlocks
//! their ballot with their own PIN, or the secretary with the secretary's
//! PIN for a member picked from the list; the ballot cast is the unlocked
//! member's, never a member named by the page. Leaving the kiosk takes the
//! chair's PIN. All of it lives in the running app, not the meeting file: a
//! restart locks the station and puts the kiosk back.
//!
//! The window holds one [`Kiosk`] and calls it around the meeting's own
//! checks ([`super::unlock`], [`super::cast`], [`super::leave_kiosk`]), which
//! run off the UI thread without it.

use super::Unlocked;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Wrong PINs in a row before the station waits [`COOLING`]: guessing a
/// 6-digit PIN at the kiosk is slow.
pub const TRIES: u32 = 5;
pub const COOLING: Duration = Duration::from_secs(30);

/// The station of one window.
#[derive(Debug, Default)]
pub struct Kiosk {
    /// The ballot unlocked now: (meeting, round, member).
    unlocked: Option<(String, i64, String)>,
    /// The rounds whose kiosk the chair let the operator leave: (meeting, round).
    left: HashSet<(String, i64)>,
    /// Wrong PINs typed in a row, and until when the station waits.
    wrong: u32,
    cooling_until: Option<Instant>,
}

impl Kiosk {
    /// Whether the kiosk is in force for `round` (it is until the chair lets
    /// the operator leave).
    pub fn in_force(&self, meeting: &str, round: i64) -> bool {
        !self.left.contains(&(meeting.to_string(), round))
    }

    /// Before a PIN is checked: any ballot unlocked is locked, and while the
    /// station waits after [`TRIES`] wrong PINs every PIN, even a right one,
    /// is refused.
    pub fn before_unlock(&mut self) -> Result<()> {
        self.unlocked = None;
        match self.cooling_until.and_then(|t| t.checked_duration_since(Instant::now())) {
            Some(left) => {
                Err(Error::invalid("pin", Msg::StationCooling { tries: TRIES, seconds: left.as_secs() + 1 }))
            }
            None => Ok(()),
        }
    }

    /// After the meeting checked the PIN ([`super::unlock`]): the member's
    /// ballot is unlocked, or a wrong PIN (a member's or the secretary's)
    /// counts towards the wait.
    pub fn after_unlock(&mut self, meeting: &str, round: i64, checked: Result<Unlocked>) -> Result<Unlocked> {
        match checked {
            Ok(unlocked) => {
                self.wrong = 0;
                self.unlocked = Some((meeting.to_string(), round, unlocked.member_id.clone()));
                Ok(unlocked)
            }
            Err(e) => {
                if matches!(&e, Error::Invalid { where_, .. } if where_ == "pin" || where_ == "secretary_pin")
                {
                    self.wrong += 1;
                    if self.wrong >= TRIES {
                        self.wrong = 0;
                        self.cooling_until = Some(Instant::now() + COOLING);
                    }
                }
                Err(e)
            }
        }
    }

    /// The member whose ballot is unlocked for `round`: the only member a
    /// cast at this station may be for.
    pub fn voter(&self, meeting: &str, round: i64) -> Result<String> {
        match &self.unlocked {
            Some((m, r, member)) if m == meeting && *r == round => Ok(member.clone()),
            _ => Err(Error::invalid("station", Msg::StationLocked)),
        }
    }

    /// Locks the station (a ballot cast, or the voter cancelled).
    pub fn lock(&mut self) {
        self.unlocked = None;
    }

    /// The chair let the operator leave the kiosk for `round` ([`super::leave_kiosk`]).
    pub fn leave(&mut self, meeting: &str, round: i64) {
        self.unlocked = None;
        self.left.insert((meeting.to_string(), round));
    }

    /// Puts the kiosk back for `round`.
    pub fn enter(&mut self, meeting: &str, round: i64) {
        self.left.remove(&(meeting.to_string(), round));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unlocked(member: &str) -> Unlocked {
        Unlocked { member_id: member.into(), name: member.into(), lines: Vec::new() }
    }

    #[test]
    fn five_wrong_pins_make_it_wait_even_for_a_right_one() {
        let mut k = Kiosk::default();
        for _ in 0..TRIES - 1 {
            assert!(k.before_unlock().is_ok());
            let _ = k.after_unlock("m", 1, Err(Error::invalid("pin", Msg::WrongPin)));
        }
        // A right PIN before the fifth wrong one resets the count.
        assert!(k.after_unlock("m", 1, Ok(unlocked("M01"))).is_ok());
        for _ in 0..TRIES {
            assert!(k.before_unlock().is_ok());
            let _ = k.after_unlock("m", 1, Err(Error::invalid("secretary_pin", Msg::SecretaryPinWrong)));
        }
        let refused = k.before_unlock().expect_err("waits");
        assert!(
            refused.message(crate::i18n::Lang::Zh).contains("30"),
            "{}",
            refused.message(crate::i18n::Lang::Zh)
        );
        assert!(k.voter("m", 1).is_err(), "nothing is unlocked while it waits");
    }

    #[test]
    fn a_ballot_is_cast_only_for_the_member_unlocked_in_that_round() {
        let mut k = Kiosk::default();
        assert!(k.voter("m", 1).is_err());
        k.after_unlock("m", 1, Ok(unlocked("M07"))).expect("unlocked");
        assert_eq!(k.voter("m", 1).ok().as_deref(), Some("M07"));
        assert!(k.voter("m", 2).is_err() && k.voter("other", 1).is_err());
        // Other refusals (a closed round) do not count towards the wait.
        for _ in 0..TRIES {
            let _ = k.after_unlock("m", 1, Err(Error::invalid("round", Msg::RoundNotOpen { id: 1 })));
        }
        assert!(k.before_unlock().is_ok());
        assert!(k.voter("m", 1).is_err(), "trying again locks the ballot unlocked before");
        k.leave("m", 1);
        assert!(!k.in_force("m", 1) && k.in_force("m", 2));
        k.enter("m", 1);
        assert!(k.in_force("m", 1));
    }
}
