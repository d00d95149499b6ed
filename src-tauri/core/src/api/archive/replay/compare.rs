//! The replayed meeting against the archive's JSON tables: `roster.json`,
//! `attendance.json`, `recusals.json`, `rounds.json`, `ballots.json` and the
//! rules in `meeting.json`. A table that is missing or unreadable is already
//! a problem of its own ([`super::super::verify`]); here it is skipped.

use super::super::steps::Step;
pub(super) use super::say::{Facts, Say};
use super::{Counts, Member, Presence, Replay, Round};
use crate::domain::rules::{Rules, Tally};
use crate::i18n::{Lang, Msg, Says};
use crate::store::recusal::Recusal;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;

/// How far a table's 签到 time may be from its chain entry's: both are taken
/// in the same transaction, a second or so apart; the minutes print minutes.
const SAME_MOMENT_SECS: i64 = 60;

/// An archived JSON table, or `None` (missing or unreadable: named elsewhere).
pub(super) fn table<T: DeserializeOwned>(kept: &BTreeMap<String, Vec<u8>>, name: &str) -> Option<T> {
    serde_json::from_slice(kept.get(name)?).ok()
}

pub(super) fn tables(replay: &Replay, kept: &BTreeMap<String, Vec<u8>>, lang: Lang) -> Vec<(Step, String)> {
    let say = Say::new(replay, kept, lang);
    let mut out = Vec::new();
    let mut paper = Vec::new();
    if let Some(rows) = table::<Vec<Member>>(kept, "roster.json") {
        roster(&say, "roster.json", &rows, &mut out);
    }
    if let Some(rows) = table::<Vec<Value>>(kept, "attendance.json") {
        attendance(&say, &rows, &mut out);
    }
    if let Some(rows) = table::<Vec<Recusal>>(kept, "recusals.json") {
        recusals(&say, &rows, &mut out);
    }
    if let Some(rows) = table::<Vec<Value>>(kept, "rounds.json") {
        rounds(&say, &rows, &mut out);
    }
    if let Some(rows) = table::<Vec<Value>>(kept, "ballots.json") {
        paper_ballots(&say, &rows, &mut paper);
    }
    let shown = table::<Value>(kept, "meeting.json")
        .and_then(|m| serde_json::from_value::<Rules>(m.get("rules")?.clone()).ok());
    rules(&say, "meeting.json", shown.as_ref(), &mut out);
    let replayed = out.into_iter().map(|p| (Step::Replay, p));
    replayed.chain(paper.into_iter().map(|p| (Step::Paper, p))).collect()
}

/// The rules a file shows against the chain's (when the chain has any).
pub(super) fn rules(say: &Say, source: &str, shown: Option<&Rules>, out: &mut Vec<String>) {
    let Some(chain) = &say.replay().rules else { return };
    if shown != Some(chain) {
        let msg = Msg::ReplayRules {
            source: source.into(),
            says: Says::boxed(say.rules(Some(chain)), say.rules(shown)),
        };
        out.push(msg.render(say.lang));
    }
}

/// The roster a file shows against the one the chain's import recorded:
/// each member by id, every column.
pub(super) fn roster(say: &Say, source: &str, shown: &[Member], out: &mut Vec<String>) {
    let Some(chain) = &say.replay().roster else { return };
    let by_id: BTreeMap<&str, &Member> = shown.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut problem = |member: String, chain: String, shown: String| {
        let msg = Msg::ReplayRoster { source: source.into(), member, says: Says::boxed(chain, shown) };
        out.push(msg.render(say.lang));
    };
    for m in chain {
        match by_id.get(m.id.as_str()) {
            None => problem(say.member(&m.id), describe(m), say.none()),
            Some(s) if *s != m => problem(say.member(&m.id), describe(m), describe(s)),
            Some(_) => {}
        }
    }
    for s in shown.iter().filter(|s| !chain.iter().any(|m| m.id == s.id)) {
        problem(format!("{} ({})", s.name, s.id), say.none(), describe(s));
    }
}

/// A roster row as one line: every column, empty ones left out.
fn describe(m: &Member) -> String {
    let parts = [Some(&m.id), Some(&m.name), m.organization.as_ref(), m.title.as_ref(), Some(&m.role)];
    let mut out: Vec<&str> = parts.into_iter().flatten().map(String::as_str).collect();
    out.extend(m.review_group.as_deref());
    out.join(" / ")
}

