//! Many archives at once (`conclave verify DIR/`, or several files): each
//! archive verified in full, and one line of facts beside its verdict for an
//! office re-checking a year's meetings — the meeting, its date and
//! committee from `meeting.json`, the rounds and who reached the threshold
//! from `rounds.json`. The facts are read as the archive gives them; only an
//! archive whose verdict is authentic vouches for them.

use super::verify::{verify, ArchiveVerdict};
use crate::i18n::Lang;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One archive's line in the summary table.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub file: String,
    pub meeting: Option<String>,
    pub date: Option<String>,
    pub committee: Option<String>,
    /// Rounds in `rounds.json`, and how many of them the chair confirmed.
    pub rounds: Option<usize>,
    pub confirmed_rounds: Option<usize>,
    /// Candidates whose last confirmed round reached the pass threshold
    /// (before any post limit: the minutes say who passed within the posts).
    pub reached: Option<usize>,
    pub authentic: bool,
    /// The steps that failed (`V8`, …), in order.
    pub failed_steps: Vec<String>,
    /// The first problem found, as the verdict words it.
    pub first_problem: Option<String>,
}

/// Every archive under `paths`: a folder gives the `.zip` files inside it
/// (and its subfolders), sorted by path; a file is taken as it is.
pub fn archives_in(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            collect(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
            out.push(p);
        }
    }
    Ok(())
}

/// Verifies the archive at `path` and reads its line of facts.
pub fn overview(path: &Path, lang: Lang) -> Overview {
    let verdict = verify(path, lang);
    let meeting = read_json(path, "meeting.json");
    let rounds = read_json(path, "rounds.json");
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let facts = meeting.as_ref().and_then(|m| m.get("meeting"));
    line(
        path,
        &verdict,
        text(facts.and_then(|m| m.get("date"))),
        text(facts.and_then(|m| m.get("committee"))),
        rounds.as_ref(),
    )
}

fn line(
    path: &Path,
    verdict: &ArchiveVerdict,
    date: Option<String>,
    committee: Option<String>,
    rounds: Option<&Value>,
) -> Overview {
    let list = rounds.and_then(Value::as_array);
    let confirmed: Option<Vec<&Value>> =
        list.map(|l| l.iter().filter(|r| r.get("confirmed_at").is_some_and(|c| !c.is_null())).collect());
    Overview {
        file: path.display().to_string(),
        meeting: verdict.meeting.clone(),
        date,
        committee,
        rounds: list.map(Vec::len),
        confirmed_rounds: confirmed.as_ref().map(Vec::len),
        reached: confirmed.as_deref().map(reached),
        authentic: verdict.authentic,
        failed_steps: verdict.failed_steps().map(|s| s.id.clone()).collect(),
        first_problem: verdict.problems.first().cloned(),
    }
}

/// How many candidates reached the threshold in the last confirmed round
/// they were voted in (a re-vote replaces an earlier round).
fn reached(confirmed: &[&Value]) -> usize {
    let mut last: BTreeMap<&str, bool> = BTreeMap::new();
    for round in confirmed {
        for row in round.get("results").and_then(Value::as_array).into_iter().flatten() {
            let id = row.get("candidate_id").and_then(Value::as_str);
            let passed = row.get("tally").and_then(|t| t.get("passed")).and_then(Value::as_bool);
            if let (Some(id), Some(passed)) = (id, passed) {
                last.insert(id, passed);
            }
        }
    }
    last.values().filter(|p| **p).count()
}

/// A JSON file of the archive, if it is there and is JSON.
fn read_json(path: &Path, name: &str) -> Option<Value> {
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let entry = zip.by_name(name).ok()?;
    let bytes = super::read_entry(entry, super::MAX_SMALL).ok().flatten()?;
    serde_json::from_slice(&bytes).ok()
}
