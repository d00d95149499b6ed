//! A package's container: a folder or a zip archive. Lists the entries with
//! every container-level problem (traversal, symlinks, duplicates, declared
//! zip bombs, sizes) and streams one entry at a time, bounded, never whole.

use super::paths::{self, PathFault};
use super::report::Report;
use super::Limits;
use crate::i18n::Msg;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// One regular file of the package, by its package-relative path.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Path relative to the folder that holds the manifest.
    pub name: String,
    /// Declared (zip) or actual (folder) size in bytes.
    pub size: u64,
    /// Zip entry index; `None` in a folder.
    index: Option<usize>,
}

pub enum Container {
    Dir { root: PathBuf },
    Zip { archive: zip::ZipArchive<BufReader<File>>, file: String },
}

/// The entries of a container, keyed by package-relative path.
pub struct Listing {
    pub container: Container,
    pub entries: HashMap<String, Entry>,
    /// Zip entries without the UTF-8 flag are named by their GBK decoding (the
    /// spec's rule); when their bytes are also valid UTF-8, that reading is
    /// kept here as an alias, so a package zipped by a tool that writes UTF-8
    /// without setting the flag (Info-ZIP on Linux) still resolves.
    pub aliases: HashMap<String, String>,
}

impl Listing {
    /// The entry name a manifest path refers to.
    pub fn resolve(&self, path: &str) -> Option<&str> {
        if let Some(e) = self.entries.get(path) {
            return Some(e.name.as_str());
        }
        self.aliases.get(path).map(String::as_str).filter(|n| self.entries.contains_key(*n))
    }
}

/// Largest number of entries a package may have; beyond it is hostile.
const MAX_ENTRIES: usize = 1_000_000;
const MAX_DEPTH: usize = 64;

/// The message for a refused path: outside the package, or malformed.
pub fn path_fault_msg(name: &str, fault: PathFault) -> Msg {
    if paths::escapes(fault) {
        Msg::EntryOutside { path: name.to_string() }
    } else {
        Msg::EntryNameInvalid { path: name.to_string() }
    }
}

/// Opens a folder package whose manifest sits in `root`.
pub fn open_dir(root: &Path, limits: &Limits, report: &mut Report) -> Option<Listing> {
    let mut entries = HashMap::new();
    let mut keys: HashMap<String, String> = HashMap::new();
    let mut total = 0u64;
    let mut skipped = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new(), 0usize)];
    while let Some((dir, prefix, depth)) = stack.pop() {
        let read = match std::fs::read_dir(&dir) {
            Ok(r) => r,
            Err(e) => {
                report.error(
                    dir.display().to_string(),
                    Msg::FileUnreadable { path: dir.display().to_string(), detail: e.to_string() },
                );
                continue;
            }
        };
        for item in read.flatten() {
            let Some(file_name) = item.file_name().to_str().map(str::to_string) else {
                report.error(
                    item.path().display().to_string(),
                    Msg::EntryNameInvalid { path: item.path().display().to_string() },
                );
                continue;
            };
            let name = if prefix.is_empty() { file_name } else { format!("{prefix}/{file_name}") };
            if paths::is_os_metadata(&name) {
                skipped.push(name);
                continue;
            }
            let Ok(meta) = std::fs::symlink_metadata(item.path()) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                report.error(&name, Msg::SymlinkRefused { path: name.clone() });
            } else if meta.is_dir() {
                if depth + 1 > MAX_DEPTH {
                    report.error(&name, Msg::TooDeep { path: name.clone() });
                } else {
                    stack.push((item.path(), name, depth + 1));
                }
            } else if meta.is_file() {
                if let Err(fault) = paths::check(&name) {
                    report.error(&name, path_fault_msg(&name, fault));
                    continue;
                }
                total += meta.len();
                if let Some(other) = keys.insert(paths::collision_key(&name), name.clone()) {
                    report.error(&name, Msg::DuplicateEntry { path: name.clone(), other });
                }
                entries.insert(name.clone(), Entry { name, size: meta.len(), index: None });
                if entries.len() > MAX_ENTRIES {
                    report.error(root.display().to_string(), Msg::TooManyEntries { max: MAX_ENTRIES });
                    return None;
                }
            } else {
                report.error(&name, Msg::NotRegularFile { path: name.clone() });
            }
        }
    }
    if total > limits.max_total {
        report.error(root.display().to_string(), Msg::PackageTooLarge { size: total, max: limits.max_total });
    }
    warn_skipped(report, &root.display().to_string(), skipped);
    Some(Listing { container: Container::Dir { root: root.to_path_buf() }, entries, aliases: HashMap::new() })
}

