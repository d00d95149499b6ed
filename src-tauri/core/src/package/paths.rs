//! The spec's rules for paths inside a package: relative, `/`-separated, no
//! `.`/`..`/empty segments, no drive letters or backslashes; and the key two
//! paths share when they would collide on a case-insensitive disk.

/// Why a path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathFault {
    Empty,
    Absolute,
    DriveLetter,
    Backslash,
    DotSegment,
    EmptySegment,
    ControlCharacter,
}

/// Checks one package-relative path.
pub fn check(path: &str) -> Result<(), PathFault> {
    if path.is_empty() {
        return Err(PathFault::Empty);
    }
    if path.contains('\\') {
        return Err(PathFault::Backslash);
    }
    if path.starts_with('/') {
        return Err(PathFault::Absolute);
    }
    let b = path.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Err(PathFault::DriveLetter);
    }
    if path.chars().any(|c| c.is_control()) {
        return Err(PathFault::ControlCharacter);
    }
    for seg in path.split('/') {
        match seg {
            "" => return Err(PathFault::EmptySegment),
            "." | ".." => return Err(PathFault::DotSegment),
            _ => {}
        }
    }
    Ok(())
}

/// True when the fault means the path points outside the package.
pub fn escapes(fault: PathFault) -> bool {
    matches!(fault, PathFault::Absolute | PathFault::DriveLetter | PathFault::DotSegment)
}

/// The collision key: two entries with the same key are duplicates
/// (case-only differences included).
/// Whether `path` is a file an operating system adds on its own (the spec's
/// "Files that operating systems add"): anything under `__MACOSX/`,
/// AppleDouble `._*` files, `.DS_Store`, `Thumbs.db` and `desktop.ini`,
/// anywhere in the package.
pub fn is_os_metadata(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    let mut parts = path.split('/');
    let name = path.rsplit('/').next().unwrap_or(path);
    parts.any(|p| p == "__MACOSX")
        || name.starts_with("._")
        || [".DS_Store", "Thumbs.db", "desktop.ini"].iter().any(|n| name.eq_ignore_ascii_case(n))
}

pub fn collision_key(path: &str) -> String {
    path.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_relative_paths() {
        assert_eq!(check("GX2025-0001/成果1.pdf"), Ok(()));
        assert_eq!(check("a b/c d.pdf"), Ok(()));
    }

    #[test]
    fn rejects_each_forbidden_form() {
        assert_eq!(check(""), Err(PathFault::Empty));
        assert_eq!(check("/etc/passwd"), Err(PathFault::Absolute));
        assert_eq!(check("C:/x.pdf"), Err(PathFault::DriveLetter));
        assert_eq!(check("c:x.pdf"), Err(PathFault::DriveLetter));
        assert_eq!(check("a\\b.pdf"), Err(PathFault::Backslash));
        assert_eq!(check("../../etc/passwd"), Err(PathFault::DotSegment));
        assert_eq!(check("a/./b.pdf"), Err(PathFault::DotSegment));
        assert_eq!(check("a/../b.pdf"), Err(PathFault::DotSegment));
        assert_eq!(check("a//b.pdf"), Err(PathFault::EmptySegment));
        assert_eq!(check("a/"), Err(PathFault::EmptySegment));
        assert_eq!(check("a\u{0}b"), Err(PathFault::ControlCharacter));
    }

    #[test]
    fn case_only_differences_collide() {
        assert_eq!(collision_key("GX/A.PDF"), collision_key("gx/a.pdf"));
    }
}