/// Each member's 签到 / 离席 history in `attendance.json` against the chain's.
fn attendance(say: &Say, rows: &[Value], out: &mut Vec<String>) {
    let shown: Vec<Presence> = rows
        .iter()
        .filter_map(|r| {
            Some(Presence {
                member: r.get("member")?.as_str()?.to_string(),
                present: r.get("present")?.as_i64()? == 1,
                at: r.get("at")?.as_str()?.to_string(),
            })
        })
        .collect();
    let chain = by_member(&say.replay().attendance);
    let table = by_member(&shown);
    let members: std::collections::BTreeSet<&String> = chain.keys().chain(table.keys()).collect();
    for m in members {
        let (c, t) =
            (chain.get(m).map(Vec::as_slice).unwrap_or(&[]), table.get(m).map(Vec::as_slice).unwrap_or(&[]));
        let same = c.len() == t.len() && c.iter().zip(t).all(|(a, b)| a.0 == b.0 && same_moment(&a.1, &b.1));
        if !same {
            let msg = Msg::ReplayAttendance {
                source: "attendance.json".into(),
                member: say.member(m),
                says: Says::boxed(say.history(c, true), say.history(t, true)),
            };
            out.push(msg.render(say.lang));
        }
    }
}

/// Each member's (present, time) events, in order.
pub(super) fn by_member(events: &[Presence]) -> BTreeMap<String, Vec<(bool, String)>> {
    let mut out: BTreeMap<String, Vec<(bool, String)>> = BTreeMap::new();
    for p in events {
        out.entry(p.member.clone()).or_default().push((p.present, p.at.clone()));
    }
    out
}

fn same_moment(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(a), Ok(b)) => (a - b).num_seconds().abs() <= SAME_MOMENT_SECS,
        _ => a == b,
    }
}

/// Each recusal's state in `recusals.json` against the chain's. A pair the
/// chain does not know is wrong only when the chain names every proposal.
fn recusals(say: &Say, rows: &[Recusal], out: &mut Vec<String>) {
    let chain = &say.replay().recusals;
    let mut problem = |m: &str, c: String, chain: Option<&String>, shown: Option<&String>| {
        let msg = Msg::ReplayRecusal {
            source: "recusals.json".into(),
            member: say.member(m),
            candidate: c,
            says: Says::boxed(say.recusal(chain), say.recusal(shown)),
        };
        out.push(msg.render(say.lang));
    };
    for ((m, c), status) in chain {
        let row = rows.iter().find(|r| &r.member_id == m && &r.candidate_id == c);
        if row.map(|r| &r.status) != Some(status) {
            let candidate = row.map_or_else(|| c.clone(), |r| format!("{} ({c})", r.candidate_name));
            problem(m, candidate, Some(status), row.map(|r| &r.status));
        }
    }
    let unknown = |r: &&Recusal| !chain.contains_key(&(r.member_id.clone(), r.candidate_id.clone()));
    for r in rows.iter().filter(unknown).filter(|_| say.replay().recusals_complete) {
        problem(&r.member_id, format!("{} ({})", r.candidate_name, r.candidate_id), None, Some(&r.status));
    }
}

/// Each round in `rounds.json` against the chain's: its facts, its paper
/// register, its results.
fn rounds(say: &Say, rows: &[Value], out: &mut Vec<String>) {
    let source = "rounds.json";
    for row in rows {
        let Some(id) = row.get("id").and_then(Value::as_i64) else { continue };
        let text = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or_default();
        let candidates: Vec<String> = serde_json::from_value(row["candidates"].clone()).unwrap_or_default();
        let facts = Facts {
            mode: text("mode"),
            candidates: Some(&candidates),
            present: row.get("present").and_then(Value::as_i64).unwrap_or(-1),
            reason: text("reason"),
            confirmed: row.get("confirmed_at").is_some_and(|c| !c.is_null()),
        };
        round_facts(say, source, id, &facts, out);
        if let Some(limits) = row.get("paper").and_then(|p| p.get("limits")) {
            register(say, id, limits, out);
        }
        let results = row.get("results").and_then(Value::as_array).into_iter().flatten().filter_map(|r| {
            let c = r.get("candidate_id")?.as_str()?.to_string();
            Some((c, serde_json::from_value::<Tally>(r.get("tally")?.clone()).ok()))
        });
        round_results(say, source, id, &results.collect::<Vec<_>>(), out);
    }
    for (id, r) in &say.replay().rounds {
        let shown = rows.iter().any(|x| x.get("id").and_then(Value::as_i64) == Some(*id));
        if let (Some(o), false) = (&r.opened, shown) {
            let chain = say.round(&o.facts(Some(&o.candidates), r.confirmed));
            let msg =
                Msg::ReplayRound { source: source.into(), round: *id, says: Says::boxed(chain, say.none()) };
            out.push(msg.render(say.lang));
        }
    }
}

/// A round's facts against the chain's opening and confirmation.
pub(super) fn round_facts(say: &Say, source: &str, id: i64, shown: &Facts, out: &mut Vec<String>) {
    let round = say.replay().rounds.get(&id);
    let mut problem = |chain: String, shown: String| {
        out.push(
            Msg::ReplayRound { source: source.into(), round: id, says: Says::boxed(chain, shown) }
                .render(say.lang),
        );
    };
    let Some(o) = round.and_then(|r| r.opened.as_ref()) else {
        problem(say.none(), say.round(shown));
        return;
    };
    let chain_confirmed = round.is_some_and(|r| r.confirmed);
    let chain = o.facts(shown.candidates.map(|_| o.candidates.as_slice()), chain_confirmed);
    if say.round(&chain) != say.round(shown) {
        problem(say.round(&chain), say.round(shown));
    }
    if chain.confirmed != shown.confirmed {
        problem(say.confirmed(chain.confirmed), say.confirmed(shown.confirmed));
    }
}

