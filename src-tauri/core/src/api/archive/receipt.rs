//! A member's receipt checked against the archive: the tracker and the
//! audit chain head their ballot screen showed after casting. The archive
//! must verify, its chain must hold a cast entry with that tracker, and that
//! entry's hash must be the head the member saw: a ballot replaced, or a
//! chain rewritten after the cast, shows here as a head that differs.

use super::*;

/// What a receipt check found.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReceiptCheck {
    /// The archive verified.
    pub authentic: bool,
    /// The round whose box holds the tracker, if any.
    pub round: Option<i64>,
    /// The chain's head right after that cast, short (as the member saw it).
    pub head: Option<String>,
    /// Tracker found and the head the same as on the receipt.
    pub matches: bool,
}

/// Checks the receipt (`tracker` like `7KQ2-M9XD`, `head` like `3F2A-91BC`)
/// against the archive at `path`.
pub fn check(path: &Path, tracker: &str, head: &str, lang: Lang) -> ReceiptCheck {
    let authentic = super::verify(path, lang).authentic;
    let norm = |s: &str| s.trim().to_uppercase().replace([' ', '-'], "");
    let (tracker, head) = (norm(tracker), norm(head));
    let cast = chain(path).unwrap_or_default().into_iter().find_map(|e| {
        let d: serde_json::Value = serde_json::from_str(&e.detail).ok()?;
        let hex = d.get("tracker")?.as_str()?;
        let bytes: [u8; 32] = hex::decode(hex).ok()?.try_into().ok()?;
        let short = conclave_ballot::Tracker::from_bytes(bytes).short();
        (e.kind == "ballot.cast" && norm(&short) == tracker)
            .then(|| (d.get("round").and_then(|r| r.as_i64()), audit::short(&e.entry_hash)))
    });
    let (round, seen) = cast.map_or((None, None), |(r, h)| (r, Some(h)));
    let matches = authentic && seen.as_deref().map(norm) == Some(head);
    ReceiptCheck { authentic, round, head: seen, matches }
}

/// The archive's audit chain (`audit.json`).
fn chain(path: &Path) -> Option<Vec<audit::Entry>> {
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let entry = zip.by_name("audit.json").ok()?;
    let bytes = read_entry(entry, MAX_SMALL).ok().flatten()?;
    serde_json::from_slice(&bytes).ok()
}
