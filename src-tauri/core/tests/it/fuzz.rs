//! Property tests: whatever bytes a manifest or a zip holds, checking it
//! returns a report and never panics; a damaged package is never accepted
//! unless its damage missed everything the spec checks.

use crate::common::*;
use proptest::prelude::*;

fn check_bytes(name: &str, bytes: &[u8]) -> conclave_core::package::Report {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    if name == "dossier.json" {
        check(dir.path())
    } else {
        check(&path)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_manifest_bytes_give_a_report(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let report = check_bytes("dossier.json", &bytes);
        // Random bytes are not a valid manifest with a candidate list.
        prop_assert!(!report.ok() || report.candidates == 0);
    }

    #[test]
    fn mutated_fixture_manifest_gives_a_report(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = std::fs::read(fixtures().join("batch-small/dossier.json")).expect("fixture");
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        let _ = check_bytes("dossier.json", &bytes);
    }

    #[test]
    fn damaged_zip_gives_a_report(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16), cut in any::<prop::sample::Index>()) {
        let mut bytes = std::fs::read(fixtures().join("batch-small.zip")).expect("fixture");
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        let keep = bytes.len() / 2 + cut.index(bytes.len() / 2 + 1);
        bytes.truncate(keep);
        let _ = check_bytes("pkg.zip", &bytes);
    }
}

/// A stored (uncompressed) copy of an xlsx, so that flipped bytes land in
/// its XML rather than only breaking the inflater.
fn stored_xlsx(src: &std::path::Path) -> Vec<u8> {
    rewrite_xlsx(src, zip::CompressionMethod::Stored, &|_, d| d, &[])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Digits typed into a stored roster's XML (row numbers, cell
    /// references, counts grow by orders of magnitude) and cuts: a report,
    /// never an abort.
    #[test]
    fn damaged_roster_spreadsheet_gives_a_report(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), prop::sample::select(b"0123456789Z\"<>".to_vec())), 1..12),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = stored_xlsx(&fixtures().join("committee-25.xlsx"));
        for (i, b) in edits {
            let at = i.index(bytes.len());
            bytes.insert(at, b);
        }
        let keep = bytes.len() - cut.index(bytes.len() / 8 + 1);
        bytes.truncate(keep);
        let _ = check_bytes("committee.xlsx", &bytes);
    }

    #[test]
    fn damaged_candidates_spreadsheet_gives_a_report(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), prop::sample::select(b"0123456789Z\"<>".to_vec())), 1..12),
    ) {
        let mut bytes = stored_xlsx(&fixtures().join("batch-small-xlsx/candidates.xlsx"));
        for (i, b) in edits {
            let at = i.index(bytes.len());
            bytes.insert(at, b);
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(&pkg).expect("a folder");
        for e in std::fs::read_dir(fixtures().join("batch-small-xlsx")).expect("fixture").flatten() {
            if e.path().is_file() {
                std::fs::copy(e.path(), pkg.join(e.file_name())).expect("copied");
            } else {
                let to = pkg.join(e.file_name());
                std::fs::create_dir_all(&to).expect("a folder");
                for f in std::fs::read_dir(e.path()).expect("a folder").flatten() {
                    let _ = std::fs::copy(f.path(), to.join(f.file_name()));
                }
            }
        }
        std::fs::write(pkg.join("candidates.xlsx"), &bytes).expect("write");
        let _ = check(&pkg);
    }
}
