//! The fast verifiers against the reference ones: the same answer for random
//! honest ballots, for random single edits of them, for whole boxes with
//! bad ballots among good ones, and for trustees' decryption proofs.

use anyhow::{ensure, Result};
use conclave_ballot::{
    combine, combine_many, encrypt_ballot, encrypt_plaintexts, partial_decrypt, partial_decrypt_many,
    sum_ciphertexts, verify_ballot, verify_ballots, verify_partial, verify_partials, Ballot, BallotError,
    Choice, Ciphertext, OsRng, PartialDecryption, RngCore,
};

use crate::support::{context, same, setup, verify_both, StreamRng};

fn random_ballot(setup: &conclave_ballot::TrusteeSetup, rng: &mut StreamRng, lines: usize) -> Result<Ballot> {
    let choices: Vec<(String, Choice)> =
        (0..lines).map(|i| (format!("候选人-{i:03}"), Choice::ALL[(rng.next_u32() % 3) as usize])).collect();
    Ok(encrypt_ballot(setup.keys.joint(), &context(), &choices, &mut OsRng)?)
}

/// One random edit: a byte of some value of some line, a candidate id, or
/// the order of two lines.
fn mutate(b: &mut Ballot, rng: &mut StreamRng) -> String {
    let n = b.lines.len();
    let line = (rng.next_u32() as usize) % n;
    let byte = (rng.next_u32() as usize) % 32;
    let bit = 1u8 << (rng.next_u32() % 8);
    let what = rng.next_u32() % 16;
    let l = &mut b.lines[line];
    let o = (what % 3) as usize;
    let target: &mut [u8; 32] = match what {
        0..=2 => &mut l.options[o].a,
        3..=5 => &mut l.options[o].b,
        6..=8 => &mut l.options[o].proof.c0,
        9 => &mut l.options[o].proof.c1,
        10 => &mut l.options[o].proof.z0,
        11 => &mut l.options[o].proof.z1,
        12 => &mut l.sum_proof.c,
        13 => &mut l.sum_proof.z,
        14 => {
            l.candidate.push('x');
            return format!("line {line}: candidate id");
        }
        _ => {
            let other = (line + 1) % n;
            b.lines.swap(line, other);
            return format!("lines {line} and {other} swapped");
        }
    };
    target[byte] ^= bit;
    format!("line {line}: value {what}, byte {byte}, bit {bit:#x}")
}

#[test]
fn fast_and_reference_verifiers_agree_on_random_ballots_and_random_edits() -> Result<()> {
    let setup = setup();
    let pk = setup.keys.joint();
    let mut rng = StreamRng::new("batch-agreement");
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..40 {
        let lines = 1 + (rng.next_u32() as usize) % 24;
        let honest = random_ballot(&setup, &mut rng, lines)?;
        ensure!(verify_both(pk, &context(), &honest).is_ok(), "honest ballot {round} verifies");
        accepted += 1;
        let mut edited = honest.clone();
        let what = mutate(&mut edited, &mut rng);
        // verify_both fails the test on any disagreement; count the outcomes.
        match verify_both(pk, &context(), &edited) {
            Ok(_) => ensure!(edited == honest, "edit {round} ({what}) was accepted"),
            Err(_) => refused += 1,
        }
    }
    ensure!(accepted == 40 && refused == 40, "every edit is refused: {refused} of 40");
    Ok(())
}

#[test]
fn a_box_names_each_faulty_ballot_and_accepts_the_others() -> Result<()> {
    let setup = setup();
    let pk = setup.keys.joint();
    let ctx = context();
    let mut rng = StreamRng::new("batch-box");
    let mut ballots: Vec<Ballot> =
        (0..8).map(|_| random_ballot(&setup, &mut rng, 5)).collect::<Result<_>>()?;
    ballots[2].lines[3].sum_proof.z[0] ^= 1;
    ballots[5].lines[1].options[2].proof.c1[4] ^= 0x10;
    ballots.push(encrypt_plaintexts(pk, &ctx, &[("m".into(), [1, 1, 0])], &mut OsRng)?);
    let refs: Vec<&Ballot> = ballots.iter().collect();
    let fast = verify_ballots(pk, &ctx, &refs);
    ensure!(fast.len() == ballots.len(), "one answer per ballot");
    for (k, (b, answer)) in ballots.iter().zip(&fast).enumerate() {
        let reference = verify_ballot(pk, &ctx, b);
        ensure!(same(&reference, answer), "ballot {k}: fast {answer:?}, reference {reference:?}");
    }
    let errors: Vec<(usize, String)> =
        fast.iter().enumerate().filter_map(|(k, r)| r.as_ref().err().map(|e| (k, e.to_string()))).collect();
    let line = |k: usize, i: usize| ballots[k].lines[i].candidate.clone();
    let want = [
        (2, BallotError::SumProofFails { candidate: line(2, 3) }.to_string()),
        // An edited challenge changes no digest: the proof of that very option fails.
        (5, BallotError::ZeroOneProofFails { candidate: line(5, 1), option: Choice::Abstain }.to_string()),
        (8, BallotError::SumProofFails { candidate: "m".into() }.to_string()),
    ];
    ensure!(errors == want, "the faulty ballots are named: {errors:?}");
    Ok(())
}

