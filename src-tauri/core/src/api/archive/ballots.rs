//! The encrypted ballot boxes in the archive (`sealed-ballots.json`) and
//! their universal check: from the archive alone, every ballot's proofs,
//! every sum, every decryption proof, the box roots, and the number of
//! ballots per candidate against the voter register.

use super::steps::Step;
use crate::api::tally::{self, Decryption};
use crate::api::trustees;
use crate::audit;
use crate::domain::rules::{count, Rules};
use crate::error::Result;
use crate::i18n::{Lang, Msg};
use crate::store;
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
    let mut rounds = Vec::new();
    for round in store::archive::sealed_rounds(conn)? {
        let mut eligible: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (c, m) in store::archive::eligible_pairs(conn, round)? {
            eligible.entry(c).or_default().push(m);
        }
        let voters = store::ballot_box::voters(conn, round)?;
        let mut ballots: Vec<(String, Ballot)> = tally::ballots(conn, round)?;
        ballots.sort_by(|a, b| a.0.cmp(&b.0));
        let mut decryptions = BTreeMap::new();
        for (c, data) in store::archive::decryptions(conn, round)? {
            decryptions.insert(c.clone(), crate::store::parse_row("decryption", &c, &data)?);
        }
        let box_root = store::archive::box_root(conn, round)?;
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
    /// Each problem with the step of docs/verification.md it fails.
    pub problems: Vec<Found>,
    /// How many things each step checked (every step run is here).
    pub counted: BTreeMap<Step, usize>,
}

/// A problem of the recount, with its step. It reads as its text (derefs
/// to it), as the recount's problems did before they had steps.
#[derive(Debug, Clone)]
pub struct Found {
    pub step: Step,
    pub text: String,
}

impl std::ops::Deref for Found {
    type Target = String;
    fn deref(&self) -> &String {
        &self.text
    }
}

impl Checked {
    fn problem(&mut self, step: Step, text: String) {
        self.problems.push(Found { step, text });
    }

    fn count(&mut self, step: Step, n: usize) {
        *self.counted.entry(step).or_default() += n;
    }
}

/// What the audit chain says of each round.
struct Chain {
    opens: BTreeMap<i64, serde_json::Value>,
    closes: BTreeMap<i64, serde_json::Value>,
    tallies: BTreeMap<i64, serde_json::Value>,
    replayed: BTreeMap<i64, Replayed>,
    /// Per round, each `ballot.cast` entry's tracker (hex; `None` in the
    /// entries of versions before trackers were chained).
    casts: BTreeMap<i64, Vec<Option<String>>>,
}

/// Every `ballot.cast` entry of the chain, by round.
fn casts_by_round(entries: &[audit::Entry]) -> BTreeMap<i64, Vec<Option<String>>> {
    let mut out: BTreeMap<i64, Vec<Option<String>>> = BTreeMap::new();
    for d in entries
        .iter()
        .filter(|e| e.kind == "ballot.cast")
        .filter_map(|e| serde_json::from_str::<serde_json::Value>(&e.detail).ok())
    {
        let Some(round) = d.get("round").and_then(|x| x.as_i64()) else { continue };
        let tracker = d.get("tracker").and_then(|t| t.as_str()).map(str::to_string);
        out.entry(round).or_default().push(tracker);
    }
    out
}

fn bad(out: &mut Checked, step: Step, round: i64, what: String, lang: Lang) {
    out.problem(step, Msg::ArchiveSealedWrong { round, detail: what }.render(lang));
}

