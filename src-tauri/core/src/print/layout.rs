//! A small layout layer over printpdf: A4 pages, the bundled CJK faces with
//! per-character fallback (Noto SC, then HanaMinA, then HanaMinB; see
//! [`crate::fonts`]), measured text, wrapping, ruled tables whose header
//! repeats on every page, and "第 N 页 共 M 页".

use super::page_seal;
use super::seal::{self, Seal};
use crate::i18n::Lang;
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rect, Rgb, TextItem,
};
use std::sync::OnceLock;

mod foot;
mod table;

pub use table::{labelled, Table};

/// The faces, parsed once per process (they are large): the two SC faces,
/// then the two fallbacks, in the order of [`Layout::fonts`].
struct Faces([ParsedFont; 4]);

fn faces() -> Option<&'static Faces> {
    use crate::fonts::*;
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let parse = |bytes, index| ParsedFont::from_bytes(bytes, index, &mut Vec::new());
            Some(Faces([
                parse(NOTO_SERIF, NOTO_SC_INDEX)?,
                parse(NOTO_SANS_BOLD, NOTO_SC_INDEX)?,
                parse(HANAMIN_A, 0)?,
                parse(HANAMIN_B, 0)?,
            ]))
        })
        .as_ref()
}

/// Which SC face a run of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Noto Serif CJK SC: the body.
    Body,
    /// Noto Sans CJK SC Bold: titles, headings and table headers.
    Strong,
}

impl Style {
    fn face(self) -> usize {
        match self {
            Style::Body => 0,
            Style::Strong => 1,
        }
    }
}

pub const MARGIN: f32 = 42.5; // 15 mm

/// Pages under construction.
pub struct Layout {
    doc: PdfDocument,
    /// The document's fonts, in the order of [`Faces`].
    fonts: Vec<FontId>,
    pub width: f32,
    pub height: f32,
    pub pages: Vec<Vec<Op>>,
    /// Current baseline position from the bottom, in pt.
    pub y: f32,
    /// Nothing is drawn below this (pt from the bottom of the page).
    bottom: f32,
    /// The table rows each page shows (header rows included), for its QR.
    rows: Vec<Vec<Vec<String>>>,
}

/// A finished document: its bytes and each page's QR body.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: Vec<page_seal::Page>,
}

/// The side of each page's QR code with its quiet zone, in pt (about 49
/// mm): at 150 dpi a module of a version-17 code is three pixels.
pub const QR_SIDE: f32 = 140.0;
/// Where the QR code's foot stands.
const QR_FOOT: f32 = 14.0;

impl Layout {
    /// A document of A4 pages (`landscape` for wide tables).
    pub fn new(title: &str, landscape: bool) -> Option<Layout> {
        let f = faces()?;
        let mut doc = PdfDocument::new(title);
        let fonts = f.0.iter().map(|face| doc.add_font(face)).collect();
        let (w, h) = (Mm(210.0).into_pt().0, Mm(297.0).into_pt().0);
        let (width, height) = if landscape { (h, w) } else { (w, h) };
        Some(Layout {
            doc,
            fonts,
            width,
            height,
            pages: vec![Vec::new()],
            y: height - MARGIN,
            bottom: MARGIN + 10.0,
            rows: vec![Vec::new()],
        })
    }

    pub fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Keeps a band at the foot of every page for its QR code (sealed
    /// documents).
    pub fn reserve_qr_band(&mut self) {
        self.bottom = QR_FOOT + QR_SIDE + 10.0;
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.rows.push(Vec::new());
        self.y = self.height - MARGIN;
    }

    /// The face that draws `c` in `style`: the SC face when it has the
    /// glyph, else the first fallback that has it, else the SC face.
    fn face_of(f: &Faces, c: char, style: Style) -> usize {
        [style.face(), 2, 3]
            .into_iter()
            .find(|&i| f.0[i].lookup_glyph_index(c as u32).is_some())
            .unwrap_or(style.face())
    }

    /// Splits `text` into runs of one face.
    fn runs(text: &str, style: Style) -> Vec<(usize, String)> {
        let Some(f) = faces() else { return vec![(style.face(), text.to_string())] };
        let mut out: Vec<(usize, String)> = Vec::new();
        for c in text.chars() {
            let face = Self::face_of(f, c, style);
            match out.last_mut() {
                Some((i, s)) if *i == face => s.push(c),
                _ => out.push((face, c.to_string())),
            }
        }
        out
    }

    /// Width of `text` at `size` pt in the body face.
    pub fn width_of(text: &str, size: f32) -> f32 {
        Self::width_in(text, size, Style::Body)
    }

    /// Width of `text` at `size` pt in `style`.
    pub fn width_in(text: &str, size: f32, style: Style) -> f32 {
        let Some(f) = faces() else { return text.chars().count() as f32 * size };
        text.chars()
            .map(|c| {
                let face = &f.0[Self::face_of(f, c, style)];
                let Some(gid) = face.lookup_glyph_index(c as u32) else { return size };
                let upem = face.pdf_font_metrics.units_per_em.max(1) as f32;
                face.get_horizontal_advance(gid) as f32 / upem * size
            })
            .sum()
    }

    /// Draws `text` with its left end at (x, y), in the body face.
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.styled(x, y, size, text, Style::Body);
    }

