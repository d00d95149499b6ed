//! Canonical ballot bytes, the tracker a voter sees (SHA-256 of those bytes)
//! and the box root (a hash over a round's sorted trackers).

use std::fmt;

use sha2::{Digest, Sha256};

use crate::ballot::Ballot;
use crate::encoding::{put_field, PROTOCOL};

/// Crockford's base32 alphabet (no I, L, O, U).
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// SHA-256 of a ballot's canonical bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tracker([u8; 32]);

impl Tracker {
    /// The full 32-byte hash.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A tracker from its 32 bytes (as stored or listed).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Tracker(bytes)
    }

    /// The full hash as 64 lowercase hex digits (what the archive lists).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The short form shown to the voter, e.g. `7KQ2-M9XD`: the first 40 bits
    /// of the hash in Crockford base32, most significant bits first.
    pub fn short(&self) -> String {
        let bits = self.0[..5].iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let mut out = String::with_capacity(9);
        for i in 0..8 {
            if i == 4 {
                out.push('-');
            }
            let digit = (bits >> (35 - 5 * i)) & 31;
            out.push(char::from(CROCKFORD[digit as usize]));
        }
        out
    }
}

impl fmt::Display for Tracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

impl fmt::Debug for Tracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tracker({})", self.to_hex())
    }
}

impl Ballot {
    /// The canonical bytes: every item a length-prefixed field (u32 big-endian
    /// length, then the bytes): `"conclave-ballot/v1"`, `"ballot"`, the line
    /// count (u32 big-endian), then per line in ballot order the candidate id,
    /// and for each option a, b, c0, c1, z0, z1, then the sum proof's c and z.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.lines.len() * (64 + 3 * 6 * 36 + 2 * 36));
        put_field(&mut out, PROTOCOL);
        put_field(&mut out, b"ballot");
        put_field(&mut out, &(self.lines.len() as u32).to_be_bytes());
        for line in &self.lines {
            put_field(&mut out, line.candidate.as_bytes());
            for option in &line.options {
                let p = &option.proof;
                for bytes in [&option.a, &option.b, &p.c0, &p.c1, &p.z0, &p.z1] {
                    put_field(&mut out, bytes);
                }
            }
            put_field(&mut out, &line.sum_proof.c);
            put_field(&mut out, &line.sum_proof.z);
        }
        out
    }

    /// SHA-256 of [`canonical_bytes`](Self::canonical_bytes).
    pub fn tracker(&self) -> Tracker {
        Tracker(Sha256::digest(self.canonical_bytes()).into())
    }
}

/// The box root of a round: SHA-256 over the fields `"conclave-ballot/v1"`,
/// `"box-root"`, the count (u32 big-endian), then each full tracker hash in
/// ascending byte order. Order of casting does not matter; duplicates count.
pub fn box_root(trackers: &[Tracker]) -> [u8; 32] {
    let mut sorted = trackers.to_vec();
    sorted.sort();
    let mut out = Vec::with_capacity(40 + 36 * sorted.len());
    put_field(&mut out, PROTOCOL);
    put_field(&mut out, b"box-root");
    put_field(&mut out, &(sorted.len() as u32).to_be_bytes());
    for t in &sorted {
        put_field(&mut out, &t.0);
    }
    Sha256::digest(out).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_form_reads_the_first_40_bits_in_crockford_base32() {
        // 00001 00010 00011 00100 00101 00110 00111 11111 = 1 2 3 4 5 6 7 Z
        let mut hash = [0u8; 32];
        hash[..5].copy_from_slice(&[0x08, 0x86, 0x42, 0x98, 0xff]);
        assert_eq!(Tracker(hash).short(), "1234-567Z");
        assert_eq!(Tracker([0xff; 32]).short(), "ZZZZ-ZZZZ");
    }
}
