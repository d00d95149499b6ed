//! Shared fixtures: a cheap trustee setup and a deterministic random stream.

use conclave_ballot::{
    encrypt_ballot, verify_ballot, verify_ballot_fast, verify_ballots, Ballot, BallotError, Choice, Context,
    CryptoRng, KdfParams, OsRng, PublicKey, RngCore, TrusteeSetup, VerifiedBallot,
};
use sha2::{Digest, Sha512};

pub const PASSPHRASES: [&str; 3] = ["chair passphrase", "scrutineer one", "scrutineer two"];

pub fn context() -> Context {
    Context::new("meeting-2024-senior-engineers", 1)
}

/// A trustee setup with test-only argon2 parameters.
pub fn setup() -> TrusteeSetup {
    TrusteeSetup::generate(&context().meeting_id, PASSPHRASES, KdfParams::INSECURE_FOR_TESTS, &mut OsRng)
        .expect("trustee setup")
}

pub fn choices(list: &[(&str, Choice)]) -> Vec<(String, Choice)> {
    list.iter().map(|(c, choice)| (c.to_string(), *choice)).collect()
}

/// A valid ballot for candidates c-01, c-02, c-03.
pub fn ballot(setup: &TrusteeSetup) -> Ballot {
    let lines = choices(&[("c-01", Choice::For), ("c-02", Choice::Against), ("c-03", Choice::Abstain)]);
    encrypt_ballot(setup.keys.joint(), &context(), &lines, &mut OsRng).expect("encrypt")
}

/// The deterministic byte stream of the protocol document's test vectors:
/// block k = SHA-512(seed || u64 big-endian k), the blocks concatenated.
/// It exists so that Rust and JavaScript can be compared byte for byte;
/// nothing real ever uses it.
pub struct StreamRng {
    seed: Vec<u8>,
    block: u64,
    buf: Vec<u8>,
}

impl StreamRng {
    pub fn new(seed: &str) -> Self {
        StreamRng { seed: seed.as_bytes().to_vec(), block: 0, buf: Vec::new() }
    }
}

impl RngCore for StreamRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        let mut b = [0; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        while self.buf.len() < dest.len() {
            let mut h = Sha512::new();
            h.update(&self.seed);
            h.update(self.block.to_be_bytes());
            self.buf.extend_from_slice(&h.finalize());
            self.block += 1;
        }
        dest.copy_from_slice(&self.buf[..dest.len()]);
        self.buf.drain(..dest.len());
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for StreamRng {}

/// Verifies `ballot` with the reference verifier and with the fast one (a
/// box of one, and the ballot alone); fails the test unless all three give
/// the same answer: the same error, or the same tracker and ciphertexts.
pub fn verify_both(pk: &PublicKey, ctx: &Context, ballot: &Ballot) -> Result<VerifiedBallot, BallotError> {
    let reference = verify_ballot(pk, ctx, ballot);
    let fast = verify_ballot_fast(pk, ctx, ballot);
    let boxed = verify_ballots(pk, ctx, &[ballot]).pop().expect("one answer per ballot");
    for (what, other) in [("verify_ballot_fast", &fast), ("verify_ballots", &boxed)] {
        assert!(same(&reference, other), "{what} disagrees with verify_ballot: {other:?} vs {reference:?}");
    }
    reference
}

/// The same answer: equal errors, or equal trackers and ciphertexts.
pub fn same(x: &Result<VerifiedBallot, BallotError>, y: &Result<VerifiedBallot, BallotError>) -> bool {
    match (x, y) {
        (Err(a), Err(b)) => a == b,
        (Ok(a), Ok(b)) => {
            a.tracker == b.tracker
                && a.lines.len() == b.lines.len()
                && a.lines
                    .iter()
                    .zip(&b.lines)
                    .all(|(p, q)| p.candidate == q.candidate && p.ciphertexts == q.ciphertexts)
        }
        _ => false,
    }
}
