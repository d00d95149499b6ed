//! Opens a printed PDF in the system's PDF viewer, whose print dialog then
//! sends it to a printer (Conclave has no printer driver of its own). In the
//! end-to-end tests the path goes to a file the test reads instead, since no
//! viewer runs there.

use std::path::Path;

/// Environment variable the end-to-end tests set: a file to which each path
/// that would open is appended, one per line.
pub const OPEN_ENV: &str = "CONCLAVE_TEST_OPEN_FILE";

/// Opens `path` with the program the system associates with PDFs.
pub fn open_to_print(path: &Path) -> std::io::Result<()> {
    if let Some(log) = std::env::var_os(OPEN_ENV) {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(log)?;
        return writeln!(f, "{}", path.display());
    }
    open::that_detached(path)
}
