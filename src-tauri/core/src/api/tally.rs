//! Closing a station round's box and counting it: the box root over the
//! sorted trackers goes into the audit chain at close; two trustees'
//! passphrases then decrypt only the per-candidate sums, with proofs, and the
//! counts become the round's results.

use crate::api::{session, trustees};
use crate::audit;
use crate::domain::rules::count;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use conclave_ballot::{Ballot, Ciphertext, Context, OsRng, PartialDecryption, Tracker};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    Ok(Context::new(trustees::meeting_id(conn)?, round as u32))
}

/// The round's ballots as stored (random-key order).
pub fn ballots(conn: &Connection, round: i64) -> Result<Vec<(String, Ballot)>> {
    let mut stmt = conn.prepare("SELECT tracker, data FROM sealed_ballot WHERE round_id = ?1")?;
    let rows = stmt
        .query_map([round], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(tracker, data)| {
            let b: Ballot = crate::store::parse_row("sealed_ballot", &tracker, &data)?;
            Ok((tracker, b))
        })
        .collect()
}

/// The round's trackers as the box lists them (each was checked against its
/// ballot when cast; the auditor recomputes them from the ballots).
fn stored_trackers(conn: &Connection, round: i64) -> Result<Vec<Tracker>> {
    let mut stmt = conn.prepare("SELECT tracker FROM sealed_ballot WHERE round_id = ?1")?;
    let rows = stmt.query_map([round], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
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
    let closed: Option<Option<String>> =
        tx.query_row("SELECT closed_at FROM round WHERE id = ?1", [round], |r| r.get(0)).optional()?;
    match closed {
        None => return Err(Error::NotFound(Msg::RoundNotFound { id: round })),
        Some(Some(_)) => return Err(Error::invalid("round", Msg::RoundNotOpen { id: round })),
        Some(None) => {}
    }
    let root = box_root(tx, round)?;
    let n: i64 =
        tx.query_row("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", [round], |r| r.get(0))?;
    tx.execute(
        "UPDATE round SET closed_at = ?1, box_root = ?2 WHERE id = ?3",
        params![session::now(), root, round],
    )?;
    audit::append(tx, "round.close", &serde_json::json!({ "round": round, "ballots": n, "box_root": root }))?;
    Ok(root)
}

/// Counts a closed station round with two trustees' passphrases: opens their
/// shares (a wrong passphrase changes nothing), sums each candidate's
/// ciphertexts, decrypts the sums with proofs, and records the results.
pub fn tally_round(conn: &mut Connection, round: i64, trustees_in: [(&str, &str); 2]) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let row: Option<(Option<String>, i64, String, i64)> = tx
        .query_row("SELECT closed_at, present, mode, sealed FROM round WHERE id = ?1", [round], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((closed, present, mode, sealed)) = row else {
        return Err(Error::NotFound(Msg::RoundNotFound { id: round }));
    };
    if mode == "paper" || sealed == 0 {
        return Err(Error::invalid("round", Msg::NotSealedRound { id: round }));
    }
    if closed.is_none() {
        return Err(Error::invalid("round", Msg::TallyBeforeClose { id: round }));
    }
    let done: i64 = tx.query_row("SELECT count(*) FROM result WHERE round_id = ?1", [round], |r| r.get(0))?;
    if done > 0 {
        return Err(Error::invalid("round", Msg::AlreadyTallied { id: round }));
    }
    if trustees_in[0].0.trim() == trustees_in[1].0.trim() {
        return Err(Error::invalid(
            "trustees",
            Msg::SameTrusteeTwice { name: trustees_in[0].0.trim().into() },
        ));
    }
    let keys = trustees::require_keys(&tx)?;
    let (t1, s1) = trustees::open_share(&tx, trustees_in[0].0, trustees_in[0].1)?;
    let (t2, s2) = trustees::open_share(&tx, trustees_in[1].0, trustees_in[1].1)?;
    let ctx = context(&tx, round)?;
    let (rules, _) = session::rules(&tx)?;
    let candidates: Vec<String> = {
        let mut stmt =
            tx.prepare("SELECT candidate_id FROM round_candidate WHERE round_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([round], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let eligible = crate::api::voting::eligible_counts(&tx, round)?;
    // Sum every candidate's ciphertexts per option.
    let mut sums: BTreeMap<String, ([Ciphertext; 3], u32)> = BTreeMap::new();
    for (tracker, ballot) in ballots(&tx, round)? {
        if ballot.tracker().to_hex() != tracker {
            return Err(Error::Integrity(Msg::StoredRowInvalid {
                table: "sealed_ballot".into(),
                key: tracker,
                detail: "the tracker is not the ballot's hash".into(),
            }));
        }
        let lines = conclave_ballot::ballot_ciphertexts(&ballot).map_err(|e| {
            Error::Integrity(Msg::StoredRowInvalid {
                table: "sealed_ballot".into(),
                key: tracker.clone(),
                detail: e.to_string(),
            })
        })?;
        for line in lines {
            let entry = sums.entry(line.candidate).or_insert(([Ciphertext::zero(); 3], 0));
            for (acc, ct) in entry.0.iter_mut().zip(line.ciphertexts) {
                *acc = *acc + ct;
            }
            entry.1 += 1;
        }
    }
    let mut summary = Vec::new();
    for c in &candidates {
        let (cts, ballots) = sums.get(c).copied().unwrap_or(([Ciphertext::zero(); 3], 0));
        let max = u64::from(ballots);
        let mut counts = [0u32; 3];
        let mut partials = Vec::with_capacity(3);
        for (k, ct) in cts.iter().enumerate() {
            let p1 = conclave_ballot::partial_decrypt(&s1, &keys, &ctx, ct, &mut OsRng);
            let p2 = conclave_ballot::partial_decrypt(&s2, &keys, &ctx, ct, &mut OsRng);
            let (p1, p2) = p1.and_then(|a| p2.map(|b| (a, b))).map_err(|e| tally_failed(c, &e))?;
            let n = conclave_ballot::combine(&keys, &ctx, ct, &[p1.clone(), p2.clone()], max)
                .map_err(|e| tally_failed(c, &e))?;
            counts[k] = n as u32;
            partials.push([p1, p2]);
        }
        let partials: [[PartialDecryption; 2]; 3] = partials.try_into().map_err(|_| {
            Error::Integrity(Msg::TallyFailed { candidate: c.clone(), detail: String::new() })
        })?;
        let record = Decryption { ballots, sums: cts, partials, counts };
        let t = count(
            &rules,
            present as u32,
            eligible.get(c).copied().unwrap_or(0),
            counts[0],
            counts[1],
            counts[2],
        );
        tx.execute(
            "INSERT INTO decryption (round_id, candidate_id, data) VALUES (?1, ?2, ?3)",
            params![round, c, serde_json::to_string(&record)?],
        )?;
        tx.execute(
            "INSERT INTO result (round_id, candidate_id, tally, passed) VALUES (?1, ?2, ?3, ?4)",
            params![round, c, serde_json::to_string(&t)?, t.passed as i64],
        )?;
        summary.push(serde_json::json!({ "candidate": c, "tally": t }));
    }
    let root: Option<String> =
        tx.query_row("SELECT box_root FROM round WHERE id = ?1", [round], |r| r.get(0))?;
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

fn tally_failed(candidate: &str, e: &conclave_ballot::TallyError) -> Error {
    Error::Integrity(Msg::TallyFailed { candidate: candidate.into(), detail: e.to_string() })
}