/// Decodes a zip entry name: UTF-8 when the entry's language-encoding flag
/// (bit 11, also set by the zip crate for a valid Unicode Path extra field)
/// is set, GBK/CP936 otherwise (what Chinese Windows writes).
fn decode_name(raw: &[u8], utf8_flag: bool) -> Option<String> {
    if utf8_flag || raw.is_ascii() {
        return String::from_utf8(raw.to_vec()).ok();
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(raw);
    if had_errors {
        // Not GBK at all: a UTF-8 name written without the flag.
        return String::from_utf8(raw.to_vec()).ok();
    }
    Some(text.into_owned())
}

/// A zip entry as its central directory names it, before any check.
struct RawEntry {
    index: usize,
    name: String,
    is_dir: bool,
    size: u64,
    compressed: u64,
    /// The name read as UTF-8 where the zip did not say UTF-8 (and it differs).
    alias: Option<String>,
}

/// The first pass over a zip: every entry's decoded name (symlinks,
/// encrypted entries and undecodable names refused), and the operating
/// system's own files skipped. `None` when the directory itself is corrupt.
fn read_names(
    archive: &mut zip::ZipArchive<BufReader<File>>,
    shown: &str,
    report: &mut Report,
) -> Option<(Vec<RawEntry>, Vec<String>)> {
    let mut raw_entries = Vec::new();
    let mut skipped = Vec::new();
    for i in 0..archive.len() {
        let data = match archive.by_index_raw(i) {
            Ok(d) => d,
            Err(e) => {
                report.error(shown, Msg::ZipCorrupt { file: shown.to_string(), detail: e.to_string() });
                return None;
            }
        };
        let utf8 = data.flags().as_u16() & (1 << 11) != 0;
        let Some(name) = decode_name(data.name_raw(), utf8) else {
            report.error(shown, Msg::EntryNameUndecodable { index: i });
            continue;
        };
        if paths::is_os_metadata(&name) {
            if !data.is_dir() {
                skipped.push(name);
            }
            continue;
        }
        if data.is_symlink() {
            report.error(&name, Msg::SymlinkRefused { path: name.clone() });
            continue;
        }
        if data.encrypted() {
            report.error(&name, Msg::EntryEncrypted { path: name.clone() });
            continue;
        }
        let is_dir = data.is_dir();
        let alias = (!utf8 && !data.name_raw().is_ascii())
            .then(|| String::from_utf8(data.name_raw().to_vec()).ok())
            .flatten()
            .filter(|a| *a != name);
        raw_entries.push(RawEntry {
            index: i,
            name,
            is_dir,
            size: data.size(),
            compressed: data.compressed_size(),
            alias,
        });
    }
    Some((raw_entries, skipped))
}

/// Opens a zip package. The manifest may be at the root or inside a single
/// top-level folder; names are then taken relative to that folder.
pub fn open_zip(path: &Path, limits: &Limits, report: &mut Report) -> Option<Listing> {
    let shown = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            report.error(&shown, Msg::FileUnreadable { path: shown.clone(), detail: e.to_string() });
            return None;
        }
    };
    let mut archive = match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(a) => a,
        Err(e) => {
            report.error(&shown, Msg::ZipCorrupt { file: shown.clone(), detail: e.to_string() });
            return None;
        }
    };
    if archive.len() > MAX_ENTRIES {
        report.error(&shown, Msg::TooManyEntries { max: MAX_ENTRIES });
        return None;
    }
    let (raw_entries, skipped) = read_names(&mut archive, &shown, report)?;
    let prefix = manifest_prefix(raw_entries.iter().filter(|e| !e.is_dir).map(|e| e.name.as_str()));
    let mut entries = HashMap::new();
    let mut aliases = HashMap::new();
    let mut keys: HashMap<String, String> = HashMap::new();
    let mut total = 0u64;
    for RawEntry { index: i, name: full, is_dir, size, compressed, alias } in raw_entries {
        let check_name = full.trim_end_matches('/');
        if let Err(fault) = paths::check(check_name) {
            report.error(&full, path_fault_msg(&full, fault));
            continue;
        }
        if is_dir {
            continue;
        }
        let name = full.strip_prefix(prefix.as_str()).unwrap_or(&full).to_string();
        if size > limits.max_file {
            report.error(&name, Msg::FileTooLarge { path: name.clone(), size, max: limits.max_file });
            continue;
        }
        if size > 0 && size / compressed.max(1) > limits.max_ratio {
            report.error(
                &name,
                Msg::ZipBomb { path: name.clone(), ratio: size / compressed.max(1), max: limits.max_ratio },
            );
            continue;
        }
        total = total.saturating_add(size);
        if let Some(other) = keys.insert(paths::collision_key(&name), name.clone()) {
            report.error(&name, Msg::DuplicateEntry { path: name.clone(), other });
            continue;
        }
        if let Some(alias) = alias {
            let alias = alias.strip_prefix(prefix.as_str()).unwrap_or(&alias).to_string();
            if paths::check(&alias).is_ok() {
                aliases.insert(alias, name.clone());
            }
        }
        entries.insert(name.clone(), Entry { name, size, index: Some(i) });
    }
    if total > limits.max_total {
        report.error(&shown, Msg::PackageTooLarge { size: total, max: limits.max_total });
    }
    warn_skipped(report, &shown, skipped);
    Some(Listing { container: Container::Zip { archive, file: shown }, entries, aliases })
}

