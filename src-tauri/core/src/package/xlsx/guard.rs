//! Bounds on what a spreadsheet declares or implies, checked before the
//! reader allocates for it: a 20 KB file must not ask for terabytes.

use crate::i18n::Msg;
use crate::package::report::Problem;
use std::io::Cursor;

/// Most bytes one part of a spreadsheet may inflate to.
const MAX_PART: u64 = 64 * 1024 * 1024;
/// Most bytes all parts together may inflate to.
const MAX_PARTS: u64 = 256 * 1024 * 1024;
/// Most shared strings a spreadsheet may declare.
const MAX_STRINGS: u64 = 1_000_000;
/// Furthest row and column a form's cell may sit in, and most cells a sheet
/// may span (its rows × columns).
pub(super) const MAX_ROW: u64 = 100_000;
pub(super) const MAX_COL: u64 = 256;
pub(super) const MAX_CELLS: u64 = 2_000_000;

/// A sheet part's name and the bytes it declares, for [`guard`]'s messages.
fn too_big(file: &str, part: &str, detail: String) -> Problem {
    Problem::new(
        format!("{file} / {part}"),
        Msg::SpreadsheetTooLarge { file: file.into(), part: part.into(), detail },
    )
}

/// `A1`-style reference to (row, column), 1-based.
fn cell_ref(r: &str) -> Option<(u64, u64)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = r.split_at(letters);
    let col = col.bytes().try_fold(0u64, |acc, b| {
        acc.checked_mul(26)?.checked_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    })?;
    let row: u64 = row.trim_start_matches('$').parse().ok()?;
    Some((row, col.max(1)))
}

/// The value of attribute `name` in the start tag `tag` (without `<`).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag.get(at..)?.split('"').next()
}

/// Every start tag of `xml` whose local name is one of `names`.
fn tags<'a>(xml: &'a str, names: &'a [&'a str]) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    xml.split('<').skip(1).filter_map(move |t| {
        let end = t.find('>').unwrap_or(t.len());
        let tag = &t[..end];
        let qname = tag.split([' ', '/', '\t', '\n', '\r']).next()?;
        let local = qname.rsplit(':').next()?;
        names.iter().find(|n| **n == local).map(|n| (*n, tag))
    })
}

/// Refuses a spreadsheet whose declared or implied sizes would make the
/// reader allocate beyond what a form can need: parts that inflate too far,
/// more shared strings than a form holds (or than its part has room for),
/// cells or a dimension out past [`MAX_ROW`] × [`MAX_COL`].
pub(super) fn guard(bytes: &[u8], file: &str) -> Result<(), Problem> {
    use std::io::Read;
    let unreadable =
        |detail: String| Problem::new(file, Msg::SpreadsheetUnreadable { file: file.into(), detail });
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| unreadable(e.to_string()))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let size = entry.size();
        total = total.saturating_add(size);
        if size > MAX_PART || total > MAX_PARTS {
            return Err(too_big(file, &name, crate::i18n::size(size.max(total))));
        }
    }
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| unreadable(e.to_string()))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let strings = name.ends_with("sharedStrings.xml");
        let sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        if !strings && !sheet {
            continue;
        }
        let mut xml = Vec::new();
        // A header that lies about its size cannot make this read more.
        (&mut entry).take(MAX_PART + 1).read_to_end(&mut xml).map_err(|e| unreadable(e.to_string()))?;
        if xml.len() as u64 > MAX_PART {
            return Err(too_big(file, &name, crate::i18n::size(xml.len() as u64)));
        }
        let xml = String::from_utf8_lossy(&xml);
        if strings {
            for (_, tag) in tags(&xml, &["sst"]) {
                for key in ["count", "uniqueCount"] {
                    let n: u64 = attr(tag, key).and_then(|v| v.parse().ok()).unwrap_or(0);
                    // Each string takes at least `<si><t/></si>`: 13 bytes.
                    if n > MAX_STRINGS || n > xml.len() as u64 / 13 + 1 {
                        return Err(too_big(file, &name, format!("{key}={n}")));
                    }
                }
            }
        } else {
            let (mut rows, mut cols) = (0u64, 0u64);
            for (kind, tag) in tags(&xml, &["c", "row", "dimension"]) {
                let refs: Vec<&str> = match kind {
                    "dimension" => attr(tag, "ref").into_iter().flat_map(|r| r.split(':')).collect(),
                    _ => attr(tag, "r").into_iter().collect(),
                };
                for r in refs {
                    let (row, col) = if kind == "row" {
                        (r.parse().unwrap_or(u64::MAX), 1)
                    } else {
                        cell_ref(r).unwrap_or((u64::MAX, u64::MAX))
                    };
                    rows = rows.max(row);
                    cols = cols.max(col);
                }
            }
            if rows > MAX_ROW || cols > MAX_COL || rows.saturating_mul(cols) > MAX_CELLS {
                return Err(too_big(file, &name, format!("{rows} × {cols}")));
            }
        }
    }
    Ok(())
}
