//! Today's code path and the new one, timed in the same run on the same
//! meeting: the proofs one at a time (the reference prover and verifier,
//! the box checked on one thread per core, decryptions one after another)
//! against the fast ones the api now calls.

use conclave_ballot::{
    Ballot, Choice, Ciphertext, Context, OsRng, PartialDecryption, ShareSecret, TallyError, TrusteeKeys,
};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Wall-clock time and the process's CPU time (all threads) of a piece of
/// work: on a shared machine the wall clock depends on the others' load,
/// the CPU time much less.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timing {
    pub wall: Duration,
    pub cpu: Duration,
}

impl std::ops::AddAssign for Timing {
    fn add_assign(&mut self, o: Timing) {
        self.wall += o.wall;
        self.cpu += o.cpu;
    }
}

impl std::ops::Div<u32> for Timing {
    type Output = Timing;
    fn div(self, n: u32) -> Timing {
        Timing { wall: self.wall / n, cpu: self.cpu / n }
    }
}

/// A running measurement; [`Clock::stop`] gives its [`Timing`].
pub struct Clock(Instant, Duration);

impl Clock {
    pub fn start() -> Clock {
        Clock(Instant::now(), cpu_time())
    }

    pub fn stop(self) -> Timing {
        Timing { wall: self.0.elapsed(), cpu: cpu_time().saturating_sub(self.1) }
    }
}

/// utime + stime of this process from /proc/self/stat (clock ticks of 10 ms).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0)).collect();
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

type Sums = BTreeMap<String, ([Ciphertext; 3], u64)>;

/// The crypto of one station cast (encrypt, prove, verify) of `lines`,
/// each path `runs` times, interleaved: (today, new), per cast.
pub fn cast(keys: &TrusteeKeys, ctx: &Context, candidates: &[String], runs: u32) -> (Timing, Timing) {
    let lines: Vec<(String, [i64; 3])> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clone(), Choice::ALL.map(|o| i64::from(o == Choice::ALL[i % 3]))))
        .collect();
    let pk = keys.joint();
    let (mut today, mut new) = (Timing::default(), Timing::default());
    for _ in 0..runs {
        let t = Clock::start();
        let b = conclave_ballot::encrypt_plaintexts_reference(pk, ctx, &lines, &mut OsRng).expect("encrypts");
        conclave_ballot::verify_ballot(pk, ctx, &b).expect("verifies");
        today += t.stop();
        let t = Clock::start();
        let b = conclave_ballot::encrypt_plaintexts(pk, ctx, &lines, &mut OsRng).expect("encrypts");
        conclave_ballot::verify_ballot_fast(pk, ctx, &b).expect("verifies");
        new += t.stop();
    }
    (today / runs, new / runs)
}

/// Today's box check: the ballots split over one thread per core, each
/// verified by the reference verifier, then summed.
pub fn sum_box_today(keys: &TrusteeKeys, ctx: &Context, ballots: &[&Ballot]) -> Sums {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = ballots.len().div_ceil(threads).max(1);
    let parts: Vec<Sums> = std::thread::scope(|scope| {
        let handles: Vec<_> = ballots
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut sums = Sums::new();
                    for b in part {
                        let v = conclave_ballot::verify_ballot(keys.joint(), ctx, b).expect("a valid box");
                        for line in v.lines {
                            add(&mut sums, line.candidate, line.ciphertexts, 1);
                        }
                    }
                    sums
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("no checker panics")).collect()
    });
    let mut out = Sums::new();
    for part in parts {
        for (c, (cts, n)) in part {
            add(&mut out, c, cts, n);
        }
    }
    out
}

fn add(sums: &mut Sums, candidate: String, cts: [Ciphertext; 3], n: u64) {
    let e = sums.entry(candidate).or_insert(([Ciphertext::zero(); 3], 0));
    for (acc, ct) in e.0.iter_mut().zip(cts) {
        *acc = *acc + ct;
    }
    e.1 += n;
}

/// The box check and the decryptions of a tally, today's way and the new
/// way (argon2id excluded: timed apart). Returns (today, new).
pub fn tally(
    keys: &TrusteeKeys,
    ctx: &Context,
    ballots: &[&Ballot],
    shares: [&ShareSecret; 2],
) -> (Timing, Timing) {
    let t = Clock::start();
    let sums = sum_box_today(keys, ctx, ballots);
    for (cts, n) in sums.values() {
        for ct in cts {
            let p1 = conclave_ballot::partial_decrypt(shares[0], keys, ctx, ct, &mut OsRng).expect("share");
            let p2 = conclave_ballot::partial_decrypt(shares[1], keys, ctx, ct, &mut OsRng).expect("share");
            conclave_ballot::combine(keys, ctx, ct, &[p1, p2], *n).expect("counts");
        }
    }
    let today = t.stop();
    let t = Clock::start();
    let summed = conclave_core::api::tally::sum_box(keys, ctx, ballots.iter().copied());
    assert!(summed.refused.is_empty(), "a valid box");
    let cts: Vec<Ciphertext> = summed.sums.values().flat_map(|(cts, _)| *cts).collect();
    let [p1, p2] = shares.map(|s| conclave_ballot::partial_decrypt_many(s, keys, ctx, &cts).expect("share"));
    let ns: Vec<u64> = summed.sums.values().flat_map(|(_, n)| [*n; 3]).collect();
    let items: Vec<(Ciphertext, [PartialDecryption; 2], u64)> =
        cts.iter().zip(p1.into_iter().zip(p2)).zip(ns).map(|((ct, (a, b)), n)| (*ct, [a, b], n)).collect();
    let counted = conclave_ballot::combine_many(keys, ctx, &items);
    assert!(counted.iter().all(Result::is_ok), "every sum counts");
    (today, t.stop())
}

/// The recount of an archive's round: every ballot's proofs and every stored
/// decryption proof (`records`: per candidate, three pairs). (today, new).
pub fn recount(
    keys: &TrusteeKeys,
    ctx: &Context,
    ballots: &[&Ballot],
    records: &BTreeMap<String, [[PartialDecryption; 2]; 3]>,
) -> (Timing, Timing) {
    let check =
        |counted: Vec<Result<u64, TallyError>>| assert!(counted.iter().all(Result::is_ok), "recounts");
    let t = Clock::start();
    let sums = sum_box_today(keys, ctx, ballots);
    let mut counted = Vec::new();
    for (c, parts) in records {
        let (cts, n) = sums[c];
        counted.extend((0..3).map(|k| conclave_ballot::combine(keys, ctx, &cts[k], &parts[k], n)));
    }
    check(counted);
    let today = t.stop();
    let t = Clock::start();
    let summed = conclave_core::api::tally::sum_box(keys, ctx, ballots.iter().copied());
    let mut items = Vec::new();
    for (c, parts) in records {
        let (cts, n) = summed.sums[c];
        items.extend((0..3).map(|k| (cts[k], parts[k].clone(), n)));
    }
    check(conclave_ballot::combine_many(keys, ctx, &items));
    (today, t.stop())
}
