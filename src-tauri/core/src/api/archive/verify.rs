//! Verifying an archive: the signed index, every file against it, then the
//! contents (audit chain, ballots and results, sealed PDFs, and the meeting
//! replayed from the chain against the tables and PDFs).

use super::steps::{Step, StepResult};
use super::*;

/// The answer of `conclave verify ARCHIVE.zip`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ArchiveVerdict {
    pub authentic: bool,
    pub problems: Vec<String>,
    pub meeting: Option<String>,
    pub files: usize,
    pub key_fingerprint: Option<String>,
    /// Encrypted ballots whose proofs were checked.
    pub ballots_checked: usize,
    /// Proofs checked (ballot and decryption).
    pub proofs_checked: usize,
    /// Every step of docs/verification.md, in order, with its problems
    /// (each problem is also in `problems`).
    pub steps: Vec<StepResult>,
}

impl ArchiveVerdict {
    fn new(lang: Lang) -> ArchiveVerdict {
        ArchiveVerdict {
            authentic: false,
            problems: Vec::new(),
            meeting: None,
            files: 0,
            key_fingerprint: None,
            ballots_checked: 0,
            proofs_checked: 0,
            steps: StepResult::all(lang),
        }
    }

    fn step(&mut self, step: Step) -> &mut StepResult {
        &mut self.steps[step as usize - 1]
    }

    /// Records a problem found by `step` (which has therefore run).
    pub fn fail(&mut self, step: Step, problem: String) {
        let s = self.step(step);
        s.ran = true;
        s.passed = false;
        s.problems.push(problem.clone());
        self.problems.push(problem);
        self.authentic = false;
    }

    /// Marks `step` as run, having checked `count` more things.
    fn ran(&mut self, step: Step, count: usize) {
        let s = self.step(step);
        s.ran = true;
        s.count += count;
    }

    /// Settles each step and the verdict: authentic only when every step
    /// ran and found nothing.
    fn settle(&mut self) {
        for s in &mut self.steps {
            s.passed = s.ran && s.problems.is_empty();
        }
        self.authentic = self.problems.is_empty() && self.steps.iter().all(|s| s.passed);
    }

    /// The steps that failed, in order.
    pub fn failed_steps(&self) -> impl Iterator<Item = &StepResult> {
        self.steps.iter().filter(|s| s.ran && !s.passed)
    }
}

/// Checks an archive: the index's signature, every file's hash and size,
/// no file missing or added, the audit chain, the ballots against the
/// results, and every sealed PDF. Lists everything that is wrong.
pub fn verify(path: &Path, lang: Lang) -> ArchiveVerdict {
    let mut v = ArchiveVerdict::new(lang);
    let Some((mut zip, index)) = signed_index(path, lang, &mut v) else {
        v.settle();
        return v;
    };
    // V2: a name given twice: the zip crate shows one of them, other tools the other.
    for name in super::central::names(path).map(|n| super::central::repeated(&n)).unwrap_or_default() {
        v.fail(Step::Files, Msg::ArchiveUnlisted { path: name }.render(lang));
    }
    let kept = check_files(&mut zip, &index, lang, &mut v);
    check_contents(&kept, &index.meeting.id, lang, &mut v);
    check_recorded_key(&kept, &index.public_key, lang, &mut v);
    v.settle();
    v
}

type Zip = zip::ZipArchive<std::io::BufReader<std::fs::File>>;

fn not_zip(v: &mut ArchiveVerdict, step: Step, detail: String, lang: Lang) {
    v.fail(step, Msg::ArchiveUnreadable { detail }.render(lang));
}

/// A small entry of the zip (the index, its signature, the key), or `None`.
fn small(zip: &mut Zip, name: &str) -> Option<Vec<u8>> {
    let entry = zip.by_name(name).ok()?;
    read_entry(entry, MAX_SMALL).ok().flatten()
}

