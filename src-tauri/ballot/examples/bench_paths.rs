//! The reference prover and verifier against the fast ones, crypto only, in
//! the same run: the best of several interleaved runs each, which is what a
//! shared machine can measure (the others' load only ever adds time).
//! `cargo run --release -p conclave-ballot --example bench_paths`; set
//! `RAYON_NUM_THREADS=1` to see the gain on one core alone.

use std::time::{Duration, Instant};

use conclave_ballot::{
    encrypt_ballot, encrypt_plaintexts, encrypt_plaintexts_reference, verify_ballot, verify_ballot_fast,
    verify_ballots, Ballot, Choice, Context, KdfParams, OsRng, TrusteeSetup,
};

const CANDIDATES: usize = 300;
const BOX: usize = 8;

fn time(f: &mut dyn FnMut()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = Context::new("bench-meeting", 1);
    let setup =
        TrusteeSetup::generate(&ctx.meeting_id, ["a", "b", "c"], KdfParams::INSECURE_FOR_TESTS, &mut OsRng)?;
    let pk = setup.keys.joint();
    let lines: Vec<(String, Choice)> =
        (0..CANDIDATES).map(|i| (format!("candidate-{i:04}"), Choice::ALL[i % 3])).collect();
    let plain: Vec<(String, [i64; 3])> =
        lines.iter().map(|(c, x)| (c.clone(), Choice::ALL.map(|o| i64::from(o == *x)))).collect();
    let ballot = encrypt_ballot(pk, &ctx, &lines, &mut OsRng)?;
    // Interleaved: each round runs every variant once; each keeps its best.
    let mut t = [Duration::MAX; 6];
    let boxed: Vec<Ballot> =
        (0..BOX).map(|_| encrypt_ballot(pk, &ctx, &lines, &mut OsRng)).collect::<Result<_, _>>()?;
    let refs: Vec<&Ballot> = boxed.iter().collect();
    for round in 0..9 {
        t[0] = t[0].min(time(&mut || drop(encrypt_plaintexts_reference(pk, &ctx, &plain, &mut OsRng))));
        t[1] = t[1].min(time(&mut || drop(encrypt_plaintexts(pk, &ctx, &plain, &mut OsRng))));
        t[2] = t[2].min(time(&mut || drop(verify_ballot(pk, &ctx, &ballot))));
        t[3] = t[3].min(time(&mut || drop(verify_ballot_fast(pk, &ctx, &ballot))));
        if round % 3 == 0 {
            t[4] = t[4].min(time(&mut || boxed.iter().for_each(|b| drop(verify_ballot(pk, &ctx, b)))));
            t[5] = t[5].min(time(&mut || drop(verify_ballots(pk, &ctx, &refs))));
        }
    }
    let [enc_ref, enc_new, ver_ref, ver_new, box_ref, box_new] = t;
    let threads = std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "all".into());
    println!("{CANDIDATES} lines per ballot; best of interleaved runs; rayon threads: {threads}");
    let row = |label: &str, today: Duration, new: Duration| {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!("{label:<44} {:>8.1} ms {:>8.1} ms {:>6.2}x", ms(today), ms(new), ms(today) / ms(new));
    };
    println!("{:<44} {:>11} {:>11} {:>7}", "", "reference", "fast", "ratio");
    row("encrypt + prove one ballot", enc_ref, enc_new);
    row("verify one ballot", ver_ref, ver_new);
    row("encrypt + prove + verify (a station cast)", enc_ref + ver_ref, enc_new + ver_new);
    row(&format!("verify a box of {BOX} (reference on one core)"), box_ref, box_new);
    Ok(())
}