/// One warning for every operating-system file skipped (the first five named).
fn warn_skipped(report: &mut Report, package: &str, mut skipped: Vec<String>) {
    if skipped.is_empty() {
        return;
    }
    skipped.sort();
    let mut names = skipped.iter().take(5).map(String::as_str).collect::<Vec<_>>().join("、");
    if skipped.len() > 5 {
        names.push_str(" …");
    }
    report.warn(package, Msg::OsFilesSkipped { count: skipped.len(), names });
}

/// `""` when `dossier.json` (or `candidates.xlsx`) is at the root, `"X/"`
/// when every entry is under one folder `X` that holds it.
fn manifest_prefix<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.iter().any(|n| super::MANIFESTS.contains(n)) {
        return String::new();
    }
    let Some(first) = names.first() else {
        return String::new();
    };
    let Some((top, _)) = first.split_once('/') else {
        return String::new();
    };
    let prefix = format!("{top}/");
    if names.iter().all(|n| n.starts_with(&prefix)) {
        prefix
    } else {
        String::new()
    }
}

/// Reads an entry through `sink`, in chunks, refusing to go past the declared
/// size or the per-file limit (a lying zip header cannot inflate more).
pub fn stream(
    listing: &mut Listing,
    name: &str,
    limits: &Limits,
    mut sink: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> Result<u64, Msg> {
    let Some(entry) = listing.entries.get(name).cloned() else {
        return Err(Msg::FileMissing { path: name.to_string() });
    };
    let cap = entry.size.min(limits.max_file);
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    // Read errors come back raw so that each container can name them.
    let mut pump = |r: &mut dyn Read| -> Result<u64, Result<Msg, std::io::Error>> {
        loop {
            let n = r.read(&mut buf).map_err(Err)?;
            if n == 0 {
                return Ok(total);
            }
            total += n as u64;
            if total > cap {
                return Err(Ok(if total > limits.max_file {
                    Msg::FileTooLarge { path: name.to_string(), size: total, max: limits.max_file }
                } else {
                    Msg::SizeMismatch { path: name.to_string(), declared: entry.size }
                }));
            }
            sink(&buf[..n])
                .map_err(|e| Ok(Msg::FileUnreadable { path: name.to_string(), detail: e.to_string() }))?;
        }
    };
    match &mut listing.container {
        Container::Dir { root } => {
            let full = root.join(&entry.name);
            let mut f = File::open(&full)
                .map_err(|e| Msg::FileUnreadable { path: name.to_string(), detail: e.to_string() })?;
            pump(&mut f).map_err(|e| {
                e.unwrap_or_else(|e| Msg::FileUnreadable { path: name.to_string(), detail: e.to_string() })
            })
        }
        Container::Zip { archive, file } => {
            let index = entry.index.unwrap_or(usize::MAX);
            let mut z = archive
                .by_index(index)
                .map_err(|e| Msg::ZipCorrupt { file: file.clone(), detail: format!("{name}: {e}") })?;
            let n = pump(&mut z).map_err(|e| {
                e.unwrap_or_else(|e| {
                    if e.to_string().contains("declared") {
                        Msg::SizeMismatch { path: name.to_string(), declared: entry.size }
                    } else {
                        Msg::ZipCorrupt { file: file.clone(), detail: format!("{name}: {e}") }
                    }
                })
            })?;
            if n != entry.size {
                return Err(Msg::SizeMismatch { path: name.to_string(), declared: entry.size });
            }
            Ok(n)
        }
    }
}

/// Reads a small entry (a manifest) whole, up to `max` bytes.
pub fn read_small(listing: &mut Listing, name: &str, max: u64) -> Result<Vec<u8>, Msg> {
    let limits = Limits { max_file: max, ..Limits::default() };
    let mut out = Vec::new();
    stream(listing, name, &limits, |chunk| {
        out.extend_from_slice(chunk);
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_names_decode_when_the_utf8_flag_is_unset() {
        let (gbk, _, _) = encoding_rs::GBK.encode("成果1.pdf");
        assert_eq!(decode_name(&gbk, false).as_deref(), Some("成果1.pdf"));
        assert_eq!(decode_name("成果1.pdf".as_bytes(), true).as_deref(), Some("成果1.pdf"));
        assert_eq!(decode_name(&[0xff, 0xfe, 0x80], true), None, "invalid UTF-8 with the flag set");
    }

    #[test]
    fn single_top_folder_is_the_package_root() {
        let names = ["pkg/dossier.json", "pkg/A/1.pdf"];
        assert_eq!(manifest_prefix(names.iter().copied()), "pkg/");
        let names = ["dossier.json", "A/1.pdf"];
        assert_eq!(manifest_prefix(names.iter().copied()), "");
        let names = ["a/dossier.json", "b/1.pdf"];
        assert_eq!(manifest_prefix(names.iter().copied()), "");
    }
}
