//! The meeting replayed from the archived audit chain alone: the roster as
//! imported, every 签到 / 离席, the recusals and their final states, the
//! chair's eligibility overrides, the rules, each round as it was opened,
//! confirmed and counted, and each paper round's counts as both scrutineers
//! agreed them. An operator who edits `meeting.db` behind the app's back
//! (triggers dropped) and exports again gets tables and freshly sealed PDFs
//! that agree with each other but not with the chain, whose head is printed
//! and signed by hand: [`check`] names every difference ([`compare`] the
//! tables, [`sealed`] the PDFs).
//!
//! Older versions' chains carry less. Where an entry lacks what a part
//! needs, that part is `None` (or, for recusals, incomplete) and only what
//! the chain does carry is compared; see each field.

mod compare;
mod say;
mod sealed;

use super::steps::Step;
use crate::audit::Entry;
use crate::domain::rules::{Rules, Tally};
use crate::i18n::Lang;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A member as the roster's import entry lists them (and `roster.json` shows them).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(super) struct Member {
    pub id: String,
    pub name: String,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub role: String,
    pub review_group: Option<String>,
}

/// One 签到 (`present`) or 离席, with the chain entry's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Presence {
    pub member: String,
    pub present: bool,
    pub at: String,
}

/// One candidate's three counts: 同意, 不同意, 弃权.
pub(super) type Counts = (u32, u32, u32);

/// A round as the chain has it.
#[derive(Debug, Default)]
pub(super) struct Round {
    /// The `round.open` entry: mode, candidates in ballot order, members
    /// present, the reason (a re-vote's). `None` when the chain has no
    /// opening for a round some table shows.
    pub opened: Option<Opened>,
    pub confirmed: bool,
    /// Per candidate, how many members may vote (present, not recused) when
    /// it opened; `None` where the recusals cannot be replayed.
    pub register: Option<BTreeMap<String, u32>>,
    /// Paper rounds: the counts both scrutineers entered alike (the last
    /// entry of each before `paper.agreed`; superseded entries stay in the
    /// chain but no longer count).
    pub agreed: Option<BTreeMap<String, Counts>>,
    /// Each candidate's whole tally as logged at the count (`round.tally`
    /// for encrypted rounds, `round.close` for paper ones); `None` in chains
    /// that logged no results.
    pub results: Option<BTreeMap<String, Tally>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Opened {
    pub mode: String,
    pub candidates: Vec<String>,
    pub present: i64,
    pub reason: String,
}

/// The chair's decision to put a barred candidate to the vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Override {
    pub reason: String,
    /// The member id of who authorised it (chains before the chair's PIN: none).
    pub by: Option<String>,
}

/// Everything the chain says of the meeting.
#[derive(Debug, Default)]
pub(super) struct Replay {
    /// The roster in roster order; `None` when the roster's import entry
    /// lists no members (chains before this version: only their number).
    pub roster: Option<Vec<Member>>,
    pub attendance: Vec<Presence>,
    /// Each recused pair's (member, candidate) final state.
    pub recusals: BTreeMap<(String, String), String>,
    /// Whether every proposal named its pairs: only then is a pair the
    /// chain does not know a pair that never was. Older chains logged only
    /// how many were proposed, and a "decide all" then decided pairs the
    /// chain cannot name.
    pub recusals_complete: bool,
    pub overrides: BTreeMap<String, Override>,
    /// The rules in force: the last `rules.set` or `rules.freeze`; `None`
    /// when the chain has neither (the defaults of whatever version ran it).
    pub rules: Option<Rules>,
    pub rounds: BTreeMap<i64, Round>,
}

impl Replay {
    /// Walks the chain in order. Entries that do not parse are skipped: the
    /// chain's own check has named any that were changed.
    pub fn of(entries: &[Entry]) -> Replay {
        let mut r = Replay { recusals_complete: true, ..Replay::default() };
        let mut paper: BTreeMap<i64, [Option<BTreeMap<String, Counts>>; 2]> = BTreeMap::new();
        for e in entries {
            let Ok(d) = serde_json::from_str::<Value>(&e.detail) else { continue };
            match e.kind.as_str() {
                "import.committee" => r.roster = roster_of(&d),
                "signin.in" | "signin.out" => r.presence(&d, e),
                "recusal.propose" | "recusal.set" | "recusal.decide_all" => r.recusal(&e.kind, &d),
                "eligibility.override" => r.eligibility(&d),
                // Rules of another version's shape are not known: `None`.
                "rules.set" | "rules.freeze" => r.rules = serde_json::from_value(d).ok(),
                "round.open" => r.open(&d),
                "round.confirm" => r.round(&d).confirmed = true,
                "round.tally" | "round.close" => r.counted(&d),
                "paper.entry" => paper_entry(&mut paper, &d),
                "paper.agreed" => {
                    let Some(id) = round_of(&d) else { continue };
                    let [first, second] = paper.remove(&id).unwrap_or_default();
                    // Agreed means both entries were alike; an older chain's
                    // entry missing is all the chain cannot tell.
                    r.round(&d).agreed = first.or(second);
                }
                _ => {}
            }
        }
        r
    }

