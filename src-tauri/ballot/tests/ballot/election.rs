//! A whole round: voters encrypt, the box verifies, two trustees decrypt the sums.

use anyhow::{ensure, Context as _, Result};
use conclave_ballot::{
    combine, encrypt_ballot, partial_decrypt, sum_ciphertexts, verify_ballot, verify_partial, Ballot, Choice,
    Ciphertext, OsRng, PartialDecryption, TrusteeKeys,
};

use crate::support::{choices, context, setup, PASSPHRASES};

const CANDIDATES: [&str; 3] = ["alice", "bob", "carol"];

#[test]
fn five_voters_three_candidates_tally_exactly_with_every_pair_of_trustees() -> Result<()> {
    use Choice::{Abstain as X, Against as N, For as Y};
    let votes = [[Y, Y, N], [Y, N, X], [N, Y, Y], [Y, X, Y], [X, Y, N]];
    let expected: [[u64; 3]; 3] = [[3, 1, 1], [3, 1, 1], [2, 2, 1]];

    let setup = setup();
    let ctx = context();
    let mut per_option: Vec<[Vec<Ciphertext>; 3]> = vec![Default::default(); 3];
    for vote in &votes {
        let lines: Vec<(String, Choice)> =
            CANDIDATES.iter().zip(vote).map(|(c, v)| (c.to_string(), *v)).collect();
        let ballot = encrypt_ballot(setup.keys.joint(), &ctx, &lines, &mut OsRng)?;
        // What the box stores and reads back is the JSON form.
        let stored: Ballot = serde_json::from_str(&serde_json::to_string(&ballot)?)?;
        let verified = verify_ballot(setup.keys.joint(), &ctx, &stored)?;
        for (k, line) in verified.lines.iter().enumerate() {
            ensure!(line.candidate == CANDIDATES[k], "lines come sorted by candidate id");
            for (slot, ct) in per_option[k].iter_mut().zip(line.ciphertexts) {
                slot.push(ct);
            }
        }
    }
    let sums: Vec<[Ciphertext; 3]> =
        per_option.iter().map(|opts| std::array::from_fn(|o| sum_ciphertexts(&opts[o]))).collect();

    let shares =
        setup.wrapped.iter().zip(PASSPHRASES).map(|(w, p)| w.open(p)).collect::<Result<Vec<_>, _>>()?;
    for (i, j) in [(0, 1), (0, 2), (1, 2), (2, 0)] {
        for (k, candidate_sums) in sums.iter().enumerate() {
            for (o, sum) in candidate_sums.iter().enumerate() {
                let parts = [
                    partial_decrypt(&shares[i], &setup.keys, &ctx, sum, &mut OsRng)?,
                    partial_decrypt(&shares[j], &setup.keys, &ctx, sum, &mut OsRng)?,
                ];
                let count = combine(&setup.keys, &ctx, sum, &parts, votes.len() as u64)
                    .with_context(|| format!("trustees {} and {}", i + 1, j + 1))?;
                ensure!(
                    count == expected[k][o],
                    "trustees {} and {} must find {} {:?} votes for {}, found {count}",
                    i + 1,
                    j + 1,
                    expected[k][o],
                    Choice::ALL[o],
                    CANDIDATES[k]
                );
            }
        }
    }
    Ok(())
}

#[test]
fn the_sum_of_no_ballots_decrypts_to_zero() -> Result<()> {
    let setup = setup();
    let ctx = context();
    let empty = sum_ciphertexts(&[]);
    let s1 = setup.wrapped[0].open(PASSPHRASES[0])?;
    let s3 = setup.wrapped[2].open(PASSPHRASES[2])?;
    let parts = [
        partial_decrypt(&s1, &setup.keys, &ctx, &empty, &mut OsRng)?,
        partial_decrypt(&s3, &setup.keys, &ctx, &empty, &mut OsRng)?,
    ];
    ensure!(combine(&setup.keys, &ctx, &empty, &parts, 10)? == 0, "an empty box counts 0");
    Ok(())
}

#[test]
fn keys_ciphertexts_and_partial_decryptions_round_trip_through_json() -> Result<()> {
    let setup = setup();
    let ctx = context();
    let ballot = encrypt_ballot(setup.keys.joint(), &ctx, &choices(&[("c", Choice::For)]), &mut OsRng)?;
    let verified = verify_ballot(setup.keys.joint(), &ctx, &ballot)?;
    let ct = verified.lines[0].ciphertexts[0];

    let keys: TrusteeKeys = serde_json::from_str(&serde_json::to_string(&setup.keys)?)?;
    ensure!(keys == setup.keys, "trustee keys survive JSON");
    let ct2: Ciphertext = serde_json::from_str(&serde_json::to_string(&ct)?)?;
    ensure!(ct2 == ct, "a ciphertext survives JSON");
    let share = setup.wrapped[1].open(PASSPHRASES[1])?;
    let part = partial_decrypt(&share, &keys, &ctx, &ct, &mut OsRng)?;
    let part2: PartialDecryption = serde_json::from_str(&serde_json::to_string(&part)?)?;
    ensure!(part2 == part, "a partial decryption survives JSON");
    verify_partial(&keys, &ctx, &ct, &part2)?;
    Ok(())
}