/// Recounts every sealed round from the archive: `rounds` is `rounds.json`,
/// `entries` the audit chain, `rules` those in `meeting.json`.
pub fn verify(
    boxes: &Boxes,
    rounds: &[serde_json::Value],
    entries: &[audit::Entry],
    rules: &Rules,
    lang: Lang,
) -> Checked {
    let mut out = Checked::default();
    for step in
        [Step::Keys, Step::Registers, Step::Ballots, Step::Casts, Step::Sums, Step::Decryptions, Step::Counts]
    {
        out.count(step, 0);
    }
    let (opens, _) = audit_by_round(entries, "round.open");
    let (closes, twice_closed) = audit_by_round(entries, "round.close");
    let (tallies, twice_tallied) = audit_by_round(entries, "round.tally");
    let chain = Chain {
        opens,
        closes,
        tallies,
        replayed: replay_eligibility(entries),
        casts: casts_by_round(entries),
    };
    for round in twice_closed.iter().chain(&twice_tallied) {
        bad(&mut out, Step::Casts, *round, Msg::ArchiveLoggedTwice.render(lang), lang);
    }
    // Every round the chain opened as a station or terminal round has its box here.
    for (round, open) in &chain.opens {
        if matches!(open.get("mode").and_then(|m| m.as_str()), Some("station" | "terminal"))
            && !boxes.rounds.iter().any(|r| r.round == *round)
        {
            bad(&mut out, Step::Casts, *round, Msg::ArchiveBoxMissing.render(lang), lang);
        }
    }
    let logged_keys = entries
        .iter()
        .find(|e| e.kind == "trustees.setup")
        .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.detail).ok())
        .and_then(|d| d.get("keys").cloned());
    out.count(Step::Keys, usize::from(boxes.keys.is_some()));
    if boxes.keys.is_some() && logged_keys != serde_json::to_value(boxes.keys).ok() {
        out.problem(Step::Keys, Msg::ArchiveKeysDiffer.render(lang));
    }
    for r in &boxes.rounds {
        let Some(keys) = &boxes.keys else {
            bad(&mut out, Step::Keys, r.round, Msg::NoTrustees.render(lang), lang);
            continue;
        };
        let Ok(round32) = tally::round_u32(r.round) else {
            bad(&mut out, Step::Ballots, r.round, Msg::RoundNotFound { id: r.round }.render(lang), lang);
            continue;
        };
        let ctx = Context::new(boxes.meeting_id.clone(), round32);
        check_round(&mut out, r, keys, &ctx, &chain, round_in(rounds, r.round), rules, lang);
    }
    out
}

/// One sealed round against the chain: its register as fixed at opening
/// (digest and replay), every ballot's proofs, the box root (stored and
/// logged), the attendance, then the counts ([`check_counts`]).
#[allow(clippy::too_many_arguments)]
fn check_round(
    out: &mut Checked,
    r: &SealedRound,
    keys: &TrusteeKeys,
    ctx: &Context,
    chain: &Chain,
    shown: Option<&serde_json::Value>,
    rules: &Rules,
    lang: Lang,
) {
    // Eligibility and attendance as fixed when the round opened.
    out.count(Step::Registers, 1);
    let opened = chain.opens.get(&r.round);
    let logged_digest = opened.and_then(|o| o.get("eligible_sha256")).and_then(|x| x.as_str());
    if logged_digest.is_none()
        || logged_digest != crate::api::voting::eligible_digest(&r.eligible).ok().as_deref()
    {
        bad(out, Step::Registers, r.round, Msg::ArchiveEligibilityChanged.render(lang), lang);
    }
    if let Some(problem) = chain.replayed.get(&r.round).and_then(|want| replay_differs(want, &r.eligible)) {
        bad(
            out,
            Step::Registers,
            r.round,
            Msg::ArchiveEligibilityReplay { detail: problem }.render(lang),
            lang,
        );
    }
    let summed = tally::sum_box(keys, ctx, &r.ballots);
    out.ballots += summed.trackers.len();
    out.count(Step::Ballots, r.ballots.len());
    out.count(Step::Casts, r.ballots.len());
    out.proofs += summed.sums.values().map(|(_, n)| *n as usize * 4).sum::<usize>();
    for (t, why) in &summed.refused {
        let what = format!("{} {}: {why}", Msg::ArchiveBallotWord.render(lang), t.short());
        bad(out, Step::Ballots, r.round, what, lang);
    }
    if summed.has_duplicates() {
        bad(out, Step::Ballots, r.round, Msg::ArchiveDuplicateBallot.render(lang), lang);
    }
    let boxed: Vec<conclave_ballot::Tracker> = r.ballots.iter().map(Ballot::tracker).collect();
    let chained = chain.casts.get(&r.round).map(Vec::as_slice).unwrap_or_default();
    if let Some(detail) = tally::casts_differ(chained, &boxed) {
        bad(out, Step::Casts, r.round, Msg::ArchiveCastsDiffer { detail }.render(lang), lang);
    }
    let root = summed.root();
    if r.box_root.as_deref() != Some(root.as_str()) {
        bad(out, Step::Casts, r.round, Msg::ArchiveBoxRoot.render(lang), lang);
    }
    let logged = chain.closes.get(&r.round).and_then(|d| d.get("box_root")).and_then(|x| x.as_str());
    if logged != Some(root.as_str()) {
        bad(out, Step::Casts, r.round, Msg::ArchiveBoxRootChain.render(lang), lang);
    }
    let present = shown.and_then(|s| s.get("present")).and_then(|x| x.as_u64()).unwrap_or(0) as u32;
    if opened.and_then(|o| o.get("present")).and_then(|x| x.as_u64()) != Some(u64::from(present)) {
        bad(out, Step::Registers, r.round, Msg::ArchiveEligibilityChanged.render(lang), lang);
    }
    let results = round_results(shown);
    let logged_results = chain.tallies.get(&r.round).and_then(|d| d.get("results"));
    // Every candidate of the round, wherever it appears, must add up.
    let mut candidates: std::collections::BTreeSet<&str> = r.eligible.keys().map(String::as_str).collect();
    candidates.extend(results.keys().copied());
    candidates.extend(r.decryptions.keys().map(String::as_str));
    candidates.extend(summed.sums.keys().map(String::as_str));
    for c in shown.and_then(|s| s.get("candidates")).and_then(|x| x.as_array()).into_iter().flatten() {
        candidates.extend(c.as_str());
    }
    let counted = !results.is_empty() || !r.decryptions.is_empty();
    let recounts = tally::recombine(keys, ctx, &summed.sums, &r.decryptions);
    let tally = Shown { results: &results, logged: logged_results, counted, present, recounts: &recounts };
    for candidate in candidates {
        check_counts(out, r, &summed, candidate, &tally, rules, lang);
    }
}

