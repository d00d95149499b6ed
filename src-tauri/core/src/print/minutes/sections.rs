//! The minutes' sections, in the order they print, and the words they share.

use super::*;
use crate::i18n::labels::label;
use crate::i18n::Lang;
use crate::package::model::GroupOpinion;
use crate::print::layout::{by_whom, colon, labelled, punct, Layout, Table, MARGIN};
use crate::print::{results, seal};

const SIZE: f32 = 9.5;

fn attendance_status(a: &Attendance, lang: Lang) -> String {
    if a.events.is_empty() {
        return label("minutes.absent", lang);
    }
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    a.events
        .iter()
        .map(|(present, at)| {
            format!("{} {at}", label(if *present { "minutes.in" } else { "minutes.out" }, lang))
        })
        .collect::<Vec<_>>()
        .join(sep)
}

fn reason_label(reason: &str, lang: Lang) -> String {
    match reason {
        "same_organization" | "reviewer" | "declared" => label(&format!("recusal_reason.{reason}"), lang),
        other => other.to_string(),
    }
}

fn opinion_text(o: &Option<GroupOpinion>, lang: Lang) -> String {
    let Some(o) = o else { return label("not_given", lang) };
    let c = colon(lang);
    let mut parts = Vec::new();
    if !o.reviewers.is_empty() {
        parts.push(format!("{}{c}{}", label("opinion.reviewers", lang), o.reviewers.join("、")));
    }
    if let Some(r) = &o.recommendation {
        parts.push(format!(
            "{}{c}{}",
            label("opinion.recommendation", lang),
            label(&format!("opinion.{r}"), lang)
        ));
    }
    if let Some(v) = &o.votes {
        parts.push(punct(
            format!(
                "{}{c}{} {}，{} {}，{} {}",
                label("opinion.votes", lang),
                label("col.for", lang),
                v.for_.unwrap_or(0),
                label("col.against", lang),
                v.against.unwrap_or(0),
                label("col.abstain", lang),
                v.abstain.unwrap_or(0)
            ),
            lang,
        ));
    }
    if let Some(t) = &o.text {
        parts.push(format!("{}{c}{t}", label("opinion.text", lang)));
    }
    parts.join("\n")
}

/// The title and the meeting's facts: attendance, quorum, the rules.
pub(super) fn heading_and_facts(l: &mut Layout, data: &MinutesData) {
    let lang = data.lang;
    let c = colon(lang);
    let width = l.width - 2.0 * MARGIN;
    l.y -= 18.0;
    l.title(&label("minutes.title", lang));
    l.y -= 8.0;
    let present_now = data.attendance.iter().filter(|a| a.events.last().is_some_and(|e| e.0)).count();
    let attended = data.signers.len();
    for line in [
        format!("{}{c}{}", label("minutes.meeting", lang), data.meeting.name),
        format!("{}{c}{}", label("committee", lang), data.meeting.committee),
        data.meeting.facts(lang),
        punct(
            format!(
                "{}{c}{} {}，{} {}，{} {}；{}{c}{} ≥ ⌈{}/{} × {}⌉ = {}",
                label("minutes.attendance_summary", lang),
                label("minutes.roster", lang),
                data.roster,
                label("minutes.attended", lang),
                attended,
                label("minutes.present_at_end", lang),
                present_now,
                label("minutes.quorum", lang),
                attended,
                data.rules.quorum_num,
                data.rules.quorum_den,
                data.roster,
                data.quorum_needed
            ),
            lang,
        ),
        results::rule_line(&data.rules, lang),
        punct(
            format!(
                "{}{c}{}；{}{c}{}",
                label("minutes.abstain_counts", lang),
                label(if data.rules.abstain_counts { "yes" } else { "no" }, lang),
                label("minutes.max_rounds", lang),
                data.rules.max_rounds
            ),
            lang,
        ),
    ] {
        l.paragraph(MARGIN, width, 10.5, 16.0, &line);
    }
}

