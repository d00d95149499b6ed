//! Closing a station round's box and counting it: the box root over the
//! sorted trackers goes into the audit chain at close; two trustees'
//! passphrases then decrypt only the per-candidate sums, with proofs, and the
//! counts become the round's results.

use crate::api::{session, trustees};
use crate::audit;
use crate::domain::rules::count;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use conclave_ballot::{Ballot, Ciphertext, Context, PartialDecryption, Tracker, TrusteeKeys};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod decrypt;

pub use decrypt::recombine;

/// One candidate's decryption record, kept for the auditor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Decryption {
    /// Ballots with a line for this candidate.
    pub ballots: u32,
    /// Summed ciphertexts for, against, abstain.
    pub sums: [Ciphertext; 3],
    /// Two trustees' partial decryptions of each sum, with proofs.
    pub partials: [[PartialDecryption; 2]; 3],
    /// The counts for, against, abstain.
    pub counts: [u32; 3],
}

/// The proof context of `round` in this meeting.
pub fn context(conn: &Connection, round: i64) -> Result<Context> {
    Ok(Context::new(trustees::meeting_id(conn)?, round_u32(round)?))
}

/// The round's ballots as stored (random-key order).
pub fn ballots(conn: &Connection, round: i64) -> Result<Vec<(String, Ballot)>> {
    store::ballot_box::sealed_ballots(conn, round)
}

/// The round's trackers as the box lists them (each was checked against its
/// ballot when cast; the auditor recomputes them from the ballots).
fn stored_trackers(conn: &Connection, round: i64) -> Result<Vec<Tracker>> {
    let rows = store::ballot_box::sealed_trackers(conn, round)?;
    rows.iter()
        .map(|h| {
            let bytes: Option<[u8; 32]> = hex::decode(h).ok().and_then(|b| b.try_into().ok());
            bytes.map(Tracker::from_bytes).ok_or_else(|| {
                Error::Integrity(Msg::StoredRowInvalid {
                    table: "sealed_ballot".into(),
                    key: h.clone(),
                    detail: "tracker".into(),
                })
            })
        })
        .collect()
}

/// Every tracker of the round, sorted (as the minutes list them), short form.
pub fn trackers(conn: &Connection, round: i64) -> Result<Vec<String>> {
    let mut out: Vec<String> = stored_trackers(conn, round)?.iter().map(Tracker::short).collect();
    out.sort();
    Ok(out)
}

/// The box root of the round's ballots: SHA-256 over the sorted trackers.
pub fn box_root(conn: &Connection, round: i64) -> Result<String> {
    Ok(hex::encode(conclave_ballot::box_root(&stored_trackers(conn, round)?)))
}

/// Closes an open station round's box: no more ballots; the box root goes
/// into the audit chain. Counting needs two trustees ([`tally_round`]).
pub(crate) fn seal_box(tx: &rusqlite::Transaction, round: i64) -> Result<String> {
    match store::round::closed_at(tx, round)? {
        None => return Err(Error::NotFound(Msg::RoundNotFound { id: round })),
        Some(Some(_)) => return Err(Error::invalid("round", Msg::RoundNotOpen { id: round })),
        Some(None) => {}
    }
    let root = box_root(tx, round)?;
    let n = store::ballot_box::sealed_count(tx, round)?;
    store::round::close_box(tx, round, &session::now(), &root)?;
    audit::append(tx, "round.close", &serde_json::json!({ "round": round, "ballots": n, "box_root": root }))?;
    Ok(root)
}

/// A box summed after checking every ballot: per candidate the summed
/// ciphertexts and the number of ballots with a line for them, every
/// tracker, and the ballots whose proofs fail.
#[derive(Debug, Default)]
pub struct BoxSums {
    pub sums: BTreeMap<String, ([Ciphertext; 3], u64)>,
    pub trackers: Vec<Tracker>,
    pub refused: Vec<(Tracker, String)>,
}

impl BoxSums {
    /// The same ballot (tracker) more than once.
    pub fn has_duplicates(&self) -> bool {
        let mut t = self.trackers.clone();
        t.sort();
        t.dedup();
        t.len() != self.trackers.len()
    }

    pub fn root(&self) -> String {
        hex::encode(conclave_ballot::box_root(&self.trackers))
    }
}

