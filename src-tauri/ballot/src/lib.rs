//! Conclave's verifiable secret ballot, as a library with no I/O.
//!
//! - **Group**: ristretto255 with generator `G` (the standard basepoint);
//!   exponential ElGamal `Enc(m; r) = (r·G, m·G + r·Y)` under the joint key `Y`.
//! - **Trustees** ([`TrusteeSetup`]): a random secret split 2-of-3 with Shamir,
//!   each share wrapped under its trustee's passphrase (argon2id →
//!   XChaCha20-Poly1305); the secret itself is forgotten.
//! - **Ballots** ([`encrypt_ballot`], [`verify_ballot`]): per candidate three
//!   ciphertexts (for, against, abstain), each with a disjunctive Chaum–Pedersen
//!   proof of encrypting 0 or 1, and a proof that the three add up to 1.
//! - **Trackers** ([`Ballot::tracker`], [`box_root`]): SHA-256 of a ballot's
//!   canonical bytes, shown to the voter as e.g. `7KQ2-M9XD`.
//! - **Tally** ([`sum_ciphertexts`], [`partial_decrypt`], [`combine`]): sums,
//!   partial decryptions with proofs, Lagrange combination, small discrete log.
//!
//! Every Fiat–Shamir challenge is SHA-512 over length-prefixed fields with
//! explicit domain tags and binds the [`Context`] (meeting, round). The byte
//! layouts are specified in `docs/ballot-protocol.md`, and
//! `ui/src/lib/ballot/ballot.js` is a second implementation that must agree.

#![warn(missing_docs)]

mod audit;
mod ballot;
mod elgamal;
mod encoding;
mod escrow;
mod proofs;
mod tally;
mod tracker;
mod trustee;

pub use audit::{open_audited, AuditError, BallotRandomness, Hex32, LineRandomness};
pub use ballot::{
    ballot_ciphertexts, encrypt_ballot, encrypt_ballot_revealable, encrypt_plaintexts,
    encrypt_plaintexts_reference, verify_ballot, verify_ballot_fast, verify_ballots, Ballot, BallotError,
    BallotLine, Choice, EncryptedOption, SumProof, VerifiedBallot, VerifiedLine, ZeroOneProof,
    BALLOT_VERSION, MAX_CANDIDATE_ID_BYTES,
};
pub use elgamal::{Ciphertext, Context, PublicKey};
pub use encoding::EncodingError;
pub use escrow::{EscrowKey, EscrowedSecret};
pub use tally::{
    combine, combine_many, partial_decrypt, partial_decrypt_many, sum_ciphertexts, verify_partial,
    verify_partials, PartialDecryption, TallyError,
};
pub use tracker::{box_root, Tracker};
pub use trustee::{
    KdfParams, KeyError, ShareSecret, TrusteeKeys, TrusteeSetup, WrappedSecret, WrappedShare, TRUSTEES,
};

/// The random number generator traits the API takes, and the OS generator.
pub use rand_core::{CryptoRng, OsRng, RngCore};
