//! Ballots that must be refused: tampered, moved, replayed or built to cheat.

use anyhow::{bail, ensure, Result};
use conclave_ballot::{
    encrypt_ballot, encrypt_plaintexts, Ballot, BallotError, Choice, Context, OsRng, PublicKey,
};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::CompressedRistretto;
use curve25519_dalek::scalar::Scalar;

use crate::support::{ballot, choices, context, setup, verify_both};

fn refused(pk: &PublicKey, ctx: &Context, ballot: &Ballot) -> Result<BallotError> {
    match verify_both(pk, ctx, ballot) {
        Ok(_) => bail!("the ballot was accepted but must be refused"),
        Err(e) => Ok(e),
    }
}

fn zero_one(candidate: &str, option: Choice) -> BallotError {
    BallotError::ZeroOneProofFails { candidate: candidate.into(), option }
}

#[test]
fn an_honest_ballot_verifies() -> Result<()> {
    let setup = setup();
    let b = ballot(&setup);
    let verified = verify_both(setup.keys.joint(), &context(), &b)?;
    ensure!(verified.lines.len() == 3, "three lines verified");
    ensure!(verified.tracker == b.tracker(), "the verified tracker is the ballot's");
    Ok(())
}

#[test]
fn a_tampered_ciphertext_is_refused() -> Result<()> {
    let setup = setup();
    let mut b = ballot(&setup);
    // Add G to `b` of c-02's "for": the ciphertext now encrypts 1 more.
    let point = CompressedRistretto(b.lines[1].options[0].b).decompress().unwrap();
    b.lines[1].options[0].b = (point + RISTRETTO_BASEPOINT_POINT).compress().to_bytes();
    let e = refused(setup.keys.joint(), &context(), &b)?;
    // Every proof binds the digest of all ciphertexts, so the first one checked fails.
    ensure!(e == zero_one("c-01", Choice::For), "the first 0-or-1 proof must fail, got {e}");
    Ok(())
}

#[test]
fn a_line_copied_from_another_ballot_is_refused() -> Result<()> {
    let setup = setup();
    let victim = ballot(&setup);
    let mut copier = ballot(&setup);
    // Without the ballot-wide digest this line would verify: its own proofs are intact.
    copier.lines[1] = victim.lines[1].clone();
    let e = refused(setup.keys.joint(), &context(), &copier)?;
    ensure!(e == zero_one("c-01", Choice::For), "a copied line must not verify, got {e}");
    // A whole copied ballot verifies but has the same tracker: the box refuses a tracker twice.
    ensure!(victim.clone().tracker() == victim.tracker(), "a copy keeps its tracker");
    Ok(())
}

#[test]
fn swapping_two_options_ciphertexts_is_refused() -> Result<()> {
    let setup = setup();
    let mut b = ballot(&setup);
    // Turn a "for" into an "against" by swapping the two options wholesale.
    b.lines[0].options.swap(0, 1);
    let e = refused(setup.keys.joint(), &context(), &b)?;
    ensure!(e == zero_one("c-01", Choice::For), "the option index is bound, got {e}");
    Ok(())
}

#[test]
fn a_tampered_proof_is_refused() -> Result<()> {
    let setup = setup();
    let mut b = ballot(&setup);
    let z = Scalar::from_canonical_bytes(b.lines[2].options[2].proof.z1).unwrap();
    b.lines[2].options[2].proof.z1 = (z + Scalar::ONE).to_bytes();
    let e = refused(setup.keys.joint(), &context(), &b)?;
    ensure!(e == zero_one("c-03", Choice::Abstain), "c-03/abstain's proof must fail, got {e}");

    let mut b = ballot(&setup);
    let c = Scalar::from_canonical_bytes(b.lines[0].sum_proof.c).unwrap();
    b.lines[0].sum_proof.c = (c + Scalar::ONE).to_bytes();
    let e = refused(setup.keys.joint(), &context(), &b)?;
    ensure!(e == BallotError::SumProofFails { candidate: "c-01".into() }, "sum proof must fail, got {e}");
    Ok(())
}

#[test]
fn moving_a_line_to_another_candidate_is_refused() -> Result<()> {
    let setup = setup();
    let mut b = ballot(&setup);
    // Give c-01's encrypted "for" to c-02 and the reverse, ids left in place.
    let (first, second) = b.lines.split_at_mut(1);
    std::mem::swap(&mut first[0].options, &mut second[0].options);
    std::mem::swap(&mut first[0].sum_proof, &mut second[0].sum_proof);
    let e = refused(setup.keys.joint(), &context(), &b)?;
    ensure!(e == zero_one("c-01", Choice::For), "the candidate id is bound, got {e}");

    let mut b = ballot(&setup);
    b.lines[2].candidate = "c-04".into();
    let e = refused(setup.keys.joint(), &context(), &b)?;
    ensure!(e == zero_one("c-01", Choice::For), "a renamed candidate changes the digest, got {e}");
    Ok(())
}

