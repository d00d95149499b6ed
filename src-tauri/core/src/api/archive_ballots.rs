//! The encrypted ballot boxes in the archive (`sealed-ballots.json`) and
//! their universal check: from the archive alone, every ballot's proofs,
//! every sum, every decryption proof, the box roots, and the number of
//! ballots per candidate against the voter register.

use crate::api::tally::{self, Decryption};
use crate::api::trustees;
use crate::audit;
use crate::error::Result;
use crate::i18n::{Lang, Msg};
use conclave_ballot::{Ballot, Ciphertext, Context, TrusteeKeys};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The archive file's name.
pub const FILE: &str = "sealed-ballots.json";

#[derive(Debug, Serialize, Deserialize)]
pub struct Boxes {
    pub meeting_id: String,
    pub keys: Option<TrusteeKeys>,
    pub rounds: Vec<SealedRound>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SealedRound {
    pub round: i64,
    pub box_root: Option<String>,
    /// Who voted (the register; no link to any ballot).
    pub voters: Vec<String>,
    /// Per candidate, the members eligible to vote on them.
    pub eligible: BTreeMap<String, Vec<String>>,
    /// The ballots, sorted by tracker.
    pub ballots: Vec<Ballot>,
    pub decryptions: BTreeMap<String, Decryption>,
}

/// Everything the auditor needs to recount the sealed rounds.
pub fn export(conn: &Connection) -> Result<Boxes> {
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT id FROM round WHERE sealed = 1 ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut rounds = Vec::new();
    for round in ids {
        let list = |sql: &str| -> Result<Vec<(String, String)>> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([round], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut eligible: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (c, m) in
            list("SELECT candidate_id, member_id FROM round_eligible WHERE round_id = ?1 ORDER BY 1, 2")?
        {
            eligible.entry(c).or_default().push(m);
        }
        let voters = list("SELECT member_id, member_id FROM voter WHERE round_id = ?1 ORDER BY 1")?
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        let mut ballots: Vec<(String, Ballot)> = tally::ballots(conn, round)?;
        ballots.sort_by(|a, b| a.0.cmp(&b.0));
        let mut decryptions = BTreeMap::new();
        for (c, data) in list("SELECT candidate_id, data FROM decryption WHERE round_id = ?1 ORDER BY 1")? {
            decryptions.insert(c.clone(), crate::store::parse_row("decryption", &c, &data)?);
        }
        let box_root: Option<String> =
            conn.query_row("SELECT box_root FROM round WHERE id = ?1", [round], |r| r.get(0))?;
        rounds.push(SealedRound {
            round,
            box_root,
            voters,
            eligible,
            ballots: ballots.into_iter().map(|(_, b)| b).collect(),
            decryptions,
        });
    }
    Ok(Boxes { meeting_id: trustees::meeting_id(conn)?, keys: trustees::keys(conn)?, rounds })
}

/// What the universal check counted.
#[derive(Debug, Default)]
pub struct Checked {
    pub ballots: usize,
    pub proofs: usize,
    pub problems: Vec<String>,
}

/// Recounts every sealed round from the archive: `rounds` is `rounds.json`,
/// `entries` the audit chain.
pub fn verify(boxes: &Boxes, rounds: &[serde_json::Value], entries: &[audit::Entry], lang: Lang) -> Checked {
    let mut out = Checked::default();
    let bad = |out: &mut Checked, round: i64, what: String| {
        out.problems.push(Msg::ArchiveSealedWrong { round, detail: what }.render(lang));
    };
    let closes = audit_by_round(entries, "round.close");
    let tallies = audit_by_round(entries, "round.tally");
    for r in &boxes.rounds {
        let Some(keys) = &boxes.keys else {
            bad(&mut out, r.round, "no election key".into());
            continue;
        };
        let ctx = Context::new(boxes.meeting_id.clone(), r.round as u32);
        let mut sums: BTreeMap<&str, ([Ciphertext; 3], u64)> = BTreeMap::new();
        let mut trackers = Vec::new();
        for b in &r.ballots {
            match conclave_ballot::verify_ballot(keys.joint(), &ctx, b) {
                Ok(v) => {
                    out.ballots += 1;
                    out.proofs += v.lines.len() * 4;
                    trackers.push(v.tracker);
                    for (line, l) in v.lines.iter().zip(&b.lines) {
                        let e = sums.entry(l.candidate.as_str()).or_insert(([Ciphertext::zero(); 3], 0));
                        for (acc, ct) in e.0.iter_mut().zip(line.ciphertexts) {
                            *acc = *acc + ct;
                        }
                        e.1 += 1;
                    }
                }
                Err(e) => bad(
                    &mut out,
                    r.round,
                    format!("{} {}: {e}", Msg::ArchiveBallotWord.render(lang), b.tracker().short()),
                ),
            }
        }
        let mut sorted = trackers.clone();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != trackers.len() {
            bad(&mut out, r.round, Msg::ArchiveDuplicateBallot.render(lang));
        }
        let root = hex::encode(conclave_ballot::box_root(&trackers));
        if r.box_root.as_deref() != Some(root.as_str()) {
            bad(&mut out, r.round, Msg::ArchiveBoxRoot.render(lang));
        }
        let logged = closes.get(&r.round).and_then(|d| d.get("box_root")).and_then(|x| x.as_str());
        if logged != Some(root.as_str()) {
            bad(&mut out, r.round, Msg::ArchiveBoxRootChain.render(lang));
        }
        let results = round_results(rounds, r.round);
        let logged_results = tallies.get(&r.round).and_then(|d| d.get("results")).cloned();
        for (candidate, members) in &r.eligible {
            let (cts, n) = sums.get(candidate.as_str()).copied().unwrap_or(([Ciphertext::zero(); 3], 0));
            let voted = members.iter().filter(|m| r.voters.contains(m)).count() as u64;
            if n != voted {
                bad(
                    &mut out,
                    r.round,
                    Msg::ArchiveBallotCount { candidate: candidate.clone(), ballots: n, voters: voted }
                        .render(lang),
                );
            }
            let Some(d) = r.decryptions.get(candidate) else {
                if !results.is_empty() {
                    bad(
                        &mut out,
                        r.round,
                        Msg::ArchiveTallyWrong { candidate: candidate.clone() }.render(lang),
                    );
                }
                continue;
            };
            let mut counts = [0u64; 3];
            let mut ok = d.sums == cts;
            for k in 0..3 {
                out.proofs += 2;
                match conclave_ballot::combine(keys, &ctx, &cts[k], &d.partials[k], n) {
                    Ok(c) => counts[k] = c,
                    Err(_) => ok = false,
                }
            }
            ok &= counts.map(|c| c as u32) == d.counts;
            let shown = results.get(candidate.as_str()).copied();
            ok &= shown == Some(counts);
            let logged = logged_results.as_ref().and_then(|l| tally_of(l, candidate));
            ok &= logged == Some(counts);
            if !ok {
                bad(&mut out, r.round, Msg::ArchiveTallyWrong { candidate: candidate.clone() }.render(lang));
            }
        }
    }
    out
}

/// Each round's detail of the audit entries of `kind`.
fn audit_by_round(entries: &[audit::Entry], kind: &str) -> BTreeMap<i64, serde_json::Value> {
    entries
        .iter()
        .filter(|e| e.kind == kind)
        .filter_map(|e| serde_json::from_str::<serde_json::Value>(&e.detail).ok())
        .filter_map(|d| Some((d.get("round")?.as_i64()?, d)))
        .collect()
}

fn counts_of(t: &serde_json::Value) -> Option<[u64; 3]> {
    Some([t.get("votes_for")?.as_u64()?, t.get("against")?.as_u64()?, t.get("abstain")?.as_u64()?])
}

/// The counts `rounds.json` shows for a round.
fn round_results(rounds: &[serde_json::Value], round: i64) -> BTreeMap<&str, [u64; 3]> {
    rounds
        .iter()
        .filter(|r| r.get("id").and_then(|x| x.as_i64()) == Some(round))
        .flat_map(|r| r.get("results").and_then(|x| x.as_array()).into_iter().flatten())
        .filter_map(|res| Some((res.get("candidate_id")?.as_str()?, counts_of(res.get("tally")?)?)))
        .collect()
}

fn tally_of(logged: &serde_json::Value, candidate: &str) -> Option<[u64; 3]> {
    logged
        .as_array()?
        .iter()
        .find(|x| x.get("candidate").and_then(|c| c.as_str()) == Some(candidate))
        .and_then(|x| counts_of(x.get("tally")?))
}
