//! The meeting's steps, headless: sign-in, recusals, rounds and the status,
//! through the same core functions as the window. Secrets (PINs) come from
//! standard input, one per line, never from the arguments.

use super::{fail, open_meeting, read_secrets, say, tell};
use conclave_core::api::{session, voting};
use conclave_core::i18n::{Lang, Msg};
use std::collections::BTreeMap;
use std::path::Path;

/// Runs `f` on the meeting's database: exit 0 when it succeeds, 1 with the
/// message when the core refuses, 2 when the file is not a meeting.
pub(super) fn on_meeting(
    meeting: &Path,
    lang: Lang,
    f: impl FnOnce(&mut conclave_core::store::Meeting) -> conclave_core::error::Result<()>,
) -> i32 {
    match open_meeting(meeting, lang) {
        Ok(mut conn) => match f(&mut conn) {
            Ok(()) => 0,
            Err(e) => fail(&e, lang),
        },
        Err(code) => code,
    }
}

/// `signin` / `signout`: every member named, or none (the first unknown
/// member stops the command before anything is recorded).
pub fn presence(meeting: &Path, members: &[String], present: bool, lang: Lang) -> i32 {
    on_meeting(meeting, lang, |conn| {
        session::set_presence_many(conn, members, present)?;
        for m in members {
            say!("{}", Msg::CliSignedIn { member: m.clone(), present }.render(lang));
        }
        Ok(())
    })
}

pub fn recusal_propose(meeting: &Path, json: bool, lang: Lang) -> i32 {
    on_meeting(meeting, lang, |conn| {
        let added = session::propose_recusals(conn)?;
        if json {
            say!("{}", serde_json::json!({ "proposed": added, "recusals": recusals_json(conn)? }));
        } else {
            say!("{}", Msg::CliRecusalsProposed { count: added }.render(lang));
        }
        Ok(())
    })
}

/// `recusal confirm` (`confirmed`) or `recusal dismiss`: one pair, or with
/// `all` every proposal still undecided.
pub fn recusal_decide(
    meeting: &Path,
    all: bool,
    pair: Option<(&str, &str)>,
    confirmed: bool,
    reason: &str,
    lang: Lang,
) -> i32 {
    if !all && pair.is_none() {
        tell!("conclave: {}", Msg::CliRecusalMemberCandidate.render(lang));
        return 2;
    }
    on_meeting(meeting, lang, |conn| {
        let decided = match pair {
            Some((m, c)) if !all => {
                session::set_recusal(conn, m, c, confirmed, reason)?;
                vec![(m.to_string(), c.to_string())]
            }
            _ => session::decide_all_recusals(conn, confirmed)?,
        };
        for (member, candidate) in decided {
            say!("{}", Msg::CliRecusalSet { member, candidate, confirmed }.render(lang));
        }
        Ok(())
    })
}

/// [`on_meeting`] for an act of the chair's: the chair's (or a standing-in
/// vice chair's) PIN is read from stdin first and handed to `f`.
fn as_chair(
    meeting: &Path,
    lang: Lang,
    f: impl FnOnce(&mut conclave_core::store::Meeting, &str) -> conclave_core::error::Result<()>,
) -> i32 {
    match read_secrets(1, &Msg::ChairPinWord.render(lang), lang) {
        Ok(pin) => on_meeting(meeting, lang, |conn| f(conn, pin.first().map_or("", String::as_str))),
        Err(code) => code,
    }
}

/// `round open`: refused before any PIN is read when the round cannot open
/// (the reason in plain words, as the window says it); otherwise says whose
/// PIN it takes (the chair's, or a standing-in vice chair's) and reads it
/// from stdin.
pub fn round_open(
    meeting: &Path,
    mode: voting::Mode,
    candidates: &[String],
    reason: &str,
    lang: Lang,
) -> i32 {
    let prompt = match open_meeting(meeting, lang) {
        Ok(conn) => match voting::can_open(&conn, candidates, reason) {
            Ok(p) => p.prompt().render(lang),
            Err(e) => return fail(&e, lang),
        },
        Err(code) => return code,
    };
    tell!("{prompt}");
    as_chair(meeting, lang, |conn, pin| {
        let id = voting::open_round(conn, candidates, reason, mode, pin)?;
        say!("{id}");
        tell!("{}", Msg::CliRoundOpened { id }.render(lang));
        Ok(())
    })
}

/// Parses `C1=for,C2=against,C3=abstain`.
fn parse_choices(text: &str, lang: Lang) -> Result<BTreeMap<String, voting::Choice>, i32> {
    let mut out = BTreeMap::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let parsed = item.split_once('=').and_then(|(c, v)| {
            let choice = match v.trim() {
                "for" | "同意" => voting::Choice::For,
                "against" | "不同意" => voting::Choice::Against,
                "abstain" | "弃权" => voting::Choice::Abstain,
                _ => return None,
            };
            let c = c.trim();
            (!c.is_empty() && !out.contains_key(c)).then(|| (c.to_string(), choice))
        });
        match parsed {
            Some((c, choice)) => {
                out.insert(c, choice);
            }
            None => {
                tell!("conclave: {}", Msg::CliChoiceInvalid { item: item.into() }.render(lang));
                return Err(2);
            }
        }
    }
    Ok(out)
}

