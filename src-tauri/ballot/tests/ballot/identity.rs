//! A ciphertext with `r = 0` is `(identity, m·G)`: its choice is in the clear,
//! so a member could show anyone how they voted. Such a ballot can carry
//! proofs that hold (r = 0 is a valid witness), so the verifier must refuse it
//! by its first component, and the encryptor must never make one.
//!
//! The crate's encryptor cannot be asked for `r = 0`, so this module proves
//! lines itself from docs/ballot-protocol.md (sections 2 and 6) with chosen
//! randomness; the first test shows that this prover makes ballots the crate
//! accepts, so the refusals below are for `r = 0` alone.

use anyhow::{bail, ensure, Context as _, Result};
use conclave_ballot::{
    ballot_ciphertexts, encrypt_ballot, Ballot, BallotError, BallotLine, Choice, Context, CryptoRng,
    EncryptedOption, OsRng, PublicKey, RngCore, SumProof, ZeroOneProof,
};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use sha2::{Digest, Sha512};

use crate::support::{choices, context, setup, verify_both};

/// One line to prove: the candidate, the chosen option, and `r` per option.
pub struct Line<'a> {
    pub candidate: &'a str,
    pub choice: Choice,
    pub r: [Scalar; 3],
}

/// A ballot of `lines` (already in ascending candidate order) encrypted with
/// the given randomness and proven as the protocol document says.
pub fn ballot_with_randomness(pk: &PublicKey, ctx: &Context, lines: &[Line]) -> Result<Ballot> {
    let y = point(&pk.to_bytes())?;
    let cts: Vec<[(RistrettoPoint, RistrettoPoint); 3]> = lines
        .iter()
        .map(|l| std::array::from_fn(|k| (G * l.r[k], G * plaintext(l, k) + y * l.r[k])))
        .collect();
    let mut digest = Fields::new();
    digest.add(b"ballot-ciphertexts").add(&(lines.len() as u32).to_be_bytes());
    for (line, cts) in lines.iter().zip(&cts) {
        digest.add(line.candidate.as_bytes());
        for (a, b) in cts {
            digest.point(a).point(b);
        }
    }
    let digest: [u8; 64] = Sha512::digest(&digest.0).into();
    let lines = lines.iter().zip(&cts).map(|(line, cts)| prove_line(y, ctx, &digest, line, cts)).collect();
    Ok(Ballot { version: 1, lines })
}

fn plaintext(line: &Line, option: usize) -> Scalar {
    Scalar::from(u8::from(Choice::ALL[option] == line.choice))
}

fn point(bytes: &[u8; 32]) -> Result<RistrettoPoint> {
    match CompressedRistretto(*bytes).decompress() {
        Some(p) => Ok(p),
        None => bail!("not a point"),
    }
}

/// `field(PROTOCOL) || field(x1) || …`, the layout of every hashed item.
struct Fields(Vec<u8>);

impl Fields {
    fn new() -> Self {
        let mut f = Fields(Vec::new());
        f.add(b"conclave-ballot/v1");
        f
    }

    fn add(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        self.0.extend_from_slice(bytes);
        self
    }

    fn point(&mut self, p: &RistrettoPoint) -> &mut Self {
        self.add(p.compress().as_bytes())
    }

    fn challenge(&self) -> Scalar {
        Scalar::from_bytes_mod_order_wide(&Sha512::digest(&self.0).into())
    }
}

/// The statement every proof of a line starts with: label, context, digest, candidate.
fn transcript(label: &str, ctx: &Context, digest: &[u8; 64], candidate: &str) -> Fields {
    let mut t = Fields::new();
    t.add(label.as_bytes())
        .add(ctx.meeting_id.as_bytes())
        .add(&ctx.round.to_be_bytes())
        .add(digest)
        .add(candidate.as_bytes());
    t
}

fn prove_line(
    y: RistrettoPoint,
    ctx: &Context,
    digest: &[u8; 64],
    line: &Line,
    cts: &[(RistrettoPoint, RistrettoPoint); 3],
) -> BallotLine {
    let options = std::array::from_fn(|k| {
        let (a, b) = cts[k];
        let m = usize::from(Choice::ALL[k] == line.choice);
        let f = 1 - m;
        let (w, c_f, z_f) =
            (Scalar::random(&mut OsRng), Scalar::random(&mut OsRng), Scalar::random(&mut OsRng));
        let mut commits = [(RistrettoPoint::identity(), RistrettoPoint::identity()); 2];
        commits[m] = (G * w, y * w);
        commits[f] = (G * z_f - a * c_f, y * z_f - (b - G * Scalar::from(f as u8)) * c_f);
        let mut t = transcript("zero-or-one", ctx, digest, line.candidate);
        t.add(&[k as u8]).point(&y).point(&a).point(&b);
        for (ca, cb) in &commits {
            t.point(ca).point(cb);
        }
        let c_m = t.challenge() - c_f;
        let (mut c, mut z) = ([Scalar::ZERO; 2], [Scalar::ZERO; 2]);
        (c[f], z[f], c[m], z[m]) = (c_f, z_f, c_m, w + c_m * line.r[k]);
        EncryptedOption {
            a: a.compress().to_bytes(),
            b: b.compress().to_bytes(),
            proof: ZeroOneProof {
                c0: c[0].to_bytes(),
                c1: c[1].to_bytes(),
                z0: z[0].to_bytes(),
                z1: z[1].to_bytes(),
            },
        }
    });
    let w = Scalar::random(&mut OsRng);
    let mut t = transcript("sum-to-one", ctx, digest, line.candidate);
    t.point(&y);
    for (a, b) in cts {
        t.point(a).point(b);
    }
    t.point(&(G * w)).point(&(y * w));
    let c = t.challenge();
    let z = w + c * (line.r[0] + line.r[1] + line.r[2]);
    BallotLine {
        candidate: line.candidate.to_owned(),
        options,
        sum_proof: SumProof { c: c.to_bytes(), z: z.to_bytes() },
    }
}

