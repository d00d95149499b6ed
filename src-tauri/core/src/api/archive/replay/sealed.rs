//! The replayed meeting against what the sealed PDFs print: the minutes'
//! rules, roster, attendance, recusals, overrides and rounds, each results
//! sheet's members present, rules and tallies. A PDF whose seal does not
//! hold is a problem of its own and is not read here.

use super::compare::{self, Facts, Say};
use super::{Member, Replay};
use crate::domain::rules::{Rules, Tally};
use crate::i18n::{Lang, Msg, Says};
use crate::print::minutes::{Attendance, BarredLine, MinutesData, RecusalLine};
use serde_json::Value;
use std::collections::BTreeMap;

pub(super) fn documents(replay: &Replay, kept: &BTreeMap<String, Vec<u8>>, lang: Lang) -> Vec<String> {
    let say = Say::new(replay, kept, lang);
    // The roster the minutes' lines follow, in roster order.
    let roster: Vec<Member> = match &replay.roster {
        Some(r) => r.clone(),
        None => compare::table(kept, "roster.json").unwrap_or_default(),
    };
    let mut out = Vec::new();
    for (name, body) in kept.iter().filter(|(n, _)| n.starts_with("pdf/")) {
        let Some(data) = crate::api::verify::sealed_data(body) else { continue };
        match data.get("kind").and_then(Value::as_str) {
            Some(crate::print::minutes::KIND) => {
                // Minutes sealed by a version whose data had another shape
                // (an older archive) are checked by their seal and heads only.
                if let Ok(m) = serde_json::from_value::<MinutesData>(data) {
                    minutes(&say, name, &m, &roster, &mut out);
                }
            }
            Some(crate::print::results::KIND) => results(&say, name, &data, &mut out),
            _ => {}
        }
    }
    out
}

fn minutes(say: &Say, source: &str, m: &MinutesData, roster: &[Member], out: &mut Vec<String>) {
    compare::rules(say, source, Some(&m.rules), out);
    attendance(say, source, &m.attendance, roster, out);
    recusals(say, source, &m.recusals, out);
    overrides(say, source, &m.barred, out);
    for r in &m.rounds {
        let facts = Facts {
            mode: &r.mode,
            candidates: None,
            present: r.present,
            reason: &r.reason,
            confirmed: r.confirmed_at.is_some(),
        };
        compare::round_facts(say, source, r.id, &facts, out);
        let rows: Vec<(String, Option<Tally>)> =
            r.rows.iter().map(|x| (x.id.clone(), Some(x.tally.clone()))).collect();
        compare::round_results(say, source, r.id, &rows, out);
    }
    for (id, round) in &say.replay().rounds {
        if round.opened.is_some() && !m.rounds.iter().any(|r| r.id == *id) {
            let shown = say.none();
            out.push(
                Msg::ReplayRound {
                    source: source.into(),
                    round: *id,
                    says: Says::boxed(format!("#{id}"), shown),
                }
                .render(say.lang),
            );
        }
    }
}

/// The minutes' attendance, one line per member in roster order: the name,
/// role and organisation against the roster, the 签到 / 离席 in order
/// against the chain. The times are not compared: the minutes print local
/// time on the printing laptop's clock zone, which the archive does not keep.
fn attendance(say: &Say, source: &str, lines: &[Attendance], roster: &[Member], out: &mut Vec<String>) {
    let chain = compare::by_member(&say.replay().attendance);
    for (k, line) in lines.iter().enumerate() {
        let Some(m) = roster.get(k) else {
            let msg = Msg::ReplayRoster {
                source: source.into(),
                member: line.name.clone(),
                says: Says::boxed(say.none(), line.name.clone()),
            };
            out.push(msg.render(say.lang));
            continue;
        };
        if say.replay().roster.is_some()
            && (m.name != line.name || m.role != line.role || m.organization != line.organization)
        {
            let words = |n: &str, r: &str, o: &Option<String>| {
                [Some(n), Some(r), o.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" / ")
            };
            let msg = Msg::ReplayRoster {
                source: source.into(),
                member: say.member(&m.id),
                says: Says::boxed(
                    words(&m.name, &m.role, &m.organization),
                    words(&line.name, &line.role, &line.organization),
                ),
            };
            out.push(msg.render(say.lang));
        }
        let flags = |e: &[(bool, String)]| e.iter().map(|(p, _)| (*p, String::new())).collect::<Vec<_>>();
        let (want, shown) = (flags(chain.get(&m.id).map(Vec::as_slice).unwrap_or(&[])), flags(&line.events));
        if want != shown {
            let msg = Msg::ReplayAttendance {
                source: source.into(),
                member: say.member(&m.id),
                says: Says::boxed(say.history(&want, false), say.history(&shown, false)),
            };
            out.push(msg.render(say.lang));
        }
    }
    for m in roster.iter().skip(lines.len()) {
        let msg = Msg::ReplayRoster {
            source: source.into(),
            member: say.member(&m.id),
            says: Says::boxed(m.name.clone(), say.none()),
        };
        out.push(msg.render(say.lang));
    }
}