/// Opens the zip and reads its index, signed by the key it names; `None`
/// (with the problem recorded) when there is nothing further worth reading.
fn signed_index(path: &Path, lang: Lang, v: &mut ArchiveVerdict) -> Option<(Zip, Index)> {
    v.ran(Step::Index, 1);
    let file = std::fs::File::open(path).map_err(|e| not_zip(v, Step::Index, e.to_string(), lang)).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| not_zip(v, Step::Index, e.to_string(), lang))
        .ok()?;
    let (Some(index_bytes), Some(sig)) = (small(&mut zip, INDEX), small(&mut zip, SIGNATURE)) else {
        v.fail(Step::Index, Msg::ArchiveNoIndex.render(lang));
        return None;
    };
    let index_text = String::from_utf8_lossy(&index_bytes).into_owned();
    let Ok(index) = serde_json::from_str::<Index>(&index_text) else {
        v.fail(Step::Index, Msg::ArchiveNoIndex.render(lang));
        return None;
    };
    v.meeting = Some(index.meeting.name.clone());
    v.key_fingerprint = Some(seal::fingerprint(&index.public_key));
    v.files = index.files.len();
    let sealed = seal::Seal {
        data: index_text.clone(),
        signature: String::from_utf8_lossy(&sig).trim().to_string(),
        public_key: index.public_key.clone(),
        ..seal::Seal::default()
    };
    if index.format != FORMAT || !seal::valid(&sealed) {
        // Nothing else in a file with a forged index is worth reading.
        v.fail(Step::Index, Msg::ArchiveBadSignature.render(lang));
        return None;
    }
    if index.spec > SPEC {
        // Signed, but by rules this build does not know: nothing to check it by.
        v.fail(Step::Index, Msg::ArchiveSpecUnsupported { spec: index.spec }.render(lang));
        return None;
    }
    if small(&mut zip, "public-key.txt").map(|k| String::from_utf8_lossy(&k).trim().to_string())
        != Some(index.public_key.clone())
    {
        v.fail(Step::Index, Msg::ArchiveKeyMismatch.render(lang));
    }
    Some((zip, index))
}

/// Every file of the zip against the index: listed once, its hash and size,
/// none missing. Returns the JSON records and PDFs, kept for the checks of
/// their contents.
fn check_files(
    zip: &mut Zip,
    index: &Index,
    lang: Lang,
    v: &mut ArchiveVerdict,
) -> BTreeMap<String, Vec<u8>> {
    let listed: BTreeMap<&str, &IndexEntry> = index.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut kept: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut kept_total = 0u64;
    v.ran(Step::Files, 0);
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            not_zip(v, Step::Files, format!("#{i}"), lang);
            continue;
        };
        let Ok(name) = entry.name().map(|n| n.into_owned()) else {
            not_zip(v, Step::Files, format!("#{i}"), lang);
            continue;
        };
        if name == INDEX || name == SIGNATURE || entry.is_dir() {
            continue;
        }
        let Some(expected) = listed.get(name.as_str()) else {
            v.fail(Step::Files, Msg::ArchiveUnlisted { path: name }.render(lang));
            continue;
        };
        if !seen.insert(name.clone()) {
            v.fail(Step::Files, Msg::ArchiveUnlisted { path: name }.render(lang));
            continue;
        }
        if name.starts_with("evidence/") && is_evidence_path(&name) != Some(expected.sha256.as_str()) {
            v.fail(Step::Files, Msg::ArchiveChanged { path: name.clone() }.render(lang));
        }
        // Kept in memory for the checks below: the JSON records and PDFs only,
        // and not more than MAX_KEPT in all (a forged index cannot exhaust memory).
        let keep = (name.ends_with(".json") || name.starts_with("pdf/"))
            && expected.size <= MAX_SMALL
            && kept_total + expected.size <= MAX_KEPT;
        if keep {
            kept_total += expected.size;
        }
        let mut body = Vec::new();
        let mut sink = std::io::sink();
        let to: &mut dyn Write = if keep { &mut body } else { &mut sink };
        let copied = evidence::hash_copy(&mut (&mut entry).take(expected.size + 1), to);
        if !copied.is_ok_and(|(hash, size)| size == expected.size && hash == expected.sha256) {
            v.fail(Step::Files, Msg::ArchiveChanged { path: name.clone() }.render(lang));
            continue;
        }
        v.ran(Step::Files, 1);
        if keep {
            kept.insert(name, body);
        }
    }
    for f in &index.files {
        if !seen.contains(&f.path) {
            v.fail(Step::Files, Msg::ArchiveMissing { path: f.path.clone() }.render(lang));
        }
    }
    kept
}

/// The archive's contents, once every file matched the signed index: the
/// audit chain, the ballots against every result, and the sealed PDFs.
fn check_contents(kept: &BTreeMap<String, Vec<u8>>, meeting_id: &str, lang: Lang, v: &mut ArchiveVerdict) {
    let entries = check_chain(kept, lang, v);

    // The ballots add up to every result: encrypted rounds by their proofs,
    // paper and older rounds by their plain anonymous ballots.
    // A missing or unreadable rounds.json is already a listed problem; the
    // recount then finds every round's results missing against the chain.
    let rounds: Vec<serde_json::Value> =
        archived_json(kept, "rounds.json", Step::Replay, lang, v).unwrap_or_default();
    let boxes: Option<super::ballots::Boxes> =
        archived_json(kept, super::ballots::FILE, Step::Ballots, lang, v);
    let roots: BTreeMap<i64, Option<String>> =
        boxes.iter().flat_map(|b| &b.rounds).map(|r| (r.round, r.box_root.clone())).collect();
    check_audited(kept, boxes.as_ref(), entries.as_deref(), meeting_id, lang, v);
    let sealed_rounds = check_boxes(kept, boxes, &rounds, entries.as_deref(), meeting_id, lang, v);
    if let Some(ballots) = archived_json::<Vec<ArchivedBallot>>(kept, "ballots.json", Step::Paper, lang, v) {
        v.ran(Step::Paper, ballots.len());
        for p in plain_rounds_agree(&ballots, &rounds, &sealed_rounds, lang) {
            v.fail(Step::Paper, p);
        }
    }
    // The whole meeting replayed from the chain, against the tables and
    // the sealed PDFs (a chain that does not hold is named above and
    // replays nothing worth comparing).
    if let Some(entries) = entries.as_deref().filter(|e| audit::check_chain(e).is_ok()) {
        v.ran(Step::Replay, 1);
        v.ran(Step::Documents, 0);
        for (step, p) in super::replay::check(kept, entries, lang) {
            v.fail(step, p);
        }
    }
    check_documents(kept, entries.as_deref().unwrap_or(&[]), &roots, lang, v);
}

