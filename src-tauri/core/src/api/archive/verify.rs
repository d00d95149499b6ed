//! Verifying an archive: the signed index, every file against it, then the
//! contents (audit chain, ballots and results, sealed PDFs, and the meeting
//! replayed from the chain against the tables and PDFs).

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
}

/// Checks an archive: the index's signature, every file's hash and size,
/// no file missing or added, the audit chain, the ballots against the
/// results, and every sealed PDF. Lists everything that is wrong.
pub fn verify(path: &Path, lang: Lang) -> ArchiveVerdict {
    let mut v = ArchiveVerdict {
        authentic: false,
        problems: Vec::new(),
        meeting: None,
        files: 0,
        key_fingerprint: None,
        ballots_checked: 0,
        proofs_checked: 0,
    };
    let Some((mut zip, index)) = signed_index(path, lang, &mut v) else {
        return v;
    };
    // A name given twice: the zip crate shows one of them, other tools the other.
    for name in super::central::names(path).map(|n| super::central::repeated(&n)).unwrap_or_default() {
        v.problems.push(Msg::ArchiveUnlisted { path: name }.render(lang));
    }
    let kept = check_files(&mut zip, &index, lang, &mut v);
    check_contents(&kept, &index.meeting.id, lang, &mut v);
    check_recorded_key(&kept, &index.public_key, lang, &mut v);
    v.authentic = v.problems.is_empty();
    v
}

type Zip = zip::ZipArchive<std::io::BufReader<std::fs::File>>;

fn not_zip(v: &mut ArchiveVerdict, detail: String, lang: Lang) {
    v.problems.push(Msg::ArchiveUnreadable { detail }.render(lang));
}

/// A small entry of the zip (the index, its signature, the key), or `None`.
fn small(zip: &mut Zip, name: &str) -> Option<Vec<u8>> {
    let entry = zip.by_name(name).ok()?;
    read_entry(entry, MAX_SMALL).ok().flatten()
}

/// Opens the zip and reads its index, signed by the key it names; `None`
/// (with the problem recorded) when there is nothing further worth reading.
fn signed_index(path: &Path, lang: Lang, v: &mut ArchiveVerdict) -> Option<(Zip, Index)> {
    let file = std::fs::File::open(path).map_err(|e| not_zip(v, e.to_string(), lang)).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| not_zip(v, e.to_string(), lang))
        .ok()?;
    let (Some(index_bytes), Some(sig)) = (small(&mut zip, INDEX), small(&mut zip, SIGNATURE)) else {
        v.problems.push(Msg::ArchiveNoIndex.render(lang));
        return None;
    };
    let index_text = String::from_utf8_lossy(&index_bytes).into_owned();
    let Ok(index) = serde_json::from_str::<Index>(&index_text) else {
        v.problems.push(Msg::ArchiveNoIndex.render(lang));
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
        v.problems.push(Msg::ArchiveBadSignature.render(lang));
        return None;
    }
    if small(&mut zip, "public-key.txt").map(|k| String::from_utf8_lossy(&k).trim().to_string())
        != Some(index.public_key.clone())
    {
        v.problems.push(Msg::ArchiveKeyMismatch.render(lang));
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
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            not_zip(v, format!("#{i}"), lang);
            continue;
        };
        let Ok(name) = entry.name().map(|n| n.into_owned()) else {
            not_zip(v, format!("#{i}"), lang);
            continue;
        };
        if name == INDEX || name == SIGNATURE || entry.is_dir() {
            continue;
        }
        let Some(expected) = listed.get(name.as_str()) else {
            v.problems.push(Msg::ArchiveUnlisted { path: name }.render(lang));
            continue;
        };
        if !seen.insert(name.clone()) {
            v.problems.push(Msg::ArchiveUnlisted { path: name }.render(lang));
            continue;
        }
        if name.starts_with("evidence/") && is_evidence_path(&name) != Some(expected.sha256.as_str()) {
            v.problems.push(Msg::ArchiveChanged { path: name.clone() }.render(lang));
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
            v.problems.push(Msg::ArchiveChanged { path: name.clone() }.render(lang));
            continue;
        }
        if keep {
            kept.insert(name, body);
        }
    }
    for f in &index.files {
        if !seen.contains(&f.path) {
            v.problems.push(Msg::ArchiveMissing { path: f.path.clone() }.render(lang));
        }
    }
    kept
}