/// A paper round's limits (ballots each candidate may get) against the
/// register replayed from the chain's 签到 and recusals.
fn register(say: &Say, id: i64, limits: &Value, out: &mut Vec<String>) {
    let Some(chain) = say.replay().rounds.get(&id).and_then(|r| r.register.as_ref()) else { return };
    let shown: BTreeMap<String, u32> = serde_json::from_value(limits.clone()).unwrap_or_default();
    if &shown != chain {
        let words =
            |m: &BTreeMap<String, u32>| m.iter().map(|(c, n)| format!("{c}: {n}")).collect::<Vec<_>>();
        let msg = Msg::ReplayRound {
            source: "rounds.json".into(),
            round: id,
            says: Says::boxed(words(chain).join(", "), words(&shown).join(", ")),
        };
        out.push(msg.render(say.lang));
    }
}

/// A round's results as a file shows them (candidate, tally) against the
/// chain: a paper round's counts against the scrutineers' agreed entries,
/// every tally against the one logged at the count.
pub(super) fn round_results(
    say: &Say,
    source: &str,
    id: i64,
    shown: &[(String, Option<Tally>)],
    out: &mut Vec<String>,
) {
    let Some(round) = say.replay().rounds.get(&id) else { return };
    for (c, t) in shown {
        let counts = t.as_ref().map(|t| (t.votes_for, t.against, t.abstain));
        if let Some(agreed) = &round.agreed {
            if agreed.get(c).copied() != counts {
                out.push(paper_problem(say, source, id, c, agreed.get(c).copied(), counts));
                continue;
            }
        }
        let Some(logged) = &round.results else { continue };
        if logged.get(c) != t.as_ref() {
            let (chain, shown) = (say.tally(logged.get(c)), say.tally(t.as_ref()));
            let msg = Msg::ReplayResult {
                source: source.into(),
                round: id,
                candidate: c.clone(),
                says: Says::boxed(chain, shown),
            };
            out.push(msg.render(say.lang));
        }
    }
    for c in logged_candidates(round).filter(|c| !shown.iter().any(|(s, _)| s == *c)) {
        let chain = say.tally(round.results.as_ref().and_then(|l| l.get(c)));
        let msg = Msg::ReplayResult {
            source: source.into(),
            round: id,
            candidate: c.clone(),
            says: Says::boxed(chain, say.none()),
        };
        out.push(msg.render(say.lang));
    }
}

fn logged_candidates(round: &Round) -> impl Iterator<Item = &String> {
    round.results.iter().flat_map(|r| r.keys())
}

fn paper_problem(
    say: &Say,
    source: &str,
    id: i64,
    c: &str,
    chain: Option<Counts>,
    shown: Option<Counts>,
) -> String {
    let words = |n: Option<Counts>| n.map_or_else(|| say.none(), |n| say.counts(n));
    let msg = Msg::ReplayPaperCount {
        source: source.into(),
        round: id,
        candidate: c.into(),
        says: Says::boxed(words(chain), words(shown)),
    };
    msg.render(say.lang)
}

/// The anonymous paper ballots in `ballots.json`, counted per candidate,
/// against the counts both scrutineers agreed in the chain.
fn paper_ballots(say: &Say, rows: &[Value], out: &mut Vec<String>) {
    let mut counted: BTreeMap<(i64, String), Counts> = BTreeMap::new();
    for b in rows {
        let (Some(r), Some(c), Some(choice)) = (
            b.get("round").and_then(Value::as_i64),
            b.get("candidate").and_then(Value::as_str),
            b.get("choice").and_then(Value::as_str),
        ) else {
            continue;
        };
        let n = counted.entry((r, c.to_string())).or_default();
        match choice {
            "for" => n.0 += 1,
            "against" => n.1 += 1,
            _ => n.2 += 1,
        }
    }
    for (id, round) in &say.replay().rounds {
        let Some(agreed) = &round.agreed else { continue };
        let mut candidates: Vec<&String> = agreed.keys().collect();
        candidates.extend(counted.keys().filter(|(r, _)| r == id).map(|(_, c)| c));
        candidates.sort();
        candidates.dedup();
        for c in candidates {
            // A candidate with no ballot at all is counted as none of each.
            let shown = counted.get(&(*id, c.clone())).copied().unwrap_or_default();
            let chain = agreed.get(c).copied();
            if chain != Some(shown) {
                out.push(paper_problem(say, "ballots.json", *id, c, chain, Some(shown)));
            }
        }
    }
}
