//! Rust and the browser implementation (ui/src/lib/ballot/ballot.js, run by
//! Node) must agree: each verifies the other's ballots, both refuse the same
//! bad ones for the same reason, and the same randomness gives the same bytes.
//! Needs `node` on PATH and `npm ci` done in ui/; without them this FAILS.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context as _, Result};
use conclave_ballot::{
    encrypt_ballot, encrypt_plaintexts, Ballot, BallotError, Choice, Context, OsRng, TrusteeSetup,
};
use curve25519_dalek::scalar::Scalar;
use serde_json::{json, Value};

use crate::identity::{ballot_with_randomness, Line};
use crate::support::{choices, verify_both, StreamRng};

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui")
}

fn find_node() -> Result<PathBuf> {
    let path = std::env::var_os("PATH").context("PATH is not set, so node cannot be found")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(if cfg!(windows) { "node.exe" } else { "node" }))
        .find(|candidate| candidate.is_file())
        .context("node is not on PATH: the interoperability test needs Node 20 or later")
}

/// Runs the jobs through `tests/interop.mjs` and returns one result per job.
fn node(jobs: &[Value]) -> Result<Vec<Value>> {
    let ui = ui_dir();
    let noble = ui.join("node_modules/@noble/curves/package.json");
    ensure!(
        noble.is_file(),
        "{} is missing: run `npm ci` in {} before this test (it must not be skipped)",
        noble.display(),
        ui.display()
    );
    let tmp = tempfile::tempdir()?;
    let (jobs_path, results_path) = (tmp.path().join("jobs.json"), tmp.path().join("results.json"));
    std::fs::write(&jobs_path, serde_json::to_vec(jobs)?)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop.mjs");
    let out = Command::new(find_node()?)
        .arg(&script)
        .arg(ui.join("src/lib/ballot"))
        .arg(&jobs_path)
        .arg(&results_path)
        .output()
        .context("running node")?;
    ensure!(
        out.status.success(),
        "node {} failed: {}\n{}",
        script.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&std::fs::read(&results_path)?)?;
    ensure!(results.len() == jobs.len(), "node answered {} of {} jobs", results.len(), jobs.len());
    Ok(results)
}

/// The JavaScript `BallotError.code` for a Rust error.
fn code(e: &BallotError) -> (&'static str, Option<String>, Option<&'static str>) {
    match e {
        BallotError::ZeroOneProofFails { candidate, option } => {
            ("zero_one_proof_fails", Some(candidate.clone()), Some(option.name()))
        }
        BallotError::SumProofFails { candidate } => ("sum_proof_fails", Some(candidate.clone()), None),
        BallotError::DuplicateCandidate { candidate } => {
            ("duplicate_candidate", Some(candidate.clone()), None)
        }
        BallotError::LinesOutOfOrder { candidate } => ("lines_out_of_order", Some(candidate.clone()), None),
        BallotError::InvalidPoint { candidate, .. } => ("invalid_point", Some(candidate.clone()), None),
        BallotError::NonCanonicalScalar { candidate, .. } => {
            ("non_canonical_scalar", Some(candidate.clone()), None)
        }
        BallotError::IdentityCiphertext { candidate, option } => {
            ("identity_ciphertext", Some(candidate.clone()), Some(option.name()))
        }
        BallotError::UnsupportedVersion(_) => ("unsupported_version", None, None),
        BallotError::EmptyCandidate { .. } => ("empty_candidate", None, None),
        BallotError::CandidateTooLong { candidate } => ("candidate_too_long", Some(candidate.clone()), None),
    }
}

/// Both sides refuse `ballot`, for the same reason on the same line.
fn both_refuse(setup: &TrusteeSetup, ctx: &Context, ballot: &Ballot, js: &Value, what: &str) -> Result<()> {
    let Err(e) = verify_both(setup.keys.joint(), ctx, ballot) else { bail!("Rust accepted {what}") };
    ensure!(js["ok"] == json!(false), "JavaScript accepted {what}: {js}");
    let (want, candidate, option) = code(&e);
    ensure!(js["code"] == json!(want), "{what}: Rust says {e}, JavaScript says {js}");
    ensure!(js["candidate"] == json!(candidate), "{what}: same line expected, Rust {e}, JavaScript {js}");
    ensure!(js["option"] == json!(option), "{what}: same option expected, Rust {e}, JavaScript {js}");
    Ok(())
}

fn bump(scalar: &mut [u8; 32]) {
    *scalar = (Scalar::from_canonical_bytes(*scalar).unwrap() + Scalar::ONE).to_bytes();
}

