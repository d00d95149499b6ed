//! Bounds on an Excel 97–2003 `.xls` (a compound file holding a BIFF
//! record stream), checked before the reader allocates for it: the reader
//! reserves room for every cell a sheet's DIMENSIONS record declares, so a
//! 10 KB file could ask for billions of cells, or (a last row before the
//! first) overflow the count.

use super::guard::{MAX_CELLS, MAX_COL, MAX_ROW};
use crate::i18n::Msg;
use crate::package::report::Problem;
use std::io::{Cursor, Read};

/// The compound file's signature: what tells `.xls` from `.xlsx` (a zip).
pub const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub fn is_xls(bytes: &[u8]) -> bool {
    bytes.starts_with(&SIGNATURE)
}

/// Refuses an `.xls` whose workbook stream cannot be read or whose sheets
/// declare dimensions beyond [`MAX_ROW`] × [`MAX_COL`] or [`MAX_CELLS`].
pub(super) fn guard_xls(bytes: &[u8], file: &str) -> Result<(), Problem> {
    let unreadable =
        |detail: String| Problem::new(file, Msg::SpreadsheetUnreadable { file: file.into(), detail });
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
        .ok_or_else(|| unreadable("no Workbook stream".into()))?;
    let mut stream = Vec::new();
    // A stream cannot hold more than the file it is in.
    cfb.open_stream(name)
        .map_err(|e| unreadable(e.to_string()))?
        .take(bytes.len() as u64)
        .read_to_end(&mut stream)
        .map_err(|e| unreadable(e.to_string()))?;
    let too_big = |detail: String| {
        Problem::new(
            format!("{file} / DIMENSIONS"),
            Msg::SpreadsheetTooLarge { file: file.into(), part: "DIMENSIONS".into(), detail },
        )
    };
    let mut at = 0usize;
    while at + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
        let data = stream.get(at + 4..at + 4 + len).unwrap_or(&[]);
        at += 4 + len;
        if typ != 0x0200 {
            continue;
        }
        let u16_at = |i: usize| u64::from(u16::from_le_bytes([data[i], data[i + 1]]));
        let u32_at =
            |i: usize| u64::from(u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]));
        // As the reader reads them (MS-XLS 2.4.90): first row, last row + 1,
        // first column, last column + 1.
        let (rf, rl, mut cf, cl) = match data.len() {
            10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
            14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
            _ => continue, // the reader refuses it
        };
        if cf > 0xFF || cl < cf {
            cf = 0;
        }
        if rl == 0 || cl == 0 {
            continue; // an empty sheet: the reader reserves one cell
        }
        if rf > rl - 1 {
            return Err(too_big(format!("rows {rf}–{rl}")));
        }
        let (rows, cols) = (rl - rf, cl - cf);
        if rl > MAX_ROW || cl > MAX_COL || rows.saturating_mul(cols) > MAX_CELLS {
            return Err(too_big(format!("{rows} × {cols}")));
        }
    }
    Ok(())
}