/// Verifies every ballot of a box and sums the valid ones; used by the tally
/// (which refuses any problem) and by the archive's recount (which lists them).
/// The proofs are checked on every core ([`conclave_ballot::verify_ballots`]).
pub fn sum_box<'a>(
    keys: &TrusteeKeys,
    ctx: &Context,
    ballots: impl IntoIterator<Item = &'a Ballot>,
) -> BoxSums {
    let ballots: Vec<&Ballot> = ballots.into_iter().collect();
    let mut out = BoxSums::default();
    for (b, checked) in ballots.iter().zip(conclave_ballot::verify_ballots(keys.joint(), ctx, &ballots)) {
        match checked {
            Ok(v) => {
                out.trackers.push(v.tracker);
                for line in v.lines {
                    let e = out.sums.entry(line.candidate).or_insert(([Ciphertext::zero(); 3], 0));
                    for (acc, ct) in e.0.iter_mut().zip(line.ciphertexts) {
                        *acc = *acc + ct;
                    }
                    e.1 += 1;
                }
            }
            Err(e) => out.refused.push((b.tracker(), e.to_string())),
        }
    }
    out
}

/// The round number as the proofs bind it.
pub fn round_u32(round: i64) -> Result<u32> {
    u32::try_from(round).map_err(|_| Error::NotFound(Msg::RoundNotFound { id: round }))
}

/// Counts a closed station round with two trustees' passphrases: opens their
/// shares (a wrong passphrase changes nothing), checks the whole box (every
/// proof, no ballot twice, the root logged at close, as many ballots per
/// candidate as eligible members who voted), decrypts only the sums, with
/// proofs, and records the results.
pub fn tally_round(conn: &mut Meeting, round: i64, trustees_in: [(&str, &str); 2]) -> Result<()> {
    if trustees_in[0].0.trim() == trustees_in[1].0.trim() {
        return Err(Error::invalid(
            "trustees",
            Msg::SameTrusteeTwice { name: trustees_in[0].0.trim().into() },
        ));
    }
    // Argon2id takes a while: the shares are opened before the write lock,
    // both at once (each at its full cost).
    let [(t1, s1), (t2, s2)] = trustees::open_two_shares(conn, trustees_in)?;
    let tx = conn.write()?;
    let Some(row) = store::round::get(&tx, round)? else {
        return Err(Error::NotFound(Msg::RoundNotFound { id: round }));
    };
    let (closed, present, mode, sealed, stored_root) =
        (row.closed_at, row.present, row.mode, row.sealed, row.box_root);
    if mode == "paper" || sealed == 0 {
        return Err(Error::invalid("round", Msg::NotSealedRound { id: round }));
    }
    if closed.is_none() {
        return Err(Error::invalid("round", Msg::TallyBeforeClose { id: round }));
    }
    if store::ballot_box::is_counted(&tx, round)? {
        return Err(Error::invalid("round", Msg::AlreadyTallied { id: round }));
    }
    let keys = trustees::require_keys(&tx)?;
    let ctx = context(&tx, round)?;
    let (rules, _) = session::rules(&tx)?;

    // The box, checked before anything is decrypted: a ballot slipped in
    // after a member's ciphertext was copied would otherwise shift the total.
    let stored = ballots(&tx, round)?;
    let summed = sum_box(&keys, &ctx, stored.iter().map(|(_, b)| b));
    let logged_root = logged_box_root(&tx, round)?;
    let root = summed.root();
    if let Some(detail) = box_fault(&stored, &summed, [stored_root.as_deref(), logged_root.as_deref()]) {
        return Err(Error::Integrity(Msg::TallyFailed { candidate: format!("#{round}"), detail }));
    }
    // Every ballot entered the chain when it was cast: a ballot replaced,
    // added or dropped since is not counted.
    let boxed: Vec<Tracker> = stored.iter().map(|(_, b)| b.tracker()).collect();
    if let Some(detail) = casts_differ(&chained_casts(&tx, round)?, &boxed) {
        return Err(Error::Integrity(Msg::ArchiveCastsDiffer { detail }));
    }
    let candidates = crate::api::voting::round_candidates(&tx, round)?;
    // Per candidate, the members eligible for them who are on the register.
    let voted = store::ballot_box::voted_eligible(&tx, round)?;
    let eligible = crate::api::voting::eligible_counts(&tx, round)?;
    let mut sums = Vec::with_capacity(candidates.len());
    for c in &candidates {
        let (cts, ballots) = summed.sums.get(c).copied().unwrap_or(([Ciphertext::zero(); 3], 0));
        if ballots != voted.get(c).copied().unwrap_or(0) {
            let detail =
                format!("{ballots} ballots, {} eligible members voted", voted.get(c).copied().unwrap_or(0));
            return Err(Error::Integrity(Msg::TallyFailed { candidate: c.clone(), detail }));
        }
        sums.push((c.as_str(), cts, ballots));
    }
    let records = decrypt::decrypt_all(&sums, [&s1, &s2], &keys, &ctx)?;
    let mut summary = Vec::new();
    for (c, record) in candidates.iter().zip(records) {
        let counts = record.counts;
        let present = u32::try_from(present).map_err(|e| {
            Error::Integrity(Msg::StoredRowInvalid {
                table: "round".into(),
                key: round.to_string(),
                detail: e.to_string(),
            })
        })?;
        let t =
            count(&rules, present, eligible.get(c).copied().unwrap_or(0), counts[0], counts[1], counts[2]);
        store::ballot_box::add_decryption(&tx, round, c, &serde_json::to_string(&record)?)?;
        store::ballot_box::add_result(&tx, round, c, &t)?;
        summary.push(serde_json::json!({ "candidate": c, "tally": t }));
    }
    audit::append(
        &tx,
        "round.tally",
        &serde_json::json!({
            "round": round, "box_root": root, "trustees": [t1.name, t2.name], "results": summary,
        }),
    )?;
    tx.commit()?;
    tracing::info!(round, "round tallied");
    Ok(())
}