#[test]
fn rust_and_javascript_verify_each_others_ballots_and_refuse_the_same_bad_ones() -> Result<()> {
    let setup = crate::support::setup();
    let key = setup.keys.joint().to_hex();
    let ctx = Context::new("会议 2024-职称评审", 7);
    let lines = choices(&[
        ("张三", Choice::For),
        ("李四", Choice::Against),
        ("c-3", Choice::Abstain),
        ("Ａ", Choice::For),
    ]);
    let verify = |b: &Ballot| json!({"op": "verify", "key": key, "context": ctx, "ballot": b});

    let good = encrypt_ballot(setup.keys.joint(), &ctx, &lines, &mut OsRng)?;
    let mut bad_proof = good.clone();
    bump(&mut bad_proof.lines[2].options[1].proof.z0);
    let mut bad_sum = good.clone();
    bump(&mut bad_sum.lines[0].sum_proof.z);
    let two = encrypt_plaintexts(setup.keys.joint(), &ctx, &[("x".into(), [2, 0, -1])], &mut OsRng)?;
    let none = encrypt_plaintexts(setup.keys.joint(), &ctx, &[("x".into(), [0, 0, 0])], &mut OsRng)?;
    let seed = "interop seed";
    let js_choices: Vec<Value> = lines.iter().map(|(c, v)| json!([c, v])).collect();
    let jobs = [
        verify(&good),
        verify(&bad_proof),
        verify(&bad_sum),
        verify(&two),
        verify(&none),
        json!({"op": "verify", "key": key, "context": Context::new(ctx.meeting_id.clone(), 8), "ballot": good}),
        json!({"op": "encrypt", "key": key, "context": ctx, "choices": js_choices}),
        json!({"op": "encrypt", "key": key, "context": ctx, "choices": js_choices, "seed": seed}),
        json!({"op": "encrypt_plaintexts", "key": key, "context": ctx, "lines": [["x", [1, 1, -1]]]}),
    ];
    let r = node(&jobs)?;

    // (a) JavaScript verifies a Rust ballot and computes the same tracker.
    ensure!(r[0]["ok"] == json!(true), "JavaScript must accept the Rust ballot: {}", r[0]);
    ensure!(r[0]["tracker"]["hex"] == json!(good.tracker().to_hex()), "same tracker hex: {}", r[0]);
    ensure!(r[0]["tracker"]["short"] == json!(good.tracker().short()), "same short tracker: {}", r[0]);

    // (c) one bad proof, a bad sum proof, and cheating plaintexts: both refuse, same reason.
    both_refuse(&setup, &ctx, &bad_proof, &r[1], "a Rust ballot with one bad 0/1 proof")?;
    both_refuse(&setup, &ctx, &bad_sum, &r[2], "a Rust ballot with a bad sum proof")?;
    both_refuse(&setup, &ctx, &two, &r[3], "a Rust ballot encrypting 2 and -1")?;
    both_refuse(&setup, &ctx, &none, &r[4], "a Rust ballot summing to 0")?;
    ensure!(
        r[5]["code"] == json!("zero_one_proof_fails"),
        "another round is refused by JavaScript: {}",
        r[5]
    );

    // (b) Rust verifies a JavaScript ballot and computes the same tracker.
    let js_ballot: Ballot =
        serde_json::from_value(r[6]["ballot"].clone()).context("reading the JS ballot")?;
    let verified =
        verify_both(setup.keys.joint(), &ctx, &js_ballot).context("Rust verifying the JS ballot")?;
    ensure!(json!(verified.tracker.to_hex()) == r[6]["tracker"]["hex"], "same tracker for the JS ballot");
    ensure!(js_ballot.lines.len() == 4, "four lines");

    // Same randomness, same bytes.
    let rust_seeded = encrypt_ballot(setup.keys.joint(), &ctx, &lines, &mut StreamRng::new(seed))?;
    ensure!(
        serde_json::to_value(&rust_seeded)? == r[7]["ballot"],
        "with the same random stream Rust and JavaScript must produce the same ballot"
    );

    // (c) A JavaScript ballot with one bad proof, and a cheating one: both refuse.
    let mut js_bad = js_ballot.clone();
    bump(&mut js_bad.lines[3].options[2].proof.c1);
    let js_cheat: Ballot = serde_json::from_value(r[8]["ballot"].clone())?;
    // (c) A ballot whose "against" has r = 0, its proofs intact: both refuse it by its `a`.
    let r = [Scalar::ONE, Scalar::ZERO, Scalar::from(2u8)];
    let zero_r = ballot_with_randomness(
        setup.keys.joint(),
        &ctx,
        &[Line { candidate: "x", choice: Choice::Against, r }],
    )?;
    let r2 = node(&[verify(&js_bad), verify(&js_cheat), verify(&zero_r)])?;
    both_refuse(&setup, &ctx, &js_bad, &r2[0], "a JavaScript ballot with one bad proof")?;
    both_refuse(&setup, &ctx, &js_cheat, &r2[1], "a JavaScript ballot encrypting 1, 1, -1")?;
    both_refuse(&setup, &ctx, &zero_r, &r2[2], "a ballot with r = 0")?;
    Ok(())
}