/// 一、出席情况: each member's 签到 and 离席.
pub(super) fn attendance(l: &mut Layout, data: &MinutesData) {
    let lang = data.lang;
    // Attendance.
    l.heading(&label("minutes.h.attendance", lang));
    let cols = labelled(
        &[
            ("col.no", 0.07),
            ("col.name", 0.15),
            ("minutes.col.role", 0.13),
            ("col.organization", 0.30),
            ("minutes.col.status", 0.35),
        ],
        lang,
    );
    let mut t = Table::new(l, &cols, SIZE);
    // On the page's QR: no., name and status.
    t.signed = vec![0, 1, 4];
    let rows: Vec<Vec<String>> = data
        .attendance
        .iter()
        .enumerate()
        .map(|(i, a)| {
            vec![
                (i + 1).to_string(),
                a.name.clone(),
                label(&format!("role.{}", a.role), lang),
                a.organization.clone().unwrap_or_default(),
                attendance_status(a, lang),
            ]
        })
        .collect();
    l.table(&t, &rows);
}

/// 二、回避情况.
pub(super) fn recusals(l: &mut Layout, data: &MinutesData) {
    let lang = data.lang;
    let width = l.width - 2.0 * MARGIN;
    // Recusals.
    l.heading(&label("minutes.h.recusals", lang));
    if data.recusals.is_empty() {
        l.paragraph(MARGIN, width, 10.5, 16.0, &label("minutes.none", lang));
    } else {
        let cols = labelled(
            &[
                ("col.id", 0.18),
                ("col.name", 0.18),
                ("minutes.col.member", 0.22),
                ("minutes.col.reason", 0.42),
            ],
            lang,
        );
        let mut t = Table::new(l, &cols, SIZE);
        // On the page's QR: candidate ID, name and member.
        t.signed = vec![0, 1, 2];
        let rows: Vec<Vec<String>> = data
            .recusals
            .iter()
            .map(|r| {
                vec![
                    r.candidate_id.clone(),
                    r.candidate_name.clone(),
                    r.member_name.clone(),
                    reason_label(&r.reason, lang),
                ]
            })
            .collect();
        l.table(&t, &rows);
    }
}

/// Who 资格审查 barred, and the chair's reason for any override.
pub(super) fn eligibility(l: &mut Layout, data: &MinutesData) {
    let lang = data.lang;
    // Eligibility: who was barred, and the chair's reason for any override.
    if !data.barred.is_empty() {
        l.heading(&label("minutes.barred", lang));
        let cols = labelled(
            &[("col.id", 0.16), ("col.name", 0.14), ("minutes.col.bar", 0.34), ("col.outcome", 0.36)],
            lang,
        );
        let mut t = Table::new(l, &cols, SIZE);
        t.signed = vec![0, 1, 3];
        let sep = if lang == Lang::Zh { "、" } else { ", " };
        let rows: Vec<Vec<String>> = data
            .barred
            .iter()
            .map(|b| {
                let why: Vec<String> = b.reasons.iter().map(|k| label(k, lang)).collect();
                let outcome = match &b.override_reason {
                    Some(reason) => {
                        let mut s =
                            format!("{}{}{reason}", label("minutes.barred.override", lang), colon(lang));
                        if let Some(by) = &b.override_by {
                            s.push_str(&by_whom(by, lang));
                        }
                        s
                    }
                    None => label("minutes.barred.out", lang),
                };
                vec![b.candidate_id.clone(), b.name.clone(), why.join(sep), outcome]
            })
            .collect();
        l.table(&t, &rows);
    }
}

