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
    report("trustee setup (3 × argon2id 64 MiB, t=3)", t);
    let t = Instant::now();
    let s1 = setup.wrapped[0].open("a")?;
    report("open one share (argon2id 64 MiB, t=3)", t);
    let s3 = setup.wrapped[2].open("c")?;
    let pk = setup.keys.joint();

    let ids: Vec<String> = (0..CANDIDATES).map(|i| format!("candidate-{i:04}")).collect();
    let vote = |v: usize| -> Vec<(String, Choice)> {
        ids.iter().enumerate().map(|(i, id)| (id.clone(), Choice::ALL[(i + v) % 3])).collect()
    };

    let t = Instant::now();
    let ballot = encrypt_ballot(pk, &ctx, &vote(0), &mut OsRng)?;
    report(&format!("encrypt + prove 1 ballot × {CANDIDATES} candidates"), t);
    let t = Instant::now();
    verify_ballot(pk, &ctx, &ballot)?;
    report(&format!("verify 1 ballot × {CANDIDATES} candidates"), t);
    println!("  JSON size {} KiB", serde_json::to_string(&ballot)?.len() / 1024);

    let t = Instant::now();
    let mut ballots = vec![ballot];
    for v in 1..VOTERS {
        ballots.push(encrypt_ballot(pk, &ctx, &vote(v), &mut OsRng)?);
    }
    report(&format!("encrypt + prove {} more ballots", VOTERS - 1), t);
    let t = Instant::now();
    let verified = ballots.iter().map(|b| verify_ballot(pk, &ctx, b)).collect::<Result<Vec<_>, _>>()?;
    report(&format!("verify {VOTERS} ballots"), t);

    let t = Instant::now();
    let sums: Vec<Ciphertext> = (0..CANDIDATES)
        .flat_map(|c| (0..3).map(move |o| (c, o)))
        .map(|(c, o)| {
            sum_ciphertexts(&verified.iter().map(|b| b.lines[c].ciphertexts[o]).collect::<Vec<_>>())
        })
        .collect();
    report(&format!("sum {VOTERS} × {CANDIDATES} × 3 ciphertexts"), t);

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
    report(&format!("partial decryptions with proofs, 2 trustees × {} sums", sums.len()), t);
    let t = Instant::now();
    let mut total = 0;
    for (k, (ct, p)) in sums.iter().zip(&parts).enumerate() {
        let count = combine(&setup.keys, &ctx, ct, p, VOTERS as u64)?;
        let (c, o) = (k / 3, k % 3);
        let expected = (0..VOTERS).filter(|v| (c + v) % 3 == o).count() as u64;
        assert_eq!(count, expected, "candidate {c} option {o}");
        total += count;
    }
    report(&format!("verify + combine + discrete log, {} sums", sums.len()), t);
    assert_eq!(total, (VOTERS * CANDIDATES) as u64);
    println!("all {} counts correct", sums.len());
    Ok(())
}

fn report(label: &str, t: Instant) {
    println!("{label:<52} {:>9.1} ms", t.elapsed().as_secs_f64() * 1000.0);
}