    fn round(&mut self, d: &Value) -> &mut Round {
        self.rounds.entry(round_of(d).unwrap_or(0)).or_default()
    }

    fn presence(&mut self, d: &Value, e: &Entry) {
        if let Some(member) = text(d, "member") {
            self.attendance.push(Presence { member, present: e.kind == "signin.in", at: e.at.clone() });
        }
    }

    fn recusal(&mut self, kind: &str, d: &Value) {
        match kind {
            "recusal.propose" => match d.get("pairs").and_then(Value::as_array) {
                Some(pairs) => {
                    for p in pairs {
                        let pair = (p.get(0).and_then(Value::as_str), p.get(1).and_then(Value::as_str));
                        if let (Some(m), Some(c)) = pair {
                            self.recusals.entry((m.into(), c.into())).or_insert_with(|| "proposed".into());
                        }
                    }
                }
                None => self.recusals_complete = false,
            },
            "recusal.set" => {
                if let (Some(m), Some(c), Some(s)) =
                    (text(d, "member"), text(d, "candidate"), text(d, "status"))
                {
                    self.recusals.insert((m, c), s);
                }
            }
            _ => {
                if let Some(s) = text(d, "status") {
                    for v in self.recusals.values_mut().filter(|v| *v == "proposed") {
                        v.clone_from(&s);
                    }
                }
            }
        }
    }

    fn eligibility(&mut self, d: &Value) {
        if let (Some(c), Some(reason)) = (text(d, "candidate"), text(d, "reason")) {
            self.overrides.insert(c, Override { reason, by: text(d, "by") });
        }
    }

    /// Who is present now, replayed.
    fn present(&self) -> BTreeSet<&str> {
        let mut now = BTreeSet::new();
        for p in &self.attendance {
            if p.present {
                now.insert(p.member.as_str());
            } else {
                now.remove(p.member.as_str());
            }
        }
        now
    }

    fn open(&mut self, d: &Value) {
        let candidates: Option<Vec<String>> = d
            .get("candidates")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|c| c.as_str().map(str::to_string)).collect());
        let register = candidates.as_ref().filter(|_| self.recusals_complete).map(|cs| {
            let present = self.present();
            let recused = |m: &str, c: &str| {
                self.recusals.get(&(m.to_string(), c.to_string())).is_some_and(|s| s == "confirmed")
            };
            cs.iter().map(|c| (c.clone(), present.iter().filter(|m| !recused(m, c)).count() as u32)).collect()
        });
        let opened = Opened {
            // Chains from before paper rounds opened only station rounds and
            // did not say so.
            mode: text(d, "mode").unwrap_or_else(|| "station".into()),
            candidates: candidates.unwrap_or_default(),
            present: d.get("present").and_then(Value::as_i64).unwrap_or(-1),
            reason: text(d, "reason").unwrap_or_default(),
        };
        let round = self.round(d);
        round.opened = Some(opened);
        round.register = register;
    }

    fn counted(&mut self, d: &Value) {
        let Some(results) = d.get("results").and_then(Value::as_array) else { return };
        let parsed = results
            .iter()
            .filter_map(|x| {
                let tally = serde_json::from_value(x.get("tally")?.clone()).ok()?;
                Some((x.get("candidate")?.as_str()?.to_string(), tally))
            })
            .collect();
        // The first count stands: a later one appended by hand never replaces
        // it (the recount names a round logged twice).
        self.round(d).results.get_or_insert(parsed);
    }
}

fn text(d: &Value, key: &str) -> Option<String> {
    d.get(key).and_then(Value::as_str).map(str::to_string)
}

fn round_of(d: &Value) -> Option<i64> {
    d.get("round").and_then(Value::as_i64)
}

fn roster_of(d: &Value) -> Option<Vec<Member>> {
    serde_json::from_value(d.get("roster")?.clone()).ok()
}