/// The minutes' confirmed recusals (member by name) against the chain's.
fn recusals(say: &Say, source: &str, lines: &[RecusalLine], out: &mut Vec<String>) {
    let replay = say.replay();
    let confirmed = "confirmed".to_string();
    let mut problem = |member: String, candidate: String, chain: Option<&String>, shown: Option<&String>| {
        let (chain, shown) = (say.recusal(chain), say.recusal(shown));
        out.push(
            Msg::ReplayRecusal { source: source.into(), member, candidate, says: Says::boxed(chain, shown) }
                .render(say.lang),
        );
    };
    for ((m, c), status) in replay.recusals.iter().filter(|(_, s)| **s == confirmed) {
        let name = say.name(m);
        if !lines.iter().any(|l| &l.candidate_id == c && Some(l.member_name.as_str()) == name) {
            problem(say.member(m), c.clone(), Some(status), None);
        }
    }
    for l in lines {
        let id = say.id_of(&l.member_name).map(str::to_string);
        let status = id.as_ref().and_then(|m| replay.recusals.get(&(m.clone(), l.candidate_id.clone())));
        let wrong = match status {
            Some(s) => *s != confirmed,
            None => replay.recusals_complete,
        };
        if wrong {
            let member = id.map_or_else(|| l.member_name.clone(), |m| say.member(&m));
            let candidate = format!("{} ({})", l.candidate_name, l.candidate_id);
            problem(member, candidate, status, Some(&confirmed));
        }
    }
}

/// The minutes' 资格审查 overrides (reason, and who by name) against the chain's.
fn overrides(say: &Say, source: &str, lines: &[BarredLine], out: &mut Vec<String>) {
    let chain = &say.replay().overrides;
    let words = |reason: Option<&str>, by: Option<&str>| match (reason, by) {
        (None, _) => say.none(),
        (Some(r), None) => r.to_string(),
        (Some(r), Some(b)) => format!("{r} ({b})"),
    };
    let mut problem = |candidate: String, chain: String, shown: String| {
        out.push(
            Msg::ReplayOverride { source: source.into(), candidate, says: Says::boxed(chain, shown) }
                .render(say.lang),
        );
    };
    for (c, o) in chain {
        let line = lines.iter().find(|l| &l.candidate_id == c);
        let shown_reason = line.and_then(|l| l.override_reason.as_deref());
        let by = o.by.as_deref().and_then(|b| say.name(b));
        let shown_by = line.and_then(|l| l.override_by.as_deref());
        // Who authorised it is compared where both say (older minutes do not).
        let by_differs = by.is_some() && shown_by.is_some() && by != shown_by;
        if shown_reason != Some(o.reason.as_str()) || by_differs {
            let candidate = line.map_or_else(|| c.clone(), |l| format!("{} ({c})", l.name));
            problem(candidate, words(Some(&o.reason), by), words(shown_reason, shown_by));
        }
    }
    for l in lines.iter().filter(|l| l.override_reason.is_some() && !chain.contains_key(&l.candidate_id)) {
        let shown = words(l.override_reason.as_deref(), l.override_by.as_deref());
        problem(format!("{} ({})", l.name, l.candidate_id), say.none(), shown);
    }
}

/// A results sheet: its round's members present, the rules and each row's tally.
fn results(say: &Say, source: &str, data: &Value, out: &mut Vec<String>) {
    let Some(id) = data.get("round").and_then(Value::as_i64) else { return };
    let rules = data.get("rules").and_then(|r| serde_json::from_value::<Rules>(r.clone()).ok());
    compare::rules(say, source, rules.as_ref(), out);
    let present = data.get("present").and_then(Value::as_i64);
    let opened = say.replay().rounds.get(&id).and_then(|r| r.opened.as_ref());
    if let Some(o) = opened.filter(|o| Some(o.present) != present) {
        let shown = present.map_or_else(|| say.none(), |p| say.present(p));
        let msg = Msg::ReplayRound {
            source: source.into(),
            round: id,
            says: Says::boxed(say.present(o.present), shown),
        };
        out.push(msg.render(say.lang));
    }
    let rows: Vec<(String, Option<Tally>)> = data
        .get("rows")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let c = r.get("id")?.as_str()?.to_string();
            Some((c, serde_json::from_value::<Tally>(r.get("tally")?.clone()).ok()))
        })
        .collect();
    compare::round_results(say, source, id, &rows, out);
}