/// V7–V8 for audited ballots (ballot-protocol.md §11): each verifies and
/// opens with its randomness, one for one with the chain's `ballot.spoil`.
fn check_audited(
    kept: &BTreeMap<String, Vec<u8>>,
    boxes: Option<&super::ballots::Boxes>,
    entries: Option<&[audit::Entry]>,
    meeting_id: &str,
    lang: Lang,
    v: &mut ArchiveVerdict,
) {
    let audited: Vec<super::audited::AuditedBallot> = if kept.contains_key(super::audited::FILE) {
        archived_json(kept, super::audited::FILE, Step::Ballots, lang, v).unwrap_or_default()
    } else {
        Vec::new()
    };
    let in_box = boxes
        .iter()
        .flat_map(|b| &b.rounds)
        .flat_map(|r| r.ballots.iter().map(|b| (r.round, b.tracker().to_hex())))
        .collect();
    let keys = boxes.and_then(|b| b.keys.as_ref());
    let (problems, n) =
        super::audited::verify(&audited, meeting_id, keys, entries.unwrap_or(&[]), &in_box, lang);
    v.ran(Step::Ballots, n);
    for (step, p) in problems {
        v.fail(step, p);
    }
}

/// V3: the audit chain; the entries, when `audit.json` reads.
fn check_chain(
    kept: &BTreeMap<String, Vec<u8>>,
    lang: Lang,
    v: &mut ArchiveVerdict,
) -> Option<Vec<audit::Entry>> {
    let entries = kept.get("audit.json").and_then(|b| serde_json::from_slice::<Vec<audit::Entry>>(b).ok());
    match &entries {
        Some(entries) => {
            v.ran(Step::Chain, entries.len());
            if let Err(seq) = audit::check_chain(entries) {
                v.fail(Step::Chain, Msg::AuditChainBroken { seq }.render(lang));
            }
        }
        None => v.fail(Step::Chain, Msg::ArchiveMissing { path: "audit.json".into() }.render(lang)),
    }
    entries
}

/// V4 (election key) and V6–V11: the sealed rounds recounted from their
/// boxes; returns the rounds that have a box.
fn check_boxes(
    kept: &BTreeMap<String, Vec<u8>>,
    boxes: Option<super::ballots::Boxes>,
    rounds: &[serde_json::Value],
    entries: Option<&[audit::Entry]>,
    meeting_id: &str,
    lang: Lang,
    v: &mut ArchiveVerdict,
) -> Vec<i64> {
    let rules: Option<crate::domain::rules::Rules> =
        archived_json::<serde_json::Value>(kept, "meeting.json", Step::Counts, lang, v)
            .and_then(|m| serde_json::from_value(m.get("rules")?.clone()).ok());
    if rules.is_none() {
        v.fail(Step::Counts, Msg::ArchiveMissing { path: "meeting.json: rules".into() }.render(lang));
    }
    if boxes.as_ref().is_some_and(|b| b.meeting_id != meeting_id) {
        // Ballots proved for another meeting: swapped in from elsewhere.
        v.fail(Step::Ballots, Msg::ArchiveOtherMeeting.render(lang));
    }
    let (Some(boxes), Some(rules)) = (boxes, rules) else { return Vec::new() };
    let checked = super::ballots::verify(&boxes, rounds, entries.unwrap_or(&[]), &rules, lang);
    v.ballots_checked = checked.ballots;
    v.proofs_checked = checked.proofs;
    for (step, n) in &checked.counted {
        v.ran(*step, *n);
    }
    for found in checked.problems {
        v.fail(found.step, found.text);
    }
    boxes.rounds.iter().map(|r| r.round).collect()
}