/// 三、the candidates and their group opinions.
pub(super) fn candidates(l: &mut Layout, data: &MinutesData) {
    let lang = data.lang;
    // Candidates and their group opinions.
    l.heading(&label("minutes.h.candidates", lang));
    let cols = labelled(
        &[
            ("col.no", 0.06),
            ("col.id", 0.13),
            ("col.name", 0.10),
            ("col.organization", 0.17),
            ("col.title", 0.16),
            ("minutes.col.opinion", 0.38),
        ],
        lang,
    );
    let mut t = Table::new(l, &cols, SIZE);
    // On the page's QR: no., ID and name (not the opinions).
    t.signed = vec![0, 1, 2];
    let rows: Vec<Vec<String>> = data
        .candidates
        .iter()
        .enumerate()
        .map(|(i, cl)| {
            let title = label(&format!("title.{}", cl.applied_title), lang);
            let track = label(&format!("track.{}", cl.track.as_deref().unwrap_or("normal")), lang);
            vec![
                (i + 1).to_string(),
                cl.id.clone(),
                cl.name.clone(),
                cl.organization.clone(),
                punct(format!("{title}（{track}）"), lang),
                opinion_text(&cl.opinion, lang),
            ]
        })
        .collect();
    l.table(&t, &rows);
}

/// 四、every round: its facts, its counts, its ballot box and trackers.
pub(super) fn rounds(l: &mut Layout, data: &MinutesData) {
    let lang = data.lang;
    let c = colon(lang);
    let width = l.width - 2.0 * MARGIN;
    // Rounds.
    l.heading(&label("minutes.h.rounds", lang));
    if data.rounds.is_empty() {
        l.paragraph(MARGIN, width, 10.5, 16.0, &label("minutes.none", lang));
    }
    for r in &data.rounds {
        let mut head = format!(
            "{} {}（{}）{c}{} {}；{} {}",
            label("round", lang),
            r.id,
            label(&format!("round_mode.{}", r.mode), lang),
            label("minutes.opened", lang),
            r.opened_at,
            label("present", lang),
            r.present
        );
        if let Some(at) = &r.closed_at {
            head.push_str(&format!("；{} {at}", label("minutes.closed", lang)));
        }
        head.push_str(&format!(
            "；{}",
            match (&r.confirmed_at, &r.confirmed_by) {
                (Some(at), Some(by)) =>
                    format!("{} {at}{}", label("minutes.confirmed", lang), by_whom(by, lang)),
                (Some(at), None) => format!("{} {at}", label("minutes.confirmed", lang)),
                (None, _) => label("minutes.unconfirmed", lang),
            }
        ));
        let mut head = punct(head, lang);
        if !r.reason.is_empty() {
            head.push_str(&punct(format!("；{}{c}", label("minutes.reason", lang)), lang));
            head.push_str(&r.reason);
        }
        l.ensure(80.0);
        l.y -= 6.0;
        l.paragraph(MARGIN, width, 10.5, 16.0, &head);
        l.y -= 4.0;
        let cols: Vec<(String, f32)> = results::columns(lang)
            .into_iter()
            .zip([0.05, 0.12, 0.09, 0.0, 0.12, 0.0, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.14])
            .filter(|(_, f)| *f > 0.0)
            .map(|((h, _), f)| (h, f))
            .collect();
        let mut t = Table::new(l, &cols, 8.5);
        // On the page's QR: no., ID, name, the four counts and the outcome.
        t.signed = vec![0, 1, 2, 4, 5, 6, 7, 10];
        let rows: Vec<Vec<String>> = r
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let mut cells = results::cells(row, i, lang);
                // Without organisation and track: the candidates table has them.
                cells.remove(5);
                cells.remove(3);
                cells
            })
            .collect();
        l.table(&t, &rows);
        results::ranking_lines(l, &r.rankings, lang);
        if let Some(root) = &r.box_root {
            l.paragraph(MARGIN, width, 8.5, 13.0, &format!("{}{c}{root}", label("box_root", lang)));
        }
        if !r.trackers.is_empty() {
            let head = format!(
                "{}{c}",
                label("minutes.trackers", lang).replace("{n}", &r.trackers.len().to_string())
            );
            l.paragraph(MARGIN, width, 8.5, 13.0, &format!("{head}{}", r.trackers.join("  ")));
        }
        if !r.audited.is_empty() {
            let head =
                format!("{}{c}", label("minutes.audited", lang).replace("{n}", &r.audited.len().to_string()));
            l.paragraph(MARGIN, width, 8.5, 13.0, &format!("{head}{}", r.audited.join("  ")));
        }
    }
    final_results(l, data);
}

