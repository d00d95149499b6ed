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