/// The archive's contents, once every file matched the signed index: the
/// audit chain, the ballots against every result, and the sealed PDFs.
fn check_contents(kept: &BTreeMap<String, Vec<u8>>, meeting_id: &str, lang: Lang, v: &mut ArchiveVerdict) {
    // The audit chain.
    let entries = kept.get("audit.json").and_then(|b| serde_json::from_slice::<Vec<audit::Entry>>(b).ok());
    match &entries {
        Some(entries) => {
            if let Err(seq) = audit::check_chain(entries) {
                v.problems.push(Msg::AuditChainBroken { seq }.render(lang));
            }
        }
        None => v.problems.push(Msg::ArchiveMissing { path: "audit.json".into() }.render(lang)),
    }

    // The ballots add up to every result: encrypted rounds by their proofs,
    // paper and older rounds by their plain anonymous ballots.
    // A missing or unreadable rounds.json is already a listed problem; the
    // recount then finds every round's results missing against the chain.
    let rounds: Vec<serde_json::Value> =
        archived_json(kept, "rounds.json", lang, &mut v.problems).unwrap_or_default();
    let boxes: Option<super::ballots::Boxes> =
        archived_json(kept, super::ballots::FILE, lang, &mut v.problems);
    let mut sealed_rounds = Vec::new();
    let roots: BTreeMap<i64, Option<String>> =
        boxes.iter().flat_map(|b| &b.rounds).map(|r| (r.round, r.box_root.clone())).collect();
    let rules: Option<crate::domain::rules::Rules> =
        archived_json::<serde_json::Value>(kept, "meeting.json", lang, &mut v.problems)
            .and_then(|m| serde_json::from_value(m.get("rules")?.clone()).ok());
    if rules.is_none() {
        v.problems.push(Msg::ArchiveMissing { path: "meeting.json: rules".into() }.render(lang));
    }
    if boxes.as_ref().is_some_and(|b| b.meeting_id != meeting_id) {
        // Ballots proved for another meeting: swapped in from elsewhere.
        v.problems.push(Msg::ArchiveOtherMeeting.render(lang));
    }
    if let (Some(boxes), Some(rules)) = (boxes, rules) {
        let checked =
            super::ballots::verify(&boxes, &rounds, entries.as_deref().unwrap_or(&[]), &rules, lang);
        v.ballots_checked = checked.ballots;
        v.proofs_checked = checked.proofs;
        v.problems.extend(checked.problems);
        sealed_rounds = boxes.rounds.iter().map(|r| r.round).collect();
    }
    if let Some(ballots) = archived_json::<Vec<ArchivedBallot>>(kept, "ballots.json", lang, &mut v.problems) {
        let problems = plain_rounds_agree(&ballots, &rounds, &sealed_rounds, lang);
        v.problems.extend(problems);
    }
    // The whole meeting replayed from the chain, against the tables and
    // the sealed PDFs (a chain that does not hold is named above and
    // replays nothing worth comparing).
    if let Some(entries) = entries.as_deref().filter(|e| audit::check_chain(e).is_ok()) {
        v.problems.extend(super::replay::check(kept, entries, lang));
    }

    // The sealed PDFs: authentic, and sealed with this meeting's key.
    for (name, body) in kept.iter().filter(|(n, _)| n.starts_with("pdf/")) {
        let pv = crate::api::verify::verify_pdf(body, lang);
        if !pv.authentic {
            for p in pv.problems {
                v.problems.push(format!("{name}: {p}"));
            }
        } else if pv.key_fingerprint != v.key_fingerprint {
            v.problems.push(format!("{name}: {}", Msg::ArchiveKeyMismatch.render(lang)));
        } else if let Some(data) = crate::api::verify::sealed_data(body) {
            // The heads printed on a sealed document: a state of this chain, and
            // (on a results sheet) this box.
            let head = data.get("audit_head").and_then(|h| h.as_str());
            let chain = entries.as_deref().unwrap_or(&[]);
            if head.is_some_and(|h| !chain.iter().any(|e| e.entry_hash == h)) {
                v.problems.push(format!("{name}: {}", Msg::ArchiveHeadNotInChain.render(lang)));
            }
            let round = data.get("round").and_then(|r| r.as_i64());
            let printed_root = data.get("box_root").and_then(|r| r.as_str());
            if let Some(expected) = round.and_then(|r| roots.get(&r)) {
                if printed_root != expected.as_deref() {
                    v.problems.push(format!("{name}: {}", Msg::ArchiveBoxRoot.render(lang)));
                }
            }
        }
    }
}

/// The key that signed the index is the one the chain recorded (the key
/// ceremony's, or an older version's made with the meeting): a key swapped
/// into the file and used to sign is named, and so is one whose `key.create`
/// was appended after the ceremony's.
fn check_recorded_key(kept: &BTreeMap<String, Vec<u8>>, public: &str, lang: Lang, v: &mut ArchiveVerdict) {
    let Some(entries) =
        kept.get("audit.json").and_then(|b| serde_json::from_slice::<Vec<audit::Entry>>(b).ok())
    else {
        return; // already a listed problem
    };
    let recorded = audit::recorded_signing_key(&entries).ok().flatten().map(|(public, _)| public);
    if recorded.as_deref() != Some(public) {
        v.problems.push(Msg::KeyNotRecorded { what: crate::i18n::msg::KeyKind::Signing }.render(lang));
    }
}

/// An archived JSON file, or `None` with the problem recorded (missing or
/// unreadable: never an empty default).
fn archived_json<T: serde::de::DeserializeOwned>(
    kept: &BTreeMap<String, Vec<u8>>,
    name: &str,
    lang: Lang,
    problems: &mut Vec<String>,
) -> Option<T> {
    match kept.get(name).map(|b| serde_json::from_slice::<T>(b)) {
        Some(Ok(v)) => Some(v),
        Some(Err(e)) => {
            problems.push(format!("{name}: {e}"));
            None
        }
        None => {
            problems.push(Msg::ArchiveMissing { path: name.into() }.render(lang));
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
