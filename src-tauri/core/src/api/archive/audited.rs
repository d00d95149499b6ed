//! Audited ballots in the archive (`audited-ballots.json`, issue 28): each
//! ballot a member audited (检验) with the randomness its terminal released,
//! so `verify` opens them from the archive alone — every proof, the
//! randomness against every ciphertext — and checks them one for one against
//! the chain's `ballot.spoil` entries and never in the box.

use super::steps::Step;
use crate::audit;
use crate::error::Result;
use crate::i18n::{Lang, Msg};
use crate::store;
use conclave_ballot::{Ballot, BallotRandomness, Context, TrusteeKeys};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The archive file's name; written only when some ballot was audited.
pub const FILE: &str = "audited-ballots.json";

/// One audited ballot with its randomness.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditedBallot {
    pub round: i64,
    pub ballot: Ballot,
    pub randomness: BallotRandomness,
}

/// Every audited ballot of the meeting, by round then tracker.
pub fn export(conn: &Connection) -> Result<Vec<AuditedBallot>> {
    store::spoiled::all(conn)?
        .into_iter()
        .map(|s| {
            Ok(AuditedBallot {
                round: s.round,
                ballot: crate::store::parse_row("spoiled_ballot", &s.tracker, &s.data)?,
                randomness: crate::store::parse_row("spoiled_ballot", &s.tracker, &s.randomness)?,
            })
        })
        .collect()
}

/// The `ballot.spoil` entries' (round, tracker) pairs.
fn spoils(entries: &[audit::Entry]) -> BTreeSet<(i64, String)> {
    entries
        .iter()
        .filter(|e| e.kind == "ballot.spoil")
        .filter_map(|e| serde_json::from_str::<serde_json::Value>(&e.detail).ok())
        .filter_map(|d| Some((d.get("round")?.as_i64()?, d.get("tracker")?.as_str()?.to_string())))
        .collect()
}

/// Checks the audited ballots (absent file: none) against the keys, the
/// chain and the boxes' trackers; returns the problems by step, and how many
/// ballots were opened.
pub fn verify(
    audited: &[AuditedBallot],
    meeting_id: &str,
    keys: Option<&TrusteeKeys>,
    entries: &[audit::Entry],
    in_box: &BTreeSet<(i64, String)>,
    lang: Lang,
) -> (Vec<(Step, String)>, usize) {
    let mut problems = Vec::new();
    let mut found = BTreeSet::new();
    for a in audited {
        let tracker = a.ballot.tracker();
        let short = tracker.short();
        let wrong = |detail: String| {
            (
                Step::Ballots,
                Msg::ArchiveAuditedWrong { round: a.round, tracker: short.clone(), detail }.render(lang),
            )
        };
        found.insert((a.round, tracker.to_hex()));
        let (Some(keys), Ok(round)) = (keys, u32::try_from(a.round)) else {
            problems.push(wrong(Msg::NoTrustees.render(lang)));
            continue;
        };
        let ctx = Context::new(meeting_id, round);
        if let Err(e) = conclave_ballot::verify_ballot(keys.joint(), &ctx, &a.ballot) {
            problems.push(wrong(e.to_string()));
        } else if let Err(e) = conclave_ballot::open_audited(keys.joint(), &a.ballot, &a.randomness) {
            let said = crate::api::voting::audited::audit_msg(e, str::to_string).render(lang);
            problems.push(wrong(said));
        }
        if in_box.contains(&(a.round, tracker.to_hex())) {
            problems.push(wrong(Msg::ArchiveAuditedInBox.render(lang)));
        }
    }
    let logged = spoils(entries);
    if logged != found {
        let n = |s: &BTreeSet<(i64, String)>| s.len();
        problems.push((
            Step::Casts,
            Msg::ArchiveAuditedDiffer { file: n(&found), chain: n(&logged) }.render(lang),
        ));
    }
    (problems, audited.len())
}