/// The box against the chain's cast entries: one entry per ballot, and
/// where the entries carry trackers, the same trackers one for one. `None`
/// when they agree, else what differs.
pub(crate) fn casts_differ(chained: &[Option<String>], boxed: &[conclave_ballot::Tracker]) -> Option<String> {
    if chained.len() != boxed.len() {
        return Some(format!("{} / {}", boxed.len(), chained.len()));
    }
    if chained.iter().all(Option::is_none) {
        return None; // an older version's chain: the count is what it recorded
    }
    let mut chained: Vec<&str> = chained.iter().map(|t| t.as_deref().unwrap_or("")).collect();
    let mut boxed: Vec<String> = boxed.iter().map(|t| t.to_hex()).collect();
    chained.sort_unstable();
    boxed.sort_unstable();
    let missing: Vec<String> = boxed
        .iter()
        .filter(|t| chained.binary_search(&t.as_str()).is_err())
        .map(|t| t.get(..8).unwrap_or(t).to_uppercase())
        .collect();
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// Round `round`'s cast entries in the chain, each with its tracker (hex).
fn chained_casts(conn: &Connection, round: i64) -> Result<Vec<Option<String>>> {
    let mut out = Vec::new();
    for d in store::audit::details_of_kind(conn, "ballot.cast")? {
        let d: serde_json::Value = serde_json::from_str(&d)?;
        if d.get("round").and_then(|r| r.as_i64()) == Some(round) {
            out.push(d.get("tracker").and_then(|t| t.as_str()).map(str::to_string));
        }
    }
    Ok(out)
}

/// What is wrong with a box before anything is decrypted: a ballot refused,
/// one twice or under another tracker, or a root other than the one stored
/// and logged at close (`roots`).
fn box_fault(stored: &[(String, Ballot)], summed: &BoxSums, roots: [Option<&str>; 2]) -> Option<String> {
    let root = summed.root();
    if let Some((t, why)) = summed.refused.first() {
        Some(format!("{}: {why}", t.short()))
    } else if summed.has_duplicates() || stored.iter().any(|(t, b)| b.tracker().to_hex() != *t) {
        Some("a ballot is in the box twice, or under another tracker".into())
    } else if roots.iter().any(|r| *r != Some(root.as_str())) {
        Some("the box root differs from the one recorded at close".into())
    } else {
        None
    }
}

/// The box root the audit chain recorded when the round closed (the first
/// such entry: a later one appended by hand does not replace it).
fn logged_box_root(conn: &Connection, round: i64) -> Result<Option<String>> {
    let rows = store::audit::details_of_kind(conn, "round.close")?;
    Ok(rows
        .iter()
        .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .find(|d| d.get("round").and_then(|x| x.as_i64()) == Some(round))
        .and_then(|d| d.get("box_root").and_then(|x| x.as_str()).map(str::to_string)))
}
