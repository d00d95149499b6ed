//! Reading `dossier.json` (and the same shape built from a spreadsheet):
//! bounded parsing, then every field checked against the spec and the JSON
//! Schema, with every problem collected.

use super::fields::{at, at_index, Fields};
use super::model::*;
use super::report::Problem;
use crate::domain::vocab;
use crate::i18n::Msg;
use serde_json::Value;
use std::collections::HashSet;

pub const FORMAT: &str = "conclave-dossier/1";

/// Parses manifest bytes: BOM tolerated, syntax errors with line and column,
/// nesting bounded by serde_json's recursion limit (no stack overflow).
pub fn parse_json(bytes: &[u8], file: &str) -> Result<Value, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| {
        let msg = if e.to_string().contains("recursion limit") {
            Msg::JsonTooDeep { line: e.line(), column: e.column() }
        } else {
            Msg::JsonSyntax { line: e.line(), column: e.column(), detail: e.to_string() }
        };
        Problem::new(file, msg)
    })
}

/// Which form the manifest came from: JSON requires hashes, the spreadsheet
/// form computes them at import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Json,
    Spreadsheet,
}

/// Reads a dossier manifest value; problems go into `f`.
pub fn read_dossier(v: &Value, form: Form, f: &mut Fields) -> Dossier {
    let Some(o) = f.object(v, "", &["format", "batch", "candidates"]) else {
        return Dossier::default();
    };
    if form == Form::Json {
        match o.get("format") {
            Some(Value::String(s)) if s == FORMAT => {}
            Some(other) => f.error("format", Msg::FormatWrong { expected: FORMAT, found: other.to_string() }),
            None => f.error("format", Msg::FieldMissing { field: "format".into() }),
        }
    }
    let batch = f
        .nested(o, "batch", "", false, |f, v, w| {
            let o = f.object(v, &w, &["name", "series", "issued_by", "created_at"])?;
            Some(Batch {
                name: f.text(o, "name", &w, false, 0, 200),
                series: f.text(o, "series", &w, false, 0, 64),
                issued_by: f.text(o, "issued_by", &w, false, 0, 200),
                created_at: created_at(f, o, &w),
            })
        })
        .unwrap_or_default();
    let candidates = f.array(o, "candidates", "", true, |f, v, w| Some(read_candidate(v, &w, form, f)));
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        let Some(c) = c else { continue };
        if !c.id.is_empty() && !seen.insert(c.id.clone()) {
            f.error(
                format!("{}.id", at_index("candidates", i)),
                Msg::DuplicateCandidate { id: c.id.clone() },
            );
            // kept: its files are still checked
        }
        out.push(c);
    }
    Dossier { batch, candidates: out }
}

fn created_at(f: &mut Fields, o: &serde_json::Map<String, Value>, w: &str) -> Option<String> {
    let s = f.text(o, "created_at", w, false, 0, 64)?;
    if chrono::DateTime::parse_from_rfc3339(&s).is_err() {
        f.error(at(w, "created_at"), Msg::DateTimeInvalid { value: s });
        return None;
    }
    Some(s)
}

const CANDIDATE_KEYS: &[&str] = &[
    "id",
    "name",
    "gender",
    "birth_date",
    "organization",
    "institution_type",
    "department",
    "current_title",
    "applied_title",
    "track",
    "post_type",
    "review_group",
    "education",
    "work_started",
    "years_in_post",
    "hardship_service",
    "ethics",
    "integrity",
    "assessments",
    "statement",
    "documents",
    "achievements",
    "group_opinion",
];

