//! Ruled tables whose header repeats on every page, and the rows each page
//! shows (for its QR code).

use super::{Layout, Style, MARGIN};
use crate::i18n::labels::label;
use crate::i18n::Lang;

/// A ruled table: column widths in pt, the header texts, type size and
/// line spacing, and a minimum row height (room for a signature).
pub struct Table {
    pub left: f32,
    pub widths: Vec<f32>,
    pub header: Vec<String>,
    pub size: f32,
    pub lead: f32,
    pub min_height: f32,
    /// The columns a page's QR code carries (see [`super::page_seal`]).
    pub signed: Vec<usize>,
}

impl Table {
    /// Columns as fractions of the width between the margins of `l`.
    pub fn new(l: &Layout, columns: &[(String, f32)], size: f32) -> Table {
        let width = l.width - 2.0 * MARGIN;
        Table {
            left: MARGIN,
            widths: columns.iter().map(|(_, f)| f * width).collect(),
            header: columns.iter().map(|(h, _)| h.clone()).collect(),
            size,
            lead: size + 3.5,
            min_height: 0.0,
            signed: (0..columns.len()).collect(),
        }
    }
}

impl Layout {
    /// Draws one table row (wrapped cells) at y. A row that does not fit
    /// moves to a new page (the header repeated); a row taller than a whole
    /// page is split across pages, line by line, so nothing is cut off.
    pub fn table_row(&mut self, t: &Table, texts: &[String]) {
        let mut wrapped: Vec<Vec<String>> =
            texts.iter().zip(&t.widths).map(|(s, w)| Self::wrap(s, t.size, w - 6.0)).collect();
        let header_lines = t
            .header
            .iter()
            .zip(&t.widths)
            .map(|(s, w)| Self::wrap_in(s, t.size, w - 6.0, Style::Strong).len())
            .max()
            .unwrap_or(1);
        let fresh_top = self.height - MARGIN - 10.0 - (header_lines as f32 * t.lead + 6.0);
        let capacity = (((fresh_top - self.bottom - 6.0) / t.lead).floor() as usize).max(1);
        let mut recorded = false;
        loop {
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = (lines as f32 * t.lead + 6.0).max(t.min_height);
            if self.y - height >= self.bottom {
                if !recorded {
                    self.record(t, texts);
                }
                self.draw_row(t, &wrapped, height, Style::Body);
                return;
            }
            let room = ((self.y - self.bottom - 6.0) / t.lead).floor().max(0.0) as usize;
            if lines <= capacity || room < 2 {
                self.new_page();
                self.y -= 10.0;
                self.table_header(t);
                if lines <= capacity {
                    continue;
                }
            }
            // Taller than a page: draw what fits here and carry the rest over.
            let room = ((self.y - self.bottom - 6.0) / t.lead).floor().max(1.0) as usize;
            let head: Vec<Vec<String>> =
                wrapped.iter().map(|c| c.iter().take(room).cloned().collect()).collect();
            wrapped = wrapped.iter().map(|c| c.iter().skip(room).cloned().collect()).collect();
            if !recorded {
                self.record(t, texts);
                recorded = true;
            }
            self.draw_row(t, &head, room as f32 * t.lead + 6.0, Style::Body);
            self.new_page();
            self.y -= 10.0;
            self.table_header(t);
        }
    }

    /// Notes a row (its signed columns) as shown on the current page.
    fn record(&mut self, t: &Table, texts: &[String]) {
        let row = t.signed.iter().filter_map(|&i| texts.get(i).cloned()).collect();
        if let Some(page) = self.rows.last_mut() {
            page.push(row);
        }
    }

    /// The table's header row, with a heavier rule above it.
    pub fn table_header(&mut self, t: &Table) {
        self.record(t, &t.header);
        let right = t.left + t.widths.iter().sum::<f32>();
        self.line(t.left, self.y, right, self.y, 0.8);
        let wrapped: Vec<Vec<String>> = t
            .header
            .iter()
            .zip(&t.widths)
            .map(|(s, w)| Self::wrap_in(s, t.size, w - 6.0, Style::Strong))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        self.draw_row(t, &wrapped, lines as f32 * t.lead + 6.0, Style::Strong);
    }

    fn draw_row(&mut self, t: &Table, wrapped: &[Vec<String>], height: f32, style: Style) {
        let top = self.y;
        let mut x = t.left;
        for (cell, w) in wrapped.iter().zip(&t.widths) {
            for (k, line) in cell.iter().enumerate() {
                self.styled(x + 3.0, top - t.lead * (k as f32 + 1.0), t.size, line, style);
            }
            x += w;
        }
        let right = t.left + t.widths.iter().sum::<f32>();
        self.line(t.left, top - height, right, top - height, 0.5);
        let mut x = t.left;
        for w in &t.widths {
            self.line(x, top, x, top - height, 0.5);
            x += w;
        }
        self.line(right, top, right, top - height, 0.5);
        self.y -= height;
    }

    /// A whole table: header, then rows, across pages.
    pub fn table(&mut self, t: &Table, rows: &[Vec<String>]) {
        self.ensure(3.0 * t.lead + 12.0);
        self.table_header(t);
        for r in rows {
            self.table_row(t, r);
        }
    }
}

/// Table columns from label keys and width fractions.
pub fn labelled(columns: &[(&str, f32)], lang: Lang) -> Vec<(String, f32)> {
    columns.iter().map(|(k, f)| (label(k, lang), *f)).collect()
}