#[test]
fn a_ballot_from_another_meeting_round_or_key_is_refused() -> Result<()> {
    let setup = setup();
    let b = ballot(&setup);
    let ctx = context();
    for other in [Context::new(ctx.meeting_id.clone(), 2), Context::new("another-meeting", 1)] {
        let e = refused(setup.keys.joint(), &other, &b)?;
        ensure!(e == zero_one("c-01", Choice::For), "{other:?} must not accept it, got {e}");
    }
    let other_key = crate::support::setup();
    let e = refused(other_key.keys.joint(), &ctx, &b)?;
    ensure!(e == zero_one("c-01", Choice::For), "another key must not accept it, got {e}");
    Ok(())
}

#[test]
fn duplicated_or_unsorted_lines_are_refused() -> Result<()> {
    let setup = setup();
    let pk = setup.keys.joint();
    let mut b = ballot(&setup);
    b.lines.insert(1, b.lines[0].clone());
    let e = refused(pk, &context(), &b)?;
    ensure!(e == BallotError::DuplicateCandidate { candidate: "c-01".into() }, "duplicate line, got {e}");

    let mut b = ballot(&setup);
    b.lines.swap(0, 2);
    let e = refused(pk, &context(), &b)?;
    ensure!(matches!(e, BallotError::LinesOutOfOrder { .. }), "unsorted lines, got {e}");

    let twice = choices(&[("x", Choice::For), ("x", Choice::Against)]);
    let e = encrypt_ballot(pk, &context(), &twice, &mut OsRng).unwrap_err();
    ensure!(e == BallotError::DuplicateCandidate { candidate: "x".into() }, "encrypting twice, got {e}");
    Ok(())
}

#[test]
fn invalid_point_encodings_and_non_canonical_scalars_are_refused() -> Result<()> {
    let setup = setup();
    let pk = setup.keys.joint();
    let mut b = ballot(&setup);
    b.lines[1].options[2].a = [0xff; 32];
    let e = refused(pk, &context(), &b)?;
    let want = BallotError::InvalidPoint { candidate: "c-02".into(), part: "abstain.a".into() };
    ensure!(e == want, "expected {want}, got {e}");

    // z + ℓ encodes the same residue but is not canonical.
    let mut b = ballot(&setup);
    let l = Scalar::ZERO - Scalar::ONE; // ℓ − 1
    let z = Scalar::from_canonical_bytes(b.lines[0].options[1].proof.z0).unwrap();
    let mut wide = [0u8; 32];
    let mut carry = 0u16;
    for (i, out) in wide.iter_mut().enumerate() {
        // z + (ℓ − 1) + 1 without reduction.
        let sum = u16::from(z.as_bytes()[i]) + u16::from(l.as_bytes()[i]) + carry + u16::from(i == 0);
        *out = sum as u8;
        carry = sum >> 8;
    }
    ensure!(carry == 0, "z + ℓ fits 256 bits for this z");
    b.lines[0].options[1].proof.z0 = wide;
    let e = refused(pk, &context(), &b)?;
    let want = BallotError::NonCanonicalScalar { candidate: "c-01".into(), part: "against.proof.z0".into() };
    ensure!(e == want, "expected {want}, got {e}");

    let mut b = ballot(&setup);
    b.version = 2;
    ensure!(refused(pk, &context(), &b)? == BallotError::UnsupportedVersion(2), "version 2 is unknown");
    Ok(())
}

#[test]
fn ballots_that_encrypt_anything_but_one_hot_are_refused() -> Result<()> {
    let setup = setup();
    let pk = setup.keys.joint();
    let ctx = context();
    let cases: [([i64; 3], BallotError); 5] = [
        ([2, 0, -1], zero_one("m", Choice::For)),
        ([1, -1, 1], zero_one("m", Choice::Against)),
        ([0, 0, 2], zero_one("m", Choice::Abstain)),
        ([0, 0, 0], BallotError::SumProofFails { candidate: "m".into() }),
        ([1, 1, 0], BallotError::SumProofFails { candidate: "m".into() }),
    ];
    for (values, want) in cases {
        let b = encrypt_plaintexts(pk, &ctx, &[("m".to_string(), values)], &mut OsRng)?;
        let e = refused(pk, &ctx, &b)?;
        ensure!(e == want, "plaintexts {values:?}: expected {want}, got {e}");
    }
    // The same machinery with a one-hot line is accepted: the refusals come from the values.
    let b = encrypt_plaintexts(pk, &ctx, &[("m".to_string(), [0, 1, 0])], &mut OsRng)?;
    verify_both(pk, &ctx, &b)?;
    Ok(())
}

#[test]
fn unknown_json_fields_and_uppercase_hex_are_refused_when_reading() -> Result<()> {
    let setup = setup();
    let mut json = serde_json::to_value(ballot(&setup))?;
    json["lines"][0]["extra"] = serde_json::json!(1);
    ensure!(serde_json::from_value::<Ballot>(json).is_err(), "an unknown field must not be ignored");

    let mut json = serde_json::to_value(ballot(&setup))?;
    let a = json["lines"][0]["options"][0]["a"].as_str().unwrap().to_uppercase();
    json["lines"][0]["options"][0]["a"] = serde_json::json!(a);
    ensure!(serde_json::from_value::<Ballot>(json).is_err(), "hex is lowercase only");
    Ok(())
}
