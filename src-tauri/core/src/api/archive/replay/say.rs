//! How the replay's problems word what the chain and a file say: members
//! by name and id, 签到 histories, counts and tallies, rules, a round's
//! facts, a recusal's state, in the reader's language.

use super::compare::table;
use super::{Counts, Member, Replay};
use crate::domain::rules::{Rules, Tally};
use crate::i18n::{Lang, Msg};
use std::collections::BTreeMap;

/// Everything a comparison needs to name things in the user's words.
pub(super) struct Say<'a> {
    pub lang: Lang,
    /// Member id → name: the chain's roster, else `roster.json`'s.
    names: BTreeMap<String, String>,
    replay: &'a Replay,
}

impl<'a> Say<'a> {
    pub fn new(replay: &'a Replay, kept: &BTreeMap<String, Vec<u8>>, lang: Lang) -> Say<'a> {
        let listed: Vec<Member> = match &replay.roster {
            Some(r) => r.clone(),
            None => table(kept, "roster.json").unwrap_or_default(),
        };
        let names = listed.into_iter().map(|m| (m.id, m.name)).collect();
        Say { lang, names, replay }
    }

    pub fn replay(&self) -> &'a Replay {
        self.replay
    }

    /// A member's name, where known.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.names.get(id).map(String::as_str)
    }

    pub fn present(&self, n: i64) -> String {
        if self.lang == Lang::Zh {
            format!("出席 {n} 人")
        } else {
            format!("{n} present")
        }
    }

    /// A member as people read them: name and id.
    pub fn member(&self, id: &str) -> String {
        match self.names.get(id) {
            Some(name) => format!("{name} ({id})"),
            None => id.to_string(),
        }
    }

    pub fn id_of(&self, name: &str) -> Option<&str> {
        self.names.iter().find(|(_, n)| *n == name).map(|(id, _)| id.as_str())
    }

    pub fn none(&self) -> String {
        Msg::ReplayNone.render(self.lang)
    }

    fn word(&self, zh: &str, en: &str) -> String {
        if self.lang == Lang::Zh { zh } else { en }.to_string()
    }

    /// A history of 签到 / 离席 (with times when `timed`).
    pub fn history(&self, events: &[(bool, String)], timed: bool) -> String {
        if events.is_empty() {
            return self.none();
        }
        let words: Vec<String> = events
            .iter()
            .map(|(present, at)| {
                let w = if *present { self.word("签到", "signed in") } else { self.word("离席", "left") };
                if timed {
                    format!("{w} {at}")
                } else {
                    w
                }
            })
            .collect();
        words.join(" → ")
    }

    pub fn counts(&self, (f, a, b): Counts) -> String {
        if self.lang == Lang::Zh {
            format!("同意 {f}、不同意 {a}、弃权 {b}")
        } else {
            format!("for {f}, against {a}, abstain {b}")
        }
    }

    pub fn tally(&self, t: Option<&Tally>) -> String {
        let Some(t) = t else { return self.none() };
        let counts = self.counts((t.votes_for, t.against, t.abstain));
        let passed =
            if t.passed { self.word("通过", "passed") } else { self.word("未通过", "not passed") };
        let (nv, el, de, th) = (t.not_voted, t.eligible, t.denominator, t.threshold);
        if self.lang == Lang::Zh {
            format!("{counts}、未投 {nv}、应投 {el}、基数 {de}、通过线 {th}、{passed}")
        } else {
            format!("{counts}, not voted {nv}, eligible {el}, base {de}, threshold {th}, {passed}")
        }
    }

    pub fn rules(&self, r: Option<&Rules>) -> String {
        r.and_then(|r| serde_json::to_string(r).ok()).unwrap_or_else(|| self.none())
    }

    /// A round's facts: mode, candidates (where the file lists them), present, reason.
    pub fn round(&self, f: &Facts) -> String {
        let (mode, present, reason) = (f.mode, f.present, f.reason);
        let c = f.candidates.map(|c| c.join(", "));
        match (self.lang, c) {
            (Lang::Zh, Some(c)) => format!("方式 {mode}；候选人 {c}；出席 {present} 人；理由“{reason}”"),
            (Lang::Zh, None) => format!("方式 {mode}；出席 {present} 人；理由“{reason}”"),
            (_, Some(c)) => format!("mode {mode}; candidates {c}; {present} present; reason “{reason}”"),
            (_, None) => format!("mode {mode}; {present} present; reason “{reason}”"),
        }
    }

    /// A recusal's state (`proposed`, `confirmed`, `dismissed`) in words.
    pub fn recusal(&self, status: Option<&String>) -> String {
        match status.map(String::as_str) {
            None => self.none(),
            Some("confirmed") => self.word("确认回避", "confirmed"),
            Some("dismissed") => self.word("不予回避", "dismissed"),
            Some("proposed") => self.word("待决定", "proposed"),
            Some(other) => other.to_string(),
        }
    }

    pub fn confirmed(&self, yes: bool) -> String {
        if yes {
            self.word("已确认", "confirmed")
        } else {
            self.word("未确认", "not confirmed")
        }
    }
}

/// A round's facts as a file shows them, in [`Say::round`]'s words.
pub(super) struct Facts<'f> {
    pub mode: &'f str,
    /// `None` where the file does not list a round's candidates (the minutes).
    pub candidates: Option<&'f [String]>,
    pub present: i64,
    pub reason: &'f str,
    pub confirmed: bool,
}

impl super::Opened {
    pub(super) fn facts<'f>(&'f self, candidates: Option<&'f [String]>, confirmed: bool) -> Facts<'f> {
        Facts { mode: &self.mode, candidates, present: self.present, reason: &self.reason, confirmed }
    }
}
