//! A small layout layer over printpdf: A4 pages, the bundled CJK faces with
//! per-character fallback (HanaMinA, then HanaMinB), measured text, wrapping,
//! ruled tables whose header repeats on every page, and "第 N 页 共 M 页".

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rect, Rgb, TextItem,
};
use std::sync::OnceLock;

/// The two faces, parsed once per process (they are large).
struct Faces {
    a: ParsedFont,
    b: ParsedFont,
}

fn faces() -> Option<&'static Faces> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let a = ParsedFont::from_bytes(crate::fonts::HANAMIN_A, 0, &mut Vec::new())?;
            let b = ParsedFont::from_bytes(crate::fonts::HANAMIN_B, 0, &mut Vec::new())?;
            Some(Faces { a, b })
        })
        .as_ref()
}

pub const MARGIN: f32 = 42.5; // 15 mm

/// Pages under construction.
pub struct Layout {
    doc: PdfDocument,
    font_a: FontId,
    font_b: FontId,
    pub width: f32,
    pub height: f32,
    pub pages: Vec<Vec<Op>>,
    /// Current baseline position from the bottom, in pt.
    pub y: f32,
}

impl Layout {
    /// A document of A4 pages (`landscape` for wide tables).
    pub fn new(title: &str, landscape: bool) -> Option<Layout> {
        let f = faces()?;
        let mut doc = PdfDocument::new(title);
        let font_a = doc.add_font(&f.a);
        let font_b = doc.add_font(&f.b);
        let (w, h) = (Mm(210.0).into_pt().0, Mm(297.0).into_pt().0);
        let (width, height) = if landscape { (h, w) } else { (w, h) };
        Some(Layout { doc, font_a, font_b, width, height, pages: vec![Vec::new()], y: height - MARGIN })
    }

    pub fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.height - MARGIN;
    }

    /// Splits `text` into runs of one face: A where it has the glyph, else B.
    fn runs(text: &str) -> Vec<(bool, String)> {
        let Some(f) = faces() else { return vec![(true, text.to_string())] };
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in text.chars() {
            let use_a =
                f.a.lookup_glyph_index(c as u32).is_some() || f.b.lookup_glyph_index(c as u32).is_none();
            match out.last_mut() {
                Some((a, s)) if *a == use_a => s.push(c),
                _ => out.push((use_a, c.to_string())),
            }
        }
        out
    }

    /// Width of `text` at `size` pt.
    pub fn width_of(text: &str, size: f32) -> f32 {
        let Some(f) = faces() else { return text.chars().count() as f32 * size };
        text.chars()
            .map(|c| {
                let (face, gid) = match f.a.lookup_glyph_index(c as u32) {
                    Some(g) => (&f.a, g),
                    None => match f.b.lookup_glyph_index(c as u32) {
                        Some(g) => (&f.b, g),
                        None => return size,
                    },
                };
                let upem = face.pdf_font_metrics.units_per_em.max(1) as f32;
                face.get_horizontal_advance(gid) as f32 / upem * size
            })
            .sum()
    }

    /// Draws `text` with its left end at (x, y).
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        let mut cx = x;
        for (use_a, run) in Self::runs(text) {
            let font = if use_a { self.font_a.clone() } else { self.font_b.clone() };
            let w = Self::width_of(&run, size);
            let ops = self.ops();
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) });
            ops.push(Op::SetTextCursor { pos: Point { x: Pt(cx), y: Pt(y) } });
            ops.push(Op::ShowText { items: vec![TextItem::Text(run)] });
            ops.push(Op::EndTextSection);
            cx += w;
        }
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
        let mut tokens: Vec<String> = Vec::new();
        for c in text.chars() {
            let latin = c.is_ascii() && c != ' ';
            match tokens.last_mut() {
                Some(t) if latin && t.chars().last().is_some_and(|p| p.is_ascii() && p != ' ') => t.push(c),
                _ => tokens.push(c.to_string()),
            }
        }
        let mut lines = vec![String::new()];
        for token in tokens {
            let Some(cur) = lines.last_mut() else { break };
            if Self::width_of(&format!("{cur}{token}"), size) <= width
                || cur.is_empty() && Self::width_of(&token, size) <= width
            {
                cur.push_str(&token);
            } else if Self::width_of(&token, size) > width {
                // A word longer than the line: break it by characters.
                for c in token.chars() {
                    let Some(cur) = lines.last_mut() else { break };
                    if Self::width_of(&format!("{cur}{c}"), size) > width && !cur.is_empty() {
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

    /// Adds "header" at the top and "第 N 页 共 M 页" at the foot of every page,
    /// sets the keywords (the seal) and serialises with subset fonts.
    pub fn finish(
        mut self,
        header: &str,
        page_label: impl Fn(usize, usize) -> String,
        keywords: Vec<String>,
    ) -> Vec<u8> {
        let total = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let mut done = Vec::new();
        for (i, ops) in pages.into_iter().enumerate() {
            self.pages = vec![ops];
            let top = self.height - MARGIN / 2.0 - 4.0;
            self.text_centered(top, 9.0, header);
            self.text_centered(MARGIN / 2.0, 9.0, &page_label(i + 1, total));
            let ops = self.pages.pop().unwrap_or_default();
            done.push(PdfPage::new(Mm::from(Pt(self.width)), Mm::from(Pt(self.height)), ops));
        }
        self.doc.metadata.info.keywords = keywords;
        self.doc.metadata.info.producer = "Conclave".into();
        self.doc.metadata.info.creator = "Conclave".into();
        self.doc
            .with_pages(done)
            .save(&PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() }, &mut Vec::new())
    }
}