/// V13: the sealed PDFs, authentic, sealed with this meeting's key, their
/// printed heads a state of this chain and (on a results sheet) this box.
fn check_documents(
    kept: &BTreeMap<String, Vec<u8>>,
    chain: &[audit::Entry],
    roots: &BTreeMap<i64, Option<String>>,
    lang: Lang,
    v: &mut ArchiveVerdict,
) {
    v.ran(Step::Documents, 0);
    for (name, body) in kept.iter().filter(|(n, _)| n.starts_with("pdf/")) {
        v.ran(Step::Documents, 1);
        let pv = crate::api::verify::verify_pdf(body, lang);
        if !pv.authentic {
            for p in pv.problems {
                v.fail(Step::Documents, format!("{name}: {p}"));
            }
        } else if pv.key_fingerprint != v.key_fingerprint {
            v.fail(Step::Documents, format!("{name}: {}", Msg::ArchiveKeyMismatch.render(lang)));
        } else if let Some(data) = crate::api::verify::sealed_data(body) {
            let head = data.get("audit_head").and_then(|h| h.as_str());
            if head.is_some_and(|h| !chain.iter().any(|e| e.entry_hash == h)) {
                v.fail(Step::Documents, format!("{name}: {}", Msg::ArchiveHeadNotInChain.render(lang)));
            }
            let round = data.get("round").and_then(|r| r.as_i64());
            let printed_root = data.get("box_root").and_then(|r| r.as_str());
            if let Some(expected) = round.and_then(|r| roots.get(&r)) {
                if printed_root != expected.as_deref() {
                    v.fail(Step::Documents, format!("{name}: {}", Msg::ArchiveBoxRoot.render(lang)));
                }
            }
        }
    }
}

/// V4: the key that signed the index is the one the chain recorded (the key
/// ceremony's, or an older version's made with the meeting): a key swapped
/// into the file and used to sign is named, and so is one whose `key.create`
/// was appended after the ceremony's.
fn check_recorded_key(kept: &BTreeMap<String, Vec<u8>>, public: &str, lang: Lang, v: &mut ArchiveVerdict) {
    v.ran(Step::Keys, 1);
    let Some(entries) =
        kept.get("audit.json").and_then(|b| serde_json::from_slice::<Vec<audit::Entry>>(b).ok())
    else {
        return; // already a listed problem
    };
    let recorded = audit::recorded_signing_key(&entries).ok().flatten().map(|(public, _)| public);
    if recorded.as_deref() != Some(public) {
        v.fail(Step::Keys, Msg::KeyNotRecorded { what: crate::i18n::msg::KeyKind::Signing }.render(lang));
    }
}

/// An archived JSON file, or `None` with the problem recorded (missing or
/// unreadable: never an empty default).
fn archived_json<T: serde::de::DeserializeOwned>(
    kept: &BTreeMap<String, Vec<u8>>,
    name: &str,
    step: Step,
    lang: Lang,
    v: &mut ArchiveVerdict,
) -> Option<T> {
    match kept.get(name).map(|b| serde_json::from_slice::<T>(b)) {
        Some(Ok(value)) => Some(value),
        Some(Err(e)) => {
            v.fail(step, format!("{name}: {e}"));
            None
        }
        None => {
            v.fail(step, Msg::ArchiveMissing { path: name.into() }.render(lang));
            None
        }
    }
}

/// Rounds counted from plain anonymous ballots (paper, and station rounds of
/// meetings before encrypted ballots): each result equals its ballots.
fn plain_rounds_agree(
    ballots: &[ArchivedBallot],
    rounds: &[serde_json::Value],
    sealed: &[i64],
    lang: Lang,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut tallies: BTreeMap<(i64, &str, &str), u64> = BTreeMap::new();
    for b in ballots {
        *tallies.entry((b.round, b.candidate.as_str(), b.choice.as_str())).or_default() += 1;
    }
    for r in rounds {
        let Some(id) = r.get("id").and_then(|x| x.as_i64()) else {
            problems.push(format!("rounds.json: {r}"));
            continue;
        };
        if sealed.contains(&id) {
            continue;
        }
        for res in r.get("results").and_then(|x| x.as_array()).into_iter().flatten() {
            let Some(candidate) = res.get("candidate_id").and_then(|x| x.as_str()) else {
                problems.push(format!("rounds.json: {res}"));
                continue;
            };
            let n = |choice: &str| tallies.get(&(id, candidate, choice)).copied().unwrap_or(0);
            let t = res.get("tally");
            let got = |k: &str| t.and_then(|t| t.get(k)).and_then(|x| x.as_u64()).unwrap_or(u64::MAX);
            if (n("for"), n("against"), n("abstain")) != (got("votes_for"), got("against"), got("abstain")) {
                problems.push(
                    Msg::ArchiveBallotsDisagree { round: id, candidate: candidate.into() }.render(lang),
                );
            }
        }
    }
    problems
}
