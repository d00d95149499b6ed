//! The fixed-randomness test vector of `docs/ballot-protocol.md`, shared with
//! the JavaScript tests: `tests/vectors/ballot-v1.json`. Regenerate it (only
//! when the protocol version changes) with `CONCLAVE_WRITE_VECTORS=1`.

use std::path::PathBuf;

use anyhow::{ensure, Context as _, Result};
use conclave_ballot::{box_root, encrypt_ballot, verify_ballot, Choice, KdfParams, TrusteeSetup};
use serde_json::{json, Value};

use crate::support::{choices, context, StreamRng};

pub fn vector_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/ballot-v1.json")
}

fn make_vector() -> Result<Value> {
    let mut rng = StreamRng::new("conclave-ballot/v1 test vector: keys");
    let setup = TrusteeSetup::generate("vector", ["a", "b", "c"], KdfParams::INSECURE_FOR_TESTS, &mut rng)?;
    let ctx = context();
    let seed = "conclave-ballot/v1 test vector: ballot";
    let lines = choices(&[("王五", Choice::Abstain), ("c-02", Choice::Against), ("c-01", Choice::For)]);
    let ballot = encrypt_ballot(setup.keys.joint(), &ctx, &lines, &mut StreamRng::new(seed))?;
    verify_ballot(setup.keys.joint(), &ctx, &ballot)?;
    let tracker = ballot.tracker();
    Ok(json!({
        "comment": "conclave-ballot v1 test vector; randomness: block k = SHA-512(seed || u64be(k))",
        "keys": setup.keys,
        "context": ctx,
        "seed": seed,
        "choices": lines.iter().map(|(c, v)| json!([c, v])).collect::<Vec<_>>(),
        "ballot": ballot,
        "canonical_bytes_len": ballot.canonical_bytes().len(),
        "tracker": tracker.to_hex(),
        "tracker_short": tracker.short(),
        "box_root_of_this_ballot": hex::encode(box_root(&[tracker])),
    }))
}

#[test]
fn fixed_randomness_ballot_matches_the_stored_test_vector() -> Result<()> {
    let made = make_vector()?;
    let path = vector_path();
    if std::env::var_os("CONCLAVE_WRITE_VECTORS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(&path, serde_json::to_string_pretty(&made)? + "\n")?;
    }
    let stored: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?,
    )?;
    ensure!(
        made == stored,
        "the ballot made with the vector's randomness must equal {} byte for byte; \
         a change here is a protocol change",
        path.display()
    );
    Ok(())
}