/// A round's results as the archive shows and logs them.
struct Shown<'a> {
    results: &'a BTreeMap<&'a str, serde_json::Value>,
    logged: Option<&'a serde_json::Value>,
    /// The trustees counted the round.
    counted: bool,
    present: u32,
    /// Per candidate with a decryption record, the counts its proofs give.
    recounts: &'a BTreeMap<String, [Result<u64, conclave_ballot::TallyError>; 3]>,
}

/// One candidate of a round: as many ballots as members of the register who
/// voted; once counted, the decryption proofs, the counts, and the tally
/// (shown and logged) that follows from them and the rules.
#[allow(clippy::too_many_arguments)]
fn check_counts(
    out: &mut Checked,
    r: &SealedRound,
    summed: &tally::BoxSums,
    candidate: &str,
    shown: &Shown,
    rules: &Rules,
    lang: Lang,
) {
    let members = r.eligible.get(candidate).map(Vec::as_slice).unwrap_or(&[]);
    let (cts, n) = summed.sums.get(candidate).copied().unwrap_or(([Ciphertext::zero(); 3], 0));
    let voted = members.iter().filter(|m| r.voters.contains(m)).count() as u64;
    out.count(Step::Sums, 1);
    if n != voted {
        let msg = Msg::ArchiveBallotCount { candidate: candidate.into(), ballots: n, voters: voted };
        bad(out, Step::Sums, r.round, msg.render(lang), lang);
    }
    if !shown.counted {
        return;
    }
    let wrong = || Msg::ArchiveTallyWrong { candidate: candidate.into() }.render(lang);
    let Some(d) = r.decryptions.get(candidate) else {
        bad(out, Step::Decryptions, r.round, wrong(), lang);
        return;
    };
    if d.sums != cts {
        bad(out, Step::Sums, r.round, wrong(), lang);
    }
    let mut counts = [0u32; 3];
    let mut decrypted = true;
    let recount = shown.recounts.get(candidate);
    for k in 0..3 {
        out.proofs += 2;
        out.count(Step::Decryptions, 2);
        match recount.map(|r| &r[k]) {
            Some(Ok(c)) => counts[k] = *c as u32,
            _ => decrypted = false,
        }
    }
    if !decrypted || counts != d.counts {
        bad(out, Step::Decryptions, r.round, wrong(), lang);
    }
    // The whole tally (threshold, outcome) follows from the counts and the rules.
    out.count(Step::Counts, 1);
    let expected = count(rules, shown.present, members.len() as u32, counts[0], counts[1], counts[2]);
    let expected = serde_json::to_value(expected).ok();
    let logged = shown.logged.and_then(|l| tally_of(l, candidate));
    if shown.results.get(candidate).cloned() != expected || logged != expected {
        bad(out, Step::Counts, r.round, wrong(), lang);
    }
}

/// Each round's first audit entry of `kind`, and the rounds that have more
/// than one (a later one appended by hand never replaces the first).
fn audit_by_round(entries: &[audit::Entry], kind: &str) -> (BTreeMap<i64, serde_json::Value>, Vec<i64>) {
    let mut first = BTreeMap::new();
    let mut twice = Vec::new();
    for d in entries
        .iter()
        .filter(|e| e.kind == kind)
        .filter_map(|e| serde_json::from_str::<serde_json::Value>(&e.detail).ok())
    {
        let Some(round) = d.get("round").and_then(|x| x.as_i64()) else { continue };
        match first.entry(round) {
            std::collections::btree_map::Entry::Occupied(_) => twice.push(round),
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(d);
            }
        }
    }
    (first, twice)
}

/// The round as `rounds.json` shows it.
fn round_in(rounds: &[serde_json::Value], round: i64) -> Option<&serde_json::Value> {
    rounds.iter().find(|r| r.get("id").and_then(|x| x.as_i64()) == Some(round))
}