/// `round cast`: the member's PIN on stdin says who is voting.
pub fn round_cast(meeting: &Path, round: i64, choices: Option<&str>, lang: Lang) -> i32 {
    let pin = match read_secrets(1, &Msg::PinWord.render(lang), lang) {
        Ok(mut p) => p.remove(0),
        Err(code) => return code,
    };
    let from_stdin;
    let choices = match choices {
        Some(c) => c,
        None => match read_secrets(1, &Msg::ChoicesWord.render(lang), lang) {
            Ok(mut c) => {
                from_stdin = c.remove(0);
                from_stdin.as_str()
            }
            Err(code) => return code,
        },
    };
    let choices = match parse_choices(choices, lang) {
        Ok(c) => c,
        Err(code) => return code,
    };
    on_meeting(meeting, lang, |conn| {
        let member = session::member_by_pin(conn, &pin)?;
        let receipt = voting::cast(conn, round, &member, &choices)?;
        // The tracker, and the chain head that includes the ballot (its receipt).
        say!("{} {}", receipt.tracker, receipt.chain_head);
        tell!("{}", Msg::CliCast { round, closed: receipt.round_closed }.render(lang));
        Ok(())
    })
}

/// `round close`: the chair's PIN on stdin.
pub fn round_close(meeting: &Path, round: i64, lang: Lang) -> i32 {
    as_chair(meeting, lang, |conn, pin| {
        voting::close_round(conn, round, pin)?;
        say!("{}", Msg::CliBoxClosed { id: round }.render(lang));
        Ok(())
    })
}

/// Exactly two people named with `flag`, and `n` passphrases from stdin.
fn two_and_passphrases<'a>(
    names: &'a [String],
    flag: &str,
    n: usize,
    lang: Lang,
) -> Result<([&'a String; 2], Vec<String>), i32> {
    let [a, b] = names else {
        tell!("conclave: {}", Msg::CliTwoNeeded { what: flag.into() }.render(lang));
        return Err(2);
    };
    Ok(([a, b], read_secrets(n, &Msg::PassphraseWord.render(lang), lang)?))
}

/// `trustees setup`: three names, three passphrases on stdin.
pub fn trustees_setup(meeting: &Path, chair: &str, scrutineers: &[String], lang: Lang) -> i32 {
    let ([s1, s2], secrets) = match two_and_passphrases(scrutineers, "--scrutineer", 3, lang) {
        Ok(v) => v,
        Err(code) => return code,
    };
    on_meeting(meeting, lang, |conn| {
        let names = [chair, s1.as_str(), s2.as_str()];
        let done = conclave_core::api::trustees::setup(conn, names, [&secrets[0], &secrets[1], &secrets[2]])?;
        for t in done {
            say!("{} {}", t.index, t.name);
        }
        // What the key ceremony sheet prints, for the trustees to compare.
        if let Some(c) = conclave_core::api::trustees::ceremony(conn)? {
            say!(
                "{}",
                Msg::CliCeremony { election: c.election_fingerprint, signing: c.signing_fingerprint }
                    .render(lang)
            );
        }
        Ok(())
    })
}

/// `secretary-pin`: the new PIN twice on stdin, after the current one
/// where one is set.
pub fn secretary_pin(meeting: &Path, lang: Lang) -> i32 {
    let set = match open_meeting(meeting, lang) {
        Ok(conn) => match conclave_core::api::secretary::is_set(&conn) {
            Ok(set) => set,
            Err(e) => return fail(&e, lang),
        },
        Err(code) => return code,
    };
    let secrets = match read_secrets(if set { 3 } else { 2 }, &Msg::SecretaryPinWord.render(lang), lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (current, new) = if set { (Some(secrets[0].as_str()), &secrets[1..]) } else { (None, &secrets[..]) };
    on_meeting(meeting, lang, |conn| conclave_core::api::secretary::set(conn, current, &new[0], &new[1]))
}

/// `eligibility override`: the chair puts a barred candidate to the vote;
/// the chair's PIN on stdin.
pub fn eligibility_override(meeting: &Path, candidate: &str, reason: &str, lang: Lang) -> i32 {
    as_chair(meeting, lang, |conn, pin| {
        conclave_core::api::eligibility::record_override(conn, candidate, reason, pin)?;
        say!("{}", Msg::CliOverridden { id: candidate.into() }.render(lang));
        Ok(())
    })
}

/// `round tally`: two trustees, their passphrases on stdin.
pub fn round_tally(meeting: &Path, round: i64, trustees: &[String], lang: Lang) -> i32 {
    let ([a, b], secrets) = match two_and_passphrases(trustees, "--trustee", 2, lang) {
        Ok(v) => v,
        Err(code) => return code,
    };
    on_meeting(meeting, lang, |conn| {
        conclave_core::api::tally::tally_round(conn, round, [(a, &secrets[0]), (b, &secrets[1])])?;
        say!("{}", Msg::CliRoundClosed { id: round }.render(lang));
        Ok(())
    })
}

/// `round confirm`: the chair's PIN on stdin.
pub fn round_confirm(meeting: &Path, round: i64, lang: Lang) -> i32 {
    as_chair(meeting, lang, |conn, pin| {
        voting::confirm_round(conn, round, pin)?;
        say!("{}", Msg::CliRoundConfirmed { id: round }.render(lang));
        Ok(())
    })
}

fn recusals_json(conn: &conclave_core::store::Connection) -> conclave_core::error::Result<serde_json::Value> {
    Ok(session::recusals(conn)?
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "member": r.member_id, "candidate": r.candidate_id, "status": r.status, "reason": r.reason,
            })
        })
        .collect())
}