    /// Draws `text` with its left end at (x, y) in `style`.
    pub fn styled(&mut self, x: f32, y: f32, size: f32, text: &str, style: Style) {
        let mut cx = x;
        for (face, run) in Self::runs(text, style) {
            let font = self.fonts[face].clone();
            let w = Self::width_in(&run, size, style);
            let ops = self.ops();
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) });
            ops.push(Op::SetTextCursor { pos: Point { x: Pt(cx), y: Pt(y) } });
            ops.push(Op::ShowText { items: vec![TextItem::Text(run)] });
            ops.push(Op::EndTextSection);
            cx += w;
        }
    }

    /// The document's title, centred at the current position.
    pub fn title(&mut self, text: &str) {
        let x = (self.width - Self::width_in(text, 18.0, Style::Strong)) / 2.0;
        self.styled(x, self.y, 18.0, text, Style::Strong);
    }

    pub fn text_centered(&mut self, y: f32, size: f32, text: &str) {
        let x = (self.width - Self::width_of(text, size)) / 2.0;
        self.text(x, y, size, text);
    }

    pub fn text_right(&mut self, right: f32, y: f32, size: f32, text: &str) {
        self.text(right - Self::width_of(text, size), y, size, text);
    }

    /// Breaks `text` into lines no wider than `width`: between any two CJK
    /// characters, between Latin words, and inside a word only when it is
    /// wider than a whole line.
    pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
        Self::wrap_in(text, size, width, Style::Body)
    }

    /// [`Layout::wrap`] for text set in `style`.
    pub fn wrap_in(text: &str, size: f32, width: f32, style: Style) -> Vec<String> {
        if text.contains('\n') {
            return text.split('\n').flat_map(|part| Self::wrap_in(part, size, width, style)).collect();
        }
        let mut tokens: Vec<String> = Vec::new();
        for c in text.chars() {
            let latin = c.is_ascii() && c != ' ';
            // Closing punctuation never starts a line: it stays with what it closes.
            let closing = "）)，,。.、；;：:！!？?」』》".contains(c);
            match tokens.last_mut() {
                Some(t) if closing => t.push(c),
                // Opening punctuation never ends a line: it stays with what follows.
                Some(t) if t.ends_with(['（', '(', '「', '『', '《']) => t.push(c),
                Some(t) if latin && t.chars().last().is_some_and(|p| p.is_ascii() && p != ' ') => t.push(c),
                _ => tokens.push(c.to_string()),
            }
        }
        let mut lines = vec![String::new()];
        for token in tokens {
            let Some(cur) = lines.last_mut() else { break };
            if Self::width_in(&format!("{cur}{token}"), size, style) <= width
                || cur.is_empty() && Self::width_in(&token, size, style) <= width
            {
                cur.push_str(&token);
            } else if Self::width_in(&token, size, style) > width {
                // A word longer than the line: break it by characters.
                for c in token.chars() {
                    let Some(cur) = lines.last_mut() else { break };
                    if Self::width_in(&format!("{cur}{c}"), size, style) > width && !cur.is_empty() {
                        lines.push(c.to_string());
                    } else {
                        cur.push(c);
                    }
                }
            } else if token == " " {
                lines.push(String::new());
            } else {
                lines.push(token);
            }
        }
        for l in &mut lines {
            *l = l.trim_end().to_string();
        }
        lines
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32) {
        let ops = self.ops();
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::SetOutlineColor { col: Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None }) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint { p: Point { x: Pt(x1), y: Pt(y1) }, bezier: false },
                    LinePoint { p: Point { x: Pt(x2), y: Pt(y2) }, bezier: false },
                ],
                is_closed: false,
            },
        });
    }

    /// A filled black square (QR modules).
    pub fn square(&mut self, x: f32, y: f32, side: f32) {
        let ops = self.ops();
        ops.push(Op::SetFillColor { col: Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None }) });
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(y),
                width: Pt(side),
                height: Pt(side),
                mode: Some(printpdf::PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    /// Starts a new page unless `need` pt are left above the bottom margin.
    pub fn ensure(&mut self, need: f32) {
        if self.y - need < self.bottom {
            self.new_page();
        }
    }

    /// Wrapped text from `x`, `width` wide, breaking pages as needed.
    pub fn paragraph(&mut self, x: f32, width: f32, size: f32, lead: f32, text: &str) {
        for line in Self::wrap(text, size, width) {
            self.ensure(lead);
            self.y -= lead;
            self.text(x, self.y, size, &line);
        }
    }

    /// A section heading with some room after it.
    pub fn heading(&mut self, text: &str) {
        // Room for the heading, a table header and a first row: a heading
        // never stands alone at the foot of a page.
        self.ensure(100.0);
        self.y -= 22.0;
        self.styled(MARGIN, self.y, 12.5, text, Style::Strong);
        self.y -= 6.0;
    }

    /// Adds "header" at the top and "第 N 页 共 M 页" at the foot of every page,
    /// each sealed page's QR code (see [`super::page_seal`]), sets the
    /// keywords (the seal) and serialises with subset fonts.
    pub fn finish(
        mut self,
        header: &str,
        page_label: impl Fn(usize, usize) -> String,
        seal: Option<&Seal>,
        lang: Lang,
    ) -> Rendered {
        let total = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let rows = std::mem::take(&mut self.rows);
        let mut done = Vec::new();
        let mut bodies = Vec::new();
        for (i, (ops, rows)) in
            pages.into_iter().zip(rows.into_iter().chain(std::iter::repeat(Vec::new()))).enumerate()
        {
            self.pages = vec![ops];
            let top = self.height - MARGIN / 2.0 - 4.0;
            self.text_centered(top, 9.0, header);
            self.text_centered(MARGIN / 2.0, 9.0, &page_label(i + 1, total));
            if let Some((seal, page)) = seal.and_then(|s| Some((s, foot::page_of(s, i + 1, total, rows)?))) {
                self.page_qr(seal, &page, i, lang);
                bodies.push(page);
            }
            let ops = self.pages.pop().unwrap_or_default();
            done.push(PdfPage::new(Mm::from(Pt(self.width)), Mm::from(Pt(self.height)), ops));
        }
        // An unsealed document carries no keywords.
        self.doc.metadata.info.keywords = seal.map_or_else(Vec::new, seal::keywords);
        self.doc.metadata.info.producer = "Conclave".into();
        self.doc.metadata.info.creator = "Conclave".into();
        let bytes = self
            .doc
            .with_pages(done)
            .save(&PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() }, &mut Vec::new());
        Rendered { pdf: compress_all(bytes, seal), pages: bodies }
    }
}