/// Each candidate's whole tally as `rounds.json` shows it.
fn round_results(round: Option<&serde_json::Value>) -> BTreeMap<&str, serde_json::Value> {
    round
        .and_then(|r| r.get("results"))
        .and_then(|x| x.as_array())
        .into_iter()
        .flatten()
        .filter_map(|res| Some((res.get("candidate_id")?.as_str()?, res.get("tally")?.clone())))
        .collect()
}

/// A candidate's whole tally as the chain logged it at the count.
fn tally_of(logged: &serde_json::Value, candidate: &str) -> Option<serde_json::Value> {
    logged
        .as_array()?
        .iter()
        .find(|x| x.get("candidate").and_then(|c| c.as_str()) == Some(candidate))
        .and_then(|x| x.get("tally").cloned())
}

/// Who could vote on whom when each round opened, replayed from the chain
/// alone: 签到/离席 entries for who was present, the recusal entries for who
/// was recused. Where the chain does not name the pairs a proposal or a
/// "decide all" touched (archives from before they were logged), only who
/// was present is replayed (`None` for the recusals).
#[derive(Debug, Default)]
pub struct Replayed {
    present: std::collections::BTreeSet<String>,
    /// Candidate → the members recused for them; `None` where not replayable.
    recused: Option<BTreeMap<String, std::collections::BTreeSet<String>>>,
    candidates: Vec<String>,
}

fn replay_eligibility(entries: &[audit::Entry]) -> BTreeMap<i64, Replayed> {
    use std::collections::BTreeSet;
    let mut present: BTreeSet<String> = BTreeSet::new();
    let mut status: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut known = true;
    let mut out = BTreeMap::new();
    let text = |d: &serde_json::Value, k: &str| d.get(k).and_then(|x| x.as_str()).map(str::to_string);
    for e in entries {
        let Ok(d) = serde_json::from_str::<serde_json::Value>(&e.detail) else { continue };
        match e.kind.as_str() {
            "signin.in" | "signin.out" => {
                if let Some(m) = text(&d, "member") {
                    if e.kind == "signin.in" {
                        present.insert(m);
                    } else {
                        present.remove(&m);
                    }
                }
            }
            "recusal.propose" => match d.get("pairs").and_then(|p| p.as_array()) {
                Some(pairs) => {
                    for p in pairs {
                        if let (Some(m), Some(c)) =
                            (p.get(0).and_then(|x| x.as_str()), p.get(1).and_then(|x| x.as_str()))
                        {
                            status.entry((m.to_string(), c.to_string())).or_insert_with(|| "proposed".into());
                        }
                    }
                }
                None => known = false,
            },
            "recusal.set" => {
                if let (Some(m), Some(c), Some(s)) =
                    (text(&d, "member"), text(&d, "candidate"), text(&d, "status"))
                {
                    status.insert((m, c), s);
                }
            }
            "recusal.decide_all" => {
                if let Some(s) = text(&d, "status") {
                    for v in status.values_mut().filter(|v| *v == "proposed") {
                        *v = s.clone();
                    }
                }
            }
            "round.open" => {
                let Some(round) = d.get("round").and_then(|x| x.as_i64()) else { continue };
                // An entry without its candidates cannot be replayed; its
                // register is still held to the digest it logged.
                let Some(listed) = d.get("candidates").and_then(|x| x.as_array()) else { continue };
                let candidates: Vec<String> =
                    listed.iter().filter_map(|c| c.as_str().map(str::to_string)).collect();
                let recused = known.then(|| {
                    let mut r: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
                    for ((m, c), s) in &status {
                        if s == "confirmed" {
                            r.entry(c.clone()).or_default().insert(m.clone());
                        }
                    }
                    r
                });
                out.insert(round, Replayed { present: present.clone(), recused, candidates });
            }
            _ => {}
        }
    }
    out
}

/// What differs between the register a round carries and the replayed one,
/// named for the auditor; `None` when they agree.
fn replay_differs(want: &Replayed, eligible: &BTreeMap<String, Vec<String>>) -> Option<String> {
    for (candidate, members) in eligible {
        for m in members {
            if !want.present.contains(m) {
                return Some(format!("{m} ({candidate})"));
            }
        }
    }
    let recused = want.recused.as_ref()?;
    for c in &want.candidates {
        let should: Vec<&String> =
            want.present.iter().filter(|m| !recused.get(c).is_some_and(|r| r.contains(*m))).collect();
        let has: std::collections::BTreeSet<&String> = eligible.get(c).into_iter().flatten().collect();
        if let Some(m) = should.iter().find(|m| !has.contains(**m)) {
            return Some(format!("{m} ({c})"));
        }
        if let Some(m) = has.iter().find(|m| !should.contains(m)) {
            return Some(format!("{m} ({c})"));
        }
    }
    None
}
