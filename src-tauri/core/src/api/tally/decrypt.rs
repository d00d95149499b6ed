//! The trustees' part of the tally: every sum of a round decrypted by two
//! shares, each with its proof, and combined into counts, on every core.

use super::Decryption;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use conclave_ballot::{Ciphertext, Context, PartialDecryption, ShareSecret, TallyError, TrusteeKeys};
use std::collections::BTreeMap;

/// Each candidate's three sums (of `ballots` ballots), in the order given,
/// decrypted by the two shares and combined (every proof checked). A
/// failure names the first candidate, in that order, whose count fails.
pub(super) fn decrypt_all(
    sums: &[(&str, [Ciphertext; 3], u64)],
    shares: [&ShareSecret; 2],
    keys: &TrusteeKeys,
    ctx: &Context,
) -> Result<Vec<Decryption>> {
    let cts: Vec<Ciphertext> = sums.iter().flat_map(|(_, cts, _)| *cts).collect();
    // A share that cannot decrypt fails on the first sum it is given.
    let first_candidate = sums.first().map_or("", |s| s.0);
    let [first, second] = shares.map(|share| conclave_ballot::partial_decrypt_many(share, keys, ctx, &cts));
    let (first, second) = (
        first.map_err(|e| tally_failed(first_candidate, &e))?,
        second.map_err(|e| tally_failed(first_candidate, &e))?,
    );
    let items: Vec<(Ciphertext, [PartialDecryption; 2], u64)> = cts
        .iter()
        .zip(first.into_iter().zip(second))
        .enumerate()
        .map(|(k, (ct, (p1, p2)))| (*ct, [p1, p2], sums[k / 3].2))
        .collect();
    let counted = conclave_ballot::combine_many(keys, ctx, &items);
    let mut out = Vec::with_capacity(sums.len());
    for (((c, cts, ballots), parts), counts) in sums.iter().zip(items.chunks(3)).zip(counted.chunks(3)) {
        let mut n = [0u32; 3];
        for (k, count) in counts.iter().enumerate() {
            n[k] = count.clone().map_err(|e| tally_failed(c, &e))? as u32;
        }
        let partials = [0, 1, 2].map(|k| parts[k].1.clone());
        out.push(Decryption { ballots: *ballots as u32, sums: *cts, partials, counts: n });
    }
    Ok(out)
}

fn tally_failed(candidate: &str, e: &conclave_ballot::TallyError) -> Error {
    Error::Integrity(Msg::TallyFailed { candidate: candidate.into(), detail: e.to_string() })
}

/// The auditor's recount of stored decryptions: for each candidate with a
/// record, the count [`conclave_ballot::combine`] recovers from each of its
/// three partial-decryption pairs against the sums recomputed from the box
/// (`sums`: per candidate the three sums and the number of ballots), every
/// proof checked on every core.
pub fn recombine(
    keys: &TrusteeKeys,
    ctx: &Context,
    sums: &BTreeMap<String, ([Ciphertext; 3], u64)>,
    records: &BTreeMap<String, Decryption>,
) -> BTreeMap<String, [std::result::Result<u64, TallyError>; 3]> {
    let mut items = Vec::with_capacity(3 * records.len());
    for (c, d) in records {
        let (cts, n) = sums.get(c).copied().unwrap_or(([Ciphertext::zero(); 3], 0));
        items.extend((0..3).map(|k| (cts[k], d.partials[k].clone(), n)));
    }
    let mut counted = conclave_ballot::combine_many(keys, ctx, &items).into_iter();
    records
        .keys()
        .map(|c| {
            let mut next = || counted.next().unwrap_or(Err(TallyError::CountNotFound { max: 0 }));
            (c.clone(), [next(), next(), next()])
        })
        .collect()
}