/// `status --json`: attendance, quorum, recusals and rounds with their
/// results, in one object.
pub fn status(meeting: &Path, lang: Lang) -> i32 {
    on_meeting(meeting, lang, |conn| {
        let view = voting::session_view(conn)?;
        let rankings = conclave_core::api::posts::walk(conn, false)?.rankings;
        let revote: Vec<_> = conclave_core::api::posts::revote_needed(conn)?
            .into_iter()
            .map(|(title, msg)| serde_json::json!({ "title": title, "message": msg.render(lang) }))
            .collect();
        let attendance: Vec<_> = view
            .attendance
            .iter()
            .map(|a| serde_json::json!({ "member": a.id, "name": a.name, "present": a.present, "left": a.left }))
            .collect();
        let rounds: Vec<_> = view
            .rounds
            .iter()
            .map(|r| {
                let status = match (&r.closed_at, &r.confirmed_at) {
                    (_, Some(_)) => "confirmed",
                    (Some(_), None) => "closed",
                    (None, _) => "open",
                };
                let ranking = rankings.get(&r.id).cloned().unwrap_or_default();
                let results: Vec<_> = r
                    .results
                    .iter()
                    .map(|x| {
                        let t = &x.tally;
                        serde_json::json!({
                            "candidate": x.candidate_id, "for": t.votes_for, "against": t.against,
                            "abstain": t.abstain, "not_voted": t.not_voted, "eligible": t.eligible,
                            "threshold": t.threshold, "passed": t.passed,
                            "posts": ranking.iter().flat_map(|g| &g.ranked)
                                .find(|p| p.candidate_id == x.candidate_id).map(|p| p.place),
                        })
                    })
                    .collect();
                serde_json::json!({
                    "number": r.id, "mode": r.mode, "status": status, "candidates": r.candidates,
                    "ranking": ranking,
                    "voted": r.voters_done, "expected": r.voters_expected, "results": results,
                    "sealed": r.sealed, "box_root": r.box_root, "trackers": r.trackers,
                })
            })
            .collect();
        say!(
            "{}",
            serde_json::json!({
                "attendance": attendance,
                "quorum": { "present": view.quorum.present, "needed": view.quorum.needed, "met": view.quorum.met },
                "recusals": recusals_json(conn)?,
                "rounds": rounds,
                "trustees": view.trustees,
                "ceremony": view.ceremony,
                "chain_head": view.chain_head,
                "barred": view.barred,
                "standard": conclave_core::api::standard::info(conn)?,
                "conditions": conclave_core::api::standard::check_all(conn)?,
                "revote_needed": revote,
                "checklist": conclave_core::api::progress::checklist(conn, lang)?,
            })
        );
        Ok(())
    })
}

/// `round audited`: the audited ballots, or what one of them encrypted.
pub fn round_audited(meeting: &Path, round: Option<i64>, tracker: Option<&str>, lang: Lang) -> i32 {
    on_meeting(meeting, lang, |conn| {
        match (round, tracker) {
            (Some(round), Some(tracker)) => {
                let check = voting::check_audited(conn, round, tracker)?;
                say!("{}", Msg::CliAudited { round, tracker: check.tracker.clone() }.render(lang));
                for l in check.lines {
                    let option = l.choice.as_str().to_string();
                    say!("{}", Msg::CliAuditedLine { name: l.name, id: l.candidate_id, option }.render(lang));
                }
            }
            _ => {
                let all: Vec<_> = voting::audited(conn)?
                    .into_iter()
                    .filter(|a| round.is_none_or(|r| a.round == r))
                    .collect();
                if all.is_empty() {
                    tell!("{}", Msg::CliNoAudited.render(lang));
                }
                for a in all {
                    say!("{}\t{}\t{}", a.round, a.tracker, a.tracker_hex);
                }
            }
        }
        Ok(())
    })
}