/// One candidate; `None` when a required field is unusable (its errors are
/// already recorded). Every field is read so that every problem is reported.
fn read_candidate(v: &Value, w: &str, form: Form, f: &mut Fields) -> Option<Candidate> {
    let o = f.object(v, w, CANDIDATE_KEYS)?;
    let id = f.ident(o, "id", w);
    let name = f.text(o, "name", w, true, 1, 64);
    let organization = f.text(o, "organization", w, true, 1, 200);
    let applied_title =
        f.vocab(o, "applied_title", w, true, vocab::title_code, |value| Msg::NotATitle { value });
    let c = Candidate {
        id: id.clone().unwrap_or_default(),
        name: name.clone().unwrap_or_default(),
        gender: f.one_of(o, "gender", w, false, vocab::GENDERS),
        birth_date: f.date(o, "birth_date", w),
        organization: organization.clone().unwrap_or_default(),
        institution_type: f.one_of(o, "institution_type", w, false, vocab::INSTITUTION_TYPES),
        department: f.text(o, "department", w, false, 0, 200),
        current_title: f.nested(o, "current_title", w, false, |f, v, w| {
            let o = f.object(v, &w, &["title", "obtained"])?;
            let title = f.vocab(o, "title", &w, true, vocab::title_code, |value| Msg::NotATitle { value });
            let obtained = f.date(o, "obtained", &w);
            Some(CurrentTitle { title: title?, obtained })
        }),
        applied_title: applied_title.clone().unwrap_or_default(),
        track: f.vocab(o, "track", w, false, vocab::track_code, |value| Msg::NotInList {
            value,
            allowed: vocab::spellings(vocab::TRACKS),
        }),
        post_type: f.text(o, "post_type", w, false, 0, 64),
        review_group: f.text(o, "review_group", w, false, 0, 64),
        education: f.nested(o, "education", w, false, |f, v, w| {
            let o = f.object(v, &w, &["degree", "major", "graduated"])?;
            Some(Education {
                degree: f.text(o, "degree", &w, false, 0, 64),
                major: f.text(o, "major", &w, false, 0, 100),
                graduated: f.date(o, "graduated", &w),
            })
        }),
        work_started: f.date(o, "work_started", w),
        years_in_post: f.integer(o, "years_in_post", w, false, 0, 60),
        hardship_service: f.boolean(o, "hardship_service", w, false),
        ethics: f.nested(o, "ethics", w, false, |f, v, w| {
            let o = f.object(v, &w, &["result", "note"])?;
            let result = f.one_of(o, "result", &w, true, vocab::ETHICS);
            let note = f.text(o, "note", &w, false, 0, 2000);
            Some(Ethics { result: result?, note })
        }),
        integrity: f.nested(o, "integrity", w, false, |f, v, w| {
            let o = f.object(v, &w, &["clean", "note"])?;
            let clean = f.boolean(o, "clean", &w, true);
            let note = f.text(o, "note", &w, false, 0, 2000);
            Some(Integrity { clean: clean?, note })
        }),
        assessments: f.array(o, "assessments", w, false, |f, v, w| {
            let o = f.object(v, &w, &["year", "grade"])?;
            let year = f.integer(o, "year", &w, true, 1950, 2100);
            let grade = f.one_of(o, "grade", &w, true, vocab::GRADES);
            Some(Assessment { year: year?, grade: grade? })
        }),
        statement: f.text(o, "statement", w, false, 0, 20_000),
        documents: f.array(o, "documents", w, false, |f, v, w| read_file(v, &w, form, f)),
        achievements: read_achievements(o, w, form, f),
        group_opinion: f.nested(o, "group_opinion", w, false, |f, v, w| {
            let o = f.object(v, &w, &["reviewers", "text", "recommendation", "votes"])?;
            Some(GroupOpinion {
                reviewers: f.array(o, "reviewers", &w, false, |f, v, w| match v.as_str() {
                    Some(s) if s.chars().count() <= 64 => Some(s.to_string()),
                    Some(s) => {
                        f.error(w, Msg::TextTooLong { max: 64, len: s.chars().count() });
                        None
                    }
                    None => {
                        f.error(
                            w,
                            Msg::WrongType {
                                expected: crate::i18n::JsonType::String,
                                found: crate::i18n::JsonType::of(v),
                            },
                        );
                        None
                    }
                }),
                text: f.text(o, "text", &w, false, 0, 5000),
                recommendation: f.one_of(o, "recommendation", &w, false, vocab::RECOMMENDATIONS),
                votes: f.nested(o, "votes", &w, false, |f, v, w| {
                    let o = f.object(v, &w, &["for", "against", "abstain"])?;
                    Some(Votes {
                        for_: f.integer(o, "for", &w, false, 0, i64::MAX),
                        against: f.integer(o, "against", &w, false, 0, i64::MAX),
                        abstain: f.integer(o, "abstain", &w, false, 0, i64::MAX),
                    })
                }),
            })
        }),
    };
    // A candidate with errors is kept, so that its files are still checked;
    // the content is used only when the whole report is clean.
    Some(c)
}

fn read_achievements(
    o: &serde_json::Map<String, Value>,
    w: &str,
    form: Form,
    f: &mut Fields,
) -> Vec<Achievement> {
    let list = f.array(o, "achievements", w, false, |f, v, w| {
        let o = f.object(
            v,
            &w,
            &["id", "category", "title", "date", "role", "level", "representative", "description", "files"],
        )?;
        let id = f.ident(o, "id", &w);
        let category =
            f.vocab(o, "category", &w, true, vocab::category_code, |value| Msg::NotACategory { value });
        let title = f.text(o, "title", &w, true, 1, 500);
        let a = Achievement {
            id: id.clone().unwrap_or_default(),
            category: category.clone().unwrap_or_default(),
            title: title.clone().unwrap_or_default(),
            date: f.date(o, "date", &w),
            role: f.text(o, "role", &w, false, 0, 100),
            level: f.vocab(o, "level", &w, false, vocab::achievement_level, |value| Msg::NotInList {
                value,
                allowed: vocab::ACHIEVEMENT_LEVELS.iter().map(|l| l.zh).collect::<Vec<_>>().join(" / "),
            }),
            representative: f.boolean(o, "representative", &w, false).unwrap_or(false),
            description: f.text(o, "description", &w, false, 0, 5000),
            files: f.array(o, "files", &w, false, |f, v, w| read_file(v, &w, form, f)),
        };
        Some((w, a))
    });
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (w, a) in list {
        if !a.id.is_empty() && !seen.insert(a.id.clone()) {
            f.error(at(&w, "id"), Msg::DuplicateAchievement { id: a.id.clone() });
            continue;
        }
        out.push(a);
    }
    out
}

fn read_file(v: &Value, w: &str, form: Form, f: &mut Fields) -> Option<FileRef> {
    let o = f.object(v, w, &["title", "path", "sha256"])?;
    let title = f.text(o, "title", w, false, 0, 200);
    let path = f.text(o, "path", w, true, 1, 1024);
    let sha256 = match form {
        Form::Json => {
            let s = f.text(o, "sha256", w, true, 0, 200);
            match s {
                Some(s) if s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) => {
                    Some(s)
                }
                Some(s) => {
                    f.error(at(w, "sha256"), Msg::Sha256Invalid { value: s });
                    return None;
                }
                None => return None,
            }
        }
        Form::Spreadsheet => None,
    };
    Some(FileRef { title, path: path?, sha256 })
}