/// One scrutineer's entry of a paper round: it replaces their earlier one.
fn paper_entry(paper: &mut BTreeMap<i64, [Option<BTreeMap<String, Counts>>; 2]>, d: &Value) {
    let (Some(round), Some(entry), Some(counts)) =
        (round_of(d), d.get("entry").and_then(Value::as_u64), d.get("counts").and_then(Value::as_object))
    else {
        return;
    };
    let n = |v: &Value, k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0) as u32;
    let counts = counts
        .iter()
        .map(|(c, v)| (c.clone(), (n(v, "votes_for"), n(v, "against"), n(v, "abstain"))))
        .collect();
    if let Some(slot) = paper.entry(round).or_default().get_mut((entry as usize).wrapping_sub(1)) {
        *slot = Some(counts);
    }
}

/// Every difference between the replayed meeting and the archive's tables
/// (`kept`: the JSON records and PDFs by path) and sealed PDFs.
/// Each with the step of docs/verification.md it fails: the tables V5
/// (`ballots.json`'s paper ballots V12), the sealed PDFs V13.
pub(super) fn check(kept: &BTreeMap<String, Vec<u8>>, entries: &[Entry], lang: Lang) -> Vec<(Step, String)> {
    let replay = Replay::of(entries);
    let mut out = compare::tables(&replay, kept, lang);
    out.extend(sealed::documents(&replay, kept, lang).into_iter().map(|p| (Step::Documents, p)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &str, detail: Value) -> Entry {
        Entry {
            seq: 0,
            at: "2025-12-05T01:00:00Z".into(),
            kind: kind.into(),
            detail: detail.to_string(),
            prev_hash: String::new(),
            entry_hash: String::new(),
        }
    }

    /// A chain as the first versions wrote it: the roster's import gives only
    /// its size, a proposal no pairs, a round no mode, a paper entry no
    /// counts. What it cannot rebuild is unknown, never empty.
    #[test]
    fn an_older_chain_replays_what_it_carries_and_no_more() {
        let chain = [
            entry("import.committee", serde_json::json!({ "members": 2 })),
            entry("signin.in", serde_json::json!({ "member": "M01" })),
            entry("recusal.propose", serde_json::json!({ "proposed": 1 })),
            entry(
                "recusal.set",
                serde_json::json!({ "member": "M02", "candidate": "C1", "status": "dismissed" }),
            ),
            entry(
                "round.open",
                serde_json::json!({ "round": 1, "candidates": ["C1"], "present": 1, "reason": "" }),
            ),
            entry("paper.entry", serde_json::json!({ "round": 1, "entry": 1, "scrutineer": "甲" })),
            entry("paper.agreed", serde_json::json!({ "round": 1 })),
        ];
        let r = Replay::of(&chain);
        assert!(r.roster.is_none(), "no member listed: the roster is not known");
        assert!(!r.recusals_complete, "a proposal without its pairs");
        assert_eq!(r.recusals.get(&("M02".into(), "C1".into())).map(String::as_str), Some("dismissed"));
        let round = &r.rounds[&1];
        assert_eq!(round.opened.as_ref().map(|o| o.mode.as_str()), Some("station"));
        assert!(round.register.is_none(), "recusals not replayable: no register");
        assert!(round.agreed.is_none(), "entries without counts agree on nothing the chain can show");
        assert_eq!(r.attendance.len(), 1);
    }

    /// Superseded paper entries stay in the chain; the last of each counts.
    #[test]
    fn the_last_entry_of_each_scrutineer_is_the_agreed_count() {
        let counts = |f: u32| serde_json::json!({ "C1": { "votes_for": f, "against": 1, "abstain": 0 } });
        let chain = [
            entry(
                "round.open",
                serde_json::json!({ "round": 1, "mode": "paper", "candidates": ["C1"], "present": 3, "reason": "" }),
            ),
            entry("paper.entry", serde_json::json!({ "round": 1, "entry": 1, "counts": counts(2) })),
            entry("paper.entry", serde_json::json!({ "round": 1, "entry": 2, "counts": counts(1) })),
            entry("paper.entry", serde_json::json!({ "round": 1, "entry": 2, "counts": counts(2) })),
            entry("paper.agreed", serde_json::json!({ "round": 1 })),
        ];
        let r = Replay::of(&chain);
        assert_eq!(r.rounds[&1].agreed.as_ref().and_then(|a| a.get("C1")).copied(), Some((2, 1, 0)));
    }
}