fn random_r() -> [Scalar; 3] {
    std::array::from_fn(|_| Scalar::random(&mut OsRng))
}

fn identity_refusal(candidate: &str, option: Choice) -> BallotError {
    BallotError::IdentityCiphertext { candidate: candidate.into(), option }
}

#[test]
fn this_modules_prover_makes_ballots_the_crate_accepts() -> Result<()> {
    let setup = setup();
    let lines = [
        Line { candidate: "c-01", choice: Choice::For, r: random_r() },
        Line { candidate: "c-02", choice: Choice::Abstain, r: random_r() },
    ];
    let b = ballot_with_randomness(setup.keys.joint(), &context(), &lines)?;
    verify_both(setup.keys.joint(), &context(), &b)?;
    Ok(())
}

#[test]
fn a_ciphertext_with_r_zero_is_refused_though_its_proofs_hold() -> Result<()> {
    let setup = setup();
    let pk = setup.keys.joint();
    for (option, choice) in [(Choice::For, Choice::For), (Choice::Against, Choice::Abstain)] {
        // r = 0 on the chosen option gives (identity, G): "for" readable by anyone;
        // on an option not chosen, (identity, identity): a "no" just as readable.
        let mut r = random_r();
        r[option.index()] = Scalar::ZERO;
        let lines = [
            Line { candidate: "c-01", choice: Choice::For, r: random_r() },
            Line { candidate: "c-02", choice, r },
        ];
        let b = ballot_with_randomness(pk, &context(), &lines)?;
        ensure!(b.lines[1].options[option.index()].a == [0; 32], "a is the identity's encoding");
        let want = identity_refusal("c-02", option);
        let e = verify_both(pk, &context(), &b).err();
        ensure!(e.as_ref() == Some(&want), "r = 0 on c-02/{option}: expected {want}, got {e:?}");
        let e = ballot_ciphertexts(&b).err();
        ensure!(e.as_ref() == Some(&want), "the tally's decoding refuses it too, got {e:?}");
        ensure!(want.to_string().contains("identity"), "the message names the identity: {want}");
    }
    Ok(())
}

#[test]
fn an_identity_first_component_is_refused_before_any_proof_is_checked() -> Result<()> {
    let setup = setup();
    let pk = setup.keys.joint();
    let mut b = crate::support::ballot(&setup);
    // A broken proof on the first line, whose check would come first...
    let z: Option<Scalar> = Scalar::from_canonical_bytes(b.lines[0].sum_proof.z).into();
    b.lines[0].sum_proof.z = (z.context("a canonical z")? + Scalar::ONE).to_bytes();
    // ...and the identity as c-03/against's `a` (its proof no longer holds either).
    b.lines[2].options[1].a = RistrettoPoint::identity().compress().to_bytes();
    let e = verify_both(pk, &context(), &b).err();
    let want = identity_refusal("c-03", Choice::Against);
    ensure!(e.as_ref() == Some(&want), "the identity is named before any proof fails: got {e:?}");
    Ok(())
}

/// Zeros for the first 64 bytes asked for (a first scalar of 0), then the OS generator.
struct ZeroFirst(usize);

impl RngCore for ZeroFirst {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }

    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        OsRng.fill_bytes(dest);
        let zeros = self.0.min(dest.len());
        dest[..zeros].fill(0);
        self.0 -= zeros;
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for ZeroFirst {}

#[test]
fn encryption_draws_a_zero_randomness_again() -> Result<()> {
    let setup = setup();
    let pk = setup.keys.joint();
    let lines = choices(&[("c-01", Choice::For), ("c-02", Choice::Against)]);
    let b = encrypt_ballot(pk, &context(), &lines, &mut ZeroFirst(64))?;
    let identity = RistrettoPoint::identity().compress().to_bytes();
    for line in &b.lines {
        for option in &line.options {
            ensure!(option.a != identity, "{}: no ciphertext has r = 0", line.candidate);
        }
    }
    verify_both(pk, &context(), &b)?;
    Ok(())
}
