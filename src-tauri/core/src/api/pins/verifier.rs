//! A member's PIN verifier: what the meeting file keeps so that a typed PIN
//! can be recognised, and from which the PIN cannot be recovered in useful
//! time. A six-digit PIN has only 10^6 values, so no hash makes guessing
//! impossible; what the verifier does is make each guess expensive (argon2id,
//! memory-hard) and each member's guesses separate (a random salt per PIN),
//! so that a copy of the file gives one PIN per hour of a core at best, not
//! twenty in ten seconds as the unsalted SHA-256 of earlier versions did.
//!
//! Verifiers written by earlier versions (`hex(SHA-256("conclave-pin\0" ||
//! member || "\0" || pin))`) are still recognised, so that a meeting upgraded
//! mid-session keeps its slips working; they are replaced, one by one, when
//! PINs are issued or re-issued. They are not rewritten on upgrade: nothing
//! can turn them into argon2id without the PINs, and wrapping them (argon2id
//! over the old hash) would leave the old hashes in the backup copy that
//! every migration keeps beside the file anyway.

use crate::error::{Error, Result};
use crate::i18n::Msg;
use argon2::password_hash::{
    self, rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

/// argon2id cost of one PIN guess: 19 MiB, 2 passes, 1 lane (OWASP's
/// argon2id minimum, and the secretary's PIN's cost).
///
/// Measured on the development machine (2-core Xeon VM shared with other
/// builds, release, one core, 2025-12): 13.7 to 16 ms per guess, so the 10^6
/// guesses that cover every six-digit PIN take 3.8 to 4.5 hours of one core
/// per member — nearly four times the one-hour floor of the trust design
/// (3.6 ms per guess). Unlocking tries every present member's verifier on
/// every core: with 25 members, 0.25 to 0.33 s measured. `tests/it/pins.rs`
/// re-measures both (`cargo test --release -p conclave-core --test it pins::
/// -- --nocapture`).
pub const PIN_KDF: PinKdf = PinKdf { m_kib: 19 * 1024, t: 2, p: 1 };

/// argon2id parameters for PIN verifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinKdf {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over memory.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

/// The most a stored verifier may ask for: an edited file must not make an
/// unlock allocate gigabytes or run for minutes.
const MAX_KDF: PinKdf = PinKdf { m_kib: 256 * 1024, t: 10, p: 4 };

/// A stored verifier, as read from the `member.pin_hash` column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verifier {
    /// An argon2id PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
    Argon2id(String),
    /// The unsalted SHA-256 hex of earlier versions, bound to its member.
    Legacy { member: String, hex: String },
}

impl Verifier {
    /// Reads `member`'s stored verifier; anything else than the two known
    /// forms is an integrity error naming the row (never the value).
    pub(crate) fn parse(member: &str, stored: &str) -> Result<Verifier> {
        if is_legacy(stored) {
            return Ok(Verifier::Legacy { member: member.to_string(), hex: stored.to_string() });
        }
        checked(member, stored)?;
        Ok(Verifier::Argon2id(stored.to_string()))
    }

    /// Whether `pin` is the PIN this verifier was made from.
    pub(crate) fn opens(&self, member: &str, pin: &str) -> Result<bool> {
        match self {
            Verifier::Legacy { member, hex } => Ok(legacy(member, pin) == *hex),
            Verifier::Argon2id(phc) => {
                let (hash, params) = checked(member, phc)?;
                match Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                    .verify_password(pin.as_bytes(), &hash)
                {
                    Ok(()) => Ok(true),
                    Err(password_hash::Error::Password) => Ok(false),
                    Err(e) => Err(invalid(member, &e)),
                }
            }
        }
    }
}

/// A new verifier for `pin`: argon2id at [`PIN_KDF`] with a fresh random
/// salt, as a PHC string.
pub(crate) fn make(pin: &str) -> Result<String> {
    let params = Params::new(PIN_KDF.m_kib, PIN_KDF.t, PIN_KDF.p, None).map_err(kdf_failed)?;
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(pin.as_bytes(), &salt)
        .map_err(kdf_failed)?
        .to_string())
}

/// The verifier earlier versions stored: kept only to recognise it.
pub(crate) fn legacy(member: &str, pin: &str) -> String {
    hex::encode(Sha256::digest(format!("conclave-pin\0{member}\0{pin}").as_bytes()))
}

fn is_legacy(stored: &str) -> bool {
    stored.len() == 64 && stored.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A stored PHC string and its argon2id parameters, refused when it is not
/// argon2id or asks for more than [`MAX_KDF`].
fn checked<'a>(member: &str, phc: &'a str) -> Result<(PasswordHash<'a>, Params)> {
    let hash = PasswordHash::new(phc).map_err(|e| invalid(member, &e))?;
    if hash.algorithm != Algorithm::Argon2id.ident() {
        return Err(invalid(member, &"not argon2id"));
    }
    let params = Params::try_from(&hash).map_err(|e| invalid(member, &e))?;
    if params.m_cost() > MAX_KDF.m_kib || params.t_cost() > MAX_KDF.t || params.p_cost() > MAX_KDF.p {
        return Err(invalid(member, &"argon2id parameters out of range"));
    }
    Ok((hash, params))
}

/// A stored verifier that cannot be read. The detail comes from the parser
/// and names what is wrong, never the stored value.
fn invalid(member: &str, detail: &dyn std::fmt::Display) -> Error {
    Error::Integrity(Msg::StoredRowInvalid {
        table: "member.pin_hash".into(),
        key: member.into(),
        detail: detail.to_string(),
    })
}

fn kdf_failed(e: impl std::fmt::Display) -> Error {
    Error::Io { path: "argon2".into(), source: std::io::Error::other(e.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_verifier_opens_with_its_pin_only() -> Result<()> {
        let v = make("042917")?;
        assert!(v.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "argon2id at PIN_KDF, got {v}");
        let parsed = Verifier::parse("M01", &v)?;
        assert!(parsed.opens("M01", "042917")?, "its own PIN opens it");
        assert!(!parsed.opens("M01", "042918")?, "another PIN does not");
        Ok(())
    }

    #[test]
    fn two_verifiers_of_one_pin_differ() -> Result<()> {
        assert_ne!(make("123456")?, make("123456")?, "each PIN gets its own salt");
        Ok(())
    }

    #[test]
    fn an_old_verifier_is_recognised() -> Result<()> {
        let stored = legacy("M07", "555013");
        let parsed = Verifier::parse("M07", &stored)?;
        assert!(matches!(parsed, Verifier::Legacy { .. }), "64 hex digits are the old form");
        assert!(parsed.opens("M07", "555013")?);
        assert!(!parsed.opens("M07", "555014")?);
        Ok(())
    }

    #[test]
    fn an_unreadable_or_costly_verifier_is_an_integrity_error() {
        for stored in [
            "not a hash",
            "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            let e = Verifier::parse("M03", stored).expect_err("refused");
            assert_eq!(e.code(), "integrity", "{stored}: {e}");
            assert!(!e.to_string().contains(stored), "the error does not repeat the stored value");
        }
    }
}