/// Embeds the seal (see [`seal::embed`]) and Flate-compresses every stream
/// printpdf left uncompressed. Page contents decode to the same operations.
fn compress_all(bytes: Vec<u8>, seal: Option<&Seal>) -> Vec<u8> {
    let Ok(mut doc) = lopdf::Document::load_mem(&bytes) else { return bytes };
    if let Some(seal) = seal {
        if seal::embed(&mut doc, seal).is_none() {
            return bytes;
        }
    }
    for object in doc.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            stream.allows_compression = true;
        }
    }
    doc.compress();
    let mut out = Vec::new();
    match doc.save_to(&mut out) {
        Ok(()) => out,
        Err(_) => bytes,
    }
}

/// A template of labels and numbers written with Chinese punctuation, in
/// `lang`'s punctuation (never applied to names or other data).
pub fn punct(s: String, lang: Lang) -> String {
    match lang {
        Lang::Zh => s,
        Lang::En => s.replace('（', " (").replace('）', ")").replace('；', "; ").replace('，', ", "),
    }
}

/// "：" in Chinese, ": " in English.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

/// "（确认人：name）" / " (authorised by name)": who authorised an act by
/// their PIN.
pub fn by_whom(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{}：{name}）", crate::i18n::labels::label("minutes.by", lang)),
        Lang::En => format!(" ({} {name})", crate::i18n::labels::label("minutes.by", lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_taller_than_a_page_is_split_not_cut() {
        let Some(mut l) = Layout::new("t", false) else { return };
        let t = Table::new(&l, &[("a".to_string(), 0.3), ("b".to_string(), 0.7)], 10.0);
        // About 3,000 characters in a column 350 pt wide: some 90 lines.
        let long: String = "评议意见".repeat(750);
        l.table(&t, &[vec!["1".into(), long.clone()], vec!["2".into(), "短".into()]]);
        assert!(l.pages.len() >= 2, "the row runs over {} pages", l.pages.len());
        let shown: String = l
            .pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::ShowText { items } => Some(
                    items
                        .iter()
                        .map(|i| match i {
                            TextItem::Text(s) => s.clone(),
                            _ => String::new(),
                        })
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect();
        for c in ['评', '议', '意', '见'] {
            assert_eq!(shown.matches(c).count(), 750, "every {c} printed once");
        }
        assert!(shown.ends_with("2短"), "the next row follows");
        for page in &l.pages {
            for op in page {
                if let Op::SetTextCursor { pos } = op {
                    assert!(pos.y.0 >= MARGIN, "nothing below the bottom margin: {}", pos.y.0);
                }
            }
        }
    }
}