#[test]
fn decryption_proofs_checked_in_batches_agree_with_single_checks() -> Result<()> {
    let setup = setup();
    let ctx = context();
    let shares: Vec<_> =
        (0..3).map(|i| setup.wrapped[i].open(crate::support::PASSPHRASES[i])).collect::<Result<_, _>>()?;
    let mut rng = StreamRng::new("batch-partials");
    let ballots: Vec<Ballot> = (0..5).map(|_| random_ballot(&setup, &mut rng, 4)).collect::<Result<_>>()?;
    let verified: Vec<_> =
        ballots.iter().map(|b| verify_ballot(setup.keys.joint(), &ctx, b)).collect::<Result<_, _>>()?;
    let sums: Vec<Ciphertext> = (0..4 * 3)
        .map(|k| {
            sum_ciphertexts(&verified.iter().map(|v| v.lines[k / 3].ciphertexts[k % 3]).collect::<Vec<_>>())
        })
        .collect();
    let first = partial_decrypt_many(&shares[0], &setup.keys, &ctx, &sums)?;
    let third = partial_decrypt_many(&shares[2], &setup.keys, &ctx, &sums)?;
    let mut items: Vec<(Ciphertext, [PartialDecryption; 2], u64)> = sums
        .iter()
        .zip(first.iter().zip(&third))
        .map(|(ct, (p, q))| (*ct, [p.clone(), q.clone()], 5))
        .collect();
    // Edits: a wrong share value, a proof moved to another sum, a relabelled
    // trustee, an unknown trustee, the same trustee twice, a count above max.
    let d_of_other = serde_json::to_value(&first[1])?["d"].clone();
    items[0].1[0] = relabel(&first[0], "d", d_of_other);
    items[2].1[1] = third[3].clone();
    items[4].1[1] = relabel(&third[4], "trustee", serde_json::json!(2));
    items[6].1[0] = relabel(&first[6], "trustee", serde_json::json!(7));
    items[8].1[1] = first[8].clone();
    items[10].2 = 0;
    let mut pairs = Vec::new();
    for (ct, parts, _) in &items {
        pairs.extend(parts.iter().map(|p| (ct, p)));
    }
    let fast = verify_partials(&setup.keys, &ctx, &pairs);
    for (k, ((ct, p), answer)) in pairs.iter().zip(&fast).enumerate() {
        let reference = verify_partial(&setup.keys, &ctx, ct, p);
        ensure!(*answer == reference, "partial {k}: fast {answer:?}, reference {reference:?}");
    }
    let bad: Vec<usize> = fast.iter().enumerate().filter(|(_, r)| r.is_err()).map(|(k, _)| k).collect();
    ensure!(bad == [0, 5, 9, 12], "the four bad partials are named: {fast:?}");
    let fast = combine_many(&setup.keys, &ctx, &items);
    for (k, ((ct, parts, max), answer)) in items.iter().zip(&fast).enumerate() {
        let reference = combine(&setup.keys, &ctx, ct, parts, *max);
        ensure!(*answer == reference, "sum {k}: fast {answer:?}, reference {reference:?}");
        let edited = [0, 2, 4, 6, 8].contains(&k);
        ensure!(edited != answer.is_ok() || k == 10, "sum {k}: edited {edited}, answer {answer:?}");
    }
    let single = partial_decrypt(&shares[1], &setup.keys, &ctx, &sums[0], &mut OsRng)?;
    ensure!(verify_partials(&setup.keys, &ctx, &[(&sums[0], &single)]) == vec![Ok(())], "a lone partial");
    Ok(())
}

fn relabel(p: &PartialDecryption, field: &str, value: serde_json::Value) -> PartialDecryption {
    let mut json = serde_json::to_value(p).expect("a partial serialises");
    json[field] = value;
    serde_json::from_value(json).expect("still well-formed")
}

#[test]
fn the_fast_prover_writes_the_reference_provers_bytes() -> Result<()> {
    let setup = setup();
    let pk = setup.keys.joint();
    let mut pick = StreamRng::new("prover-lines");
    for round in 0..12 {
        let n = 1 + (pick.next_u32() as usize) % 20;
        // One-hot lines, and some that are not (a cheating prover's), in any order.
        let lines: Vec<(String, [i64; 3])> = (0..n)
            .map(|i| {
                let values = match pick.next_u32() % 5 {
                    0 => [1, 0, 0],
                    1 => [0, 1, 0],
                    2 => [0, 0, 1],
                    3 => [2, -1, 0],
                    _ => [0, 0, 0],
                };
                (format!("c-{:02}", (i * 7 + round) % 50), values)
            })
            .collect();
        let seed = format!("prover-{round}");
        let fast = encrypt_plaintexts(pk, &context(), &lines, &mut StreamRng::new(&seed));
        let reference =
            conclave_ballot::encrypt_plaintexts_reference(pk, &context(), &lines, &mut StreamRng::new(&seed));
        ensure!(fast == reference, "round {round}: the two provers differ");
    }
    Ok(())
}