/// Each candidate's result across the rounds: the outcome of the last
/// confirmed round they were voted in (a re-vote replaces an earlier one),
/// or that they were not voted on. Read from the rounds above; nothing new.
fn final_results(l: &mut Layout, data: &MinutesData) {
    let lang = data.lang;
    if !data.rounds.iter().any(|r| r.confirmed_at.is_some()) {
        return;
    }
    let width = l.width - 2.0 * MARGIN;
    l.ensure(60.0);
    l.y -= 6.0;
    l.paragraph(MARGIN, width, 10.5, 16.0, &label("minutes.final", lang));
    let cols = labelled(
        &[
            ("col.no", 0.08),
            ("col.id", 0.2),
            ("col.name", 0.18),
            ("round", 0.14),
            ("minutes.col.outcome", 0.4),
        ],
        lang,
    );
    let t = Table::new(l, &cols, SIZE);
    let rows: Vec<Vec<String>> =
        data.candidates
            .iter()
            .enumerate()
            .map(|(i, cl)| {
                let last = data.rounds.iter().rev().filter(|r| r.confirmed_at.is_some()).find_map(|r| {
                    r.rows.iter().find(|row| row.id == cl.id).map(|row| (r.id, row.outcome_key()))
                });
                let (round, outcome) = match last {
                    Some((round, key)) => (round.to_string(), label(key, lang)),
                    None => ("—".into(), label("minutes.final.none", lang)),
                };
                vec![(i + 1).to_string(), cl.id.clone(), cl.name.clone(), round, outcome]
            })
            .collect();
    l.table(&t, &rows);
}

/// 五、the audit chain and the meeting key.
pub(super) fn integrity(l: &mut Layout, data: &MinutesData) {
    let lang = data.lang;
    let c = colon(lang);
    let width = l.width - 2.0 * MARGIN;
    // The audit chain and the key.
    l.heading(&label("minutes.h.integrity", lang));
    for line in [
        format!("{}{c}{}", label("minutes.audit_entries", lang), data.audit_entries),
        format!("{}{c}{}", label("minutes.audit_hash", lang), data.audit_hash),
        format!("{}{c}{}", label("minutes.public_key", lang), data.public_key),
        format!("{}{c}{}", label("seal.key", lang), seal::fingerprint(&data.public_key)),
    ] {
        l.paragraph(MARGIN, width, 9.0, 14.0, &line);
    }
}

/// 六、a signature line for everyone who attended, four to a row, and the recorder's.
pub(super) fn signatures(l: &mut Layout, data: &MinutesData) {
    let lang = data.lang;
    let c = colon(lang);
    let width = l.width - 2.0 * MARGIN;
    // Signatures of everyone who attended: four to a row.
    l.heading(&label("minutes.h.signatures", lang));
    let per_row = 4;
    let cell = width / per_row as f32;
    for chunk in data.signers.chunks(per_row) {
        l.ensure(34.0);
        l.y -= 30.0;
        for (k, name) in chunk.iter().enumerate() {
            let x = MARGIN + cell * k as f32;
            l.text(x, l.y, 10.0, &format!("{name}{c}"));
            let w = Layout::width_of(&format!("{name}{c}"), 10.0);
            l.line(x + w + 2.0, l.y - 2.0, x + cell - 10.0, l.y - 2.0, 0.5);
        }
    }
    l.ensure(30.0);
    l.y -= 28.0;
    l.text(MARGIN, l.y, 10.5, &format!("{}{c}", label("minutes.recorder", lang)));
    l.line(MARGIN + 70.0, l.y - 2.0, MARGIN + 200.0, l.y - 2.0, 0.5);
    l.text(MARGIN + 240.0, l.y, 10.5, &format!("{}{c}", label("sign.date", lang)));
    l.line(MARGIN + 290.0, l.y - 2.0, MARGIN + 400.0, l.y - 2.0, 0.5);
    l.y -= 12.0;
}
