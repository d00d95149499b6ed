//! Timings for one large round: `cargo run --release -p conclave-ballot --example bench_ballot`.
//!
//! One 300-candidate ballot encrypted, proven and verified; 40 such ballots
//! summed per candidate and option; all 900 sums decrypted by two trustees
//! (partial decryptions with proofs, then combined, proofs checked again).

use std::time::Instant;

use conclave_ballot::{
    combine, encrypt_ballot, partial_decrypt, sum_ciphertexts, verify_ballot, Choice, Ciphertext, Context,
    KdfParams, OsRng, TrusteeSetup,
};

const CANDIDATES: usize = 300;
const VOTERS: usize = 40;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = Context::new("bench-meeting", 1);
    let t = Instant::now();
    let setup = TrusteeSetup::generate(&ctx.meeting_id, ["a", "b", "c"], KdfParams::RECOMMENDED, &mut OsRng)?;
    println!("trustee setup (3 × argon2id 64 MiB, t=3)     {:>8.1} ms", ms(t));
    let t = Instant::now();
    let s1 = setup.wrapped[0].open("a")?;
    println!("open one share (argon2id 64 MiB, t=3)        {:>8.1} ms", ms(t));
    let s3 = setup.wrapped[2].open("c")?;
    let pk = setup.keys.joint();

    let ids: Vec<String> = (0..CANDIDATES).map(|i| format!("candidate-{i:04}")).collect();
    let vote = |v: usize| -> Vec<(String, Choice)> {
        ids.iter().enumerate().map(|(i, id)| (id.clone(), Choice::ALL[(i + v) % 3])).collect()
    };

    let t = Instant::now();
    let ballot = encrypt_ballot(pk, &ctx, &vote(0), &mut OsRng)?;
    println!("encrypt + prove 1 ballot × {CANDIDATES} candidates     {:>8.1} ms", ms(t));
    let t = Instant::now();
    verify_ballot(pk, &ctx, &ballot)?;
    println!("verify 1 ballot × {CANDIDATES} candidates              {:>8.1} ms", ms(t));
    println!("  JSON size {} KiB", serde_json::to_string(&ballot)?.len() / 1024);

    let t = Instant::now();
    let mut ballots = vec![ballot];
    for v in 1..VOTERS {
        ballots.push(encrypt_ballot(pk, &ctx, &vote(v), &mut OsRng)?);
    }
    println!("encrypt {VOTERS} more… ({} more ballots)               {:>8.1} ms", VOTERS - 1, ms(t));
    let t = Instant::now();
    let verified = ballots.iter().map(|b| verify_ballot(pk, &ctx, b)).collect::<Result<Vec<_>, _>>()?;
    println!("verify {VOTERS} ballots                            {:>8.1} ms", ms(t));

    let t = Instant::now();
    let sums: Vec<Ciphertext> = (0..CANDIDATES)
        .flat_map(|c| (0..3).map(move |o| (c, o)))
        .map(|(c, o)| {
            sum_ciphertexts(&verified.iter().map(|b| b.lines[c].ciphertexts[o]).collect::<Vec<_>>())
        })
        .collect();
    println!("sum {VOTERS} × {CANDIDATES} × 3 ciphertexts                  {:>8.1} ms", ms(t));

    let t = Instant::now();
    let parts: Vec<_> = sums
        .iter()
        .map(|ct| {
            Ok([
                partial_decrypt(&s1, &setup.keys, &ctx, ct, &mut OsRng)?,
                partial_decrypt(&s3, &setup.keys, &ctx, ct, &mut OsRng)?,
            ])
        })
        .collect::<Result<_, conclave_ballot::TallyError>>()?;
    println!("partial decryptions, 2 trustees × {} sums     {:>8.1} ms", sums.len(), ms(t));
    let t = Instant::now();
    let mut total = 0;
    for (k, (ct, p)) in sums.iter().zip(&parts).enumerate() {
        let count = combine(&setup.keys, &ctx, ct, p, VOTERS as u64)?;
        let (c, o) = (k / 3, k % 3);
        let expected = (0..VOTERS).filter(|v| (c + v) % 3 == o).count() as u64;
        assert_eq!(count, expected, "candidate {c} option {o}");
        total += count;
    }
    println!("verify + combine + discrete log, {} sums      {:>8.1} ms", sums.len(), ms(t));
    assert_eq!(total, (VOTERS * CANDIDATES) as u64);
    println!("all {} counts correct", sums.len());
    Ok(())
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
