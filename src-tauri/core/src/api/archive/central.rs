//! The archive zip's central directory read record by record, apart from
//! the `zip` crate: that crate keeps one entry per name, so a second entry
//! of the same name (a forged `rounds.json` before the real one, which
//! another zip tool would show instead) never reaches the checks. Here every
//! record counts, and a name given twice is named.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// At most this many records are read (an archive has one per file).
const MAX_RECORDS: u64 = 1_000_000;

fn u16_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}

fn u32_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?)))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The central directory's (offset, size, records), from the end record
/// (and the zip64 one where the end record says to look there).
fn directory(f: &mut std::fs::File) -> Option<(u64, u64, u64)> {
    let len = f.seek(SeekFrom::End(0)).ok()?;
    let tail_len = len.min(65_557);
    f.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0; tail_len as usize];
    f.read_exact(&mut tail).ok()?;
    let eocd = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let (records, size, offset) =
        (u16_at(&tail, eocd + 10)?, u32_at(&tail, eocd + 12)?, u32_at(&tail, eocd + 16)?);
    if records != 0xFFFF && size != 0xFFFF_FFFF && offset != 0xFFFF_FFFF {
        return Some((offset, size, records));
    }
    // Zip64: the locator just before the end record points at its record.
    let locator = eocd.checked_sub(20)?;
    if tail.get(locator..locator + 4)? != b"PK\x06\x07" {
        return None;
    }
    let at = u64_at(&tail, locator + 8)?;
    f.seek(SeekFrom::Start(at)).ok()?;
    let mut rec = [0u8; 56];
    f.read_exact(&mut rec).ok()?;
    (&rec[..4] == b"PK\x06\x06").then_some(())?;
    Some((u64_at(&rec, 48)?, u64_at(&rec, 40)?, u64_at(&rec, 32)?))
}

/// Every name of the central directory, in its order (duplicates kept);
/// `None` when the directory cannot be read (the zip crate then says why).
pub(super) fn names(path: &Path) -> Option<Vec<String>> {
    let mut f = std::fs::File::open(path).ok()?;
    let (offset, size, records) = directory(&mut f)?;
    if records > MAX_RECORDS || size > MAX_RECORDS * 1024 {
        return None;
    }
    f.seek(SeekFrom::Start(offset)).ok()?;
    let mut cd = vec![0; size as usize];
    f.read_exact(&mut cd).ok()?;
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 46 <= cd.len() && &cd[at..at + 4] == b"PK\x01\x02" {
        let (name_len, extra, comment) =
            (u16_at(&cd, at + 28)?, u16_at(&cd, at + 30)?, u16_at(&cd, at + 32)?);
        let name = cd.get(at + 46..at + 46 + name_len as usize)?;
        out.push(String::from_utf8_lossy(name).into_owned());
        at += 46 + (name_len + extra + comment) as usize;
    }
    Some(out)
}

/// The names given more than once, each once.
pub(super) fn repeated(names: &[String]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut twice = std::collections::BTreeSet::new();
    for n in names {
        if !seen.insert(n.as_str()) {
            twice.insert(n.clone());
        }
    }
    twice.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_name_given_twice_is_found_where_the_zip_crate_keeps_one() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("a.zip");
        {
            // The zip crate refuses to write a name twice: write the
            // archive, then rename the second entry to the first's name in
            // both its local header and its central record.
            let mut w = zip::ZipWriter::new(std::fs::File::create(&path)?);
            let o =
                zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            w.start_file("rounds.json", o)?;
            w.write_all(b"[forged]")?;
            w.start_file("rounds.jsoX", o)?;
            w.write_all(b"[real]")?;
            w.finish()?;
        }
        let bytes = std::fs::read(&path)?;
        let patched: Vec<u8> = {
            let text = bytes.clone();
            let mut out = text.clone();
            let needle = b"rounds.jsoX";
            let mut i = 0;
            while let Some(p) = text[i..].windows(needle.len()).position(|w| w == needle) {
                out[i + p + needle.len() - 1] = b'n';
                i += p + 1;
            }
            out
        };
        std::fs::write(&path, patched)?;
        let names = names(&path).expect("read");
        assert_eq!(names, vec!["rounds.json".to_string(), "rounds.json".to_string()]);
        assert_eq!(repeated(&names), vec!["rounds.json".to_string()]);
        assert_eq!(zip::ZipArchive::new(std::fs::File::open(&path)?)?.len(), 1, "the crate keeps one");
        Ok(())
    }
}
