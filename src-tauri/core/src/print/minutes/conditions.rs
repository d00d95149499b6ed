//! The minutes' 申报条件审查: the standard checked against (name, version,
//! SHA-256, whether a unit's), the reference date, what 不符合 does, the
//! posts per title, and each candidate's education and years compared.

use super::MinutesData;
use crate::i18n::labels::label;
use crate::i18n::Lang;
use crate::print::layout::{colon, labelled, punct, Layout, Table, MARGIN};

const SIZE: f32 = 9.5;

pub(super) fn conditions(l: &mut Layout, data: &MinutesData) {
    let Some(s) = &data.conditions else { return };
    let lang = data.lang;
    let c = colon(lang);
    let width = l.width - 2.0 * MARGIN;
    l.heading(&label("minutes.conditions", lang));
    let unit =
        if s.unit { format!("（{}）", label("minutes.conditions.unit", lang)) } else { String::new() };
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    let mut facts = vec![
        format!("{}{c}{}{unit} {}", label("minutes.conditions.table", lang), s.name, s.version),
        s.source.clone(),
        format!("SHA-256{c}{}", s.sha256),
        punct(
            format!(
                "{}{c}{}{sep}{}{c}{}",
                label("minutes.conditions.reference", lang),
                s.reference_date,
                label("minutes.conditions.mode", lang),
                label(if s.flag_only { "minutes.conditions.flags" } else { "minutes.conditions.bars" }, lang)
            ),
            lang,
        ),
    ];
    if !s.posts.is_empty() {
        let list: Vec<String> =
            s.posts.iter().map(|(t, n)| format!("{} {n}", label(&format!("title.{t}"), lang))).collect();
        facts.push(format!("{}{c}{}", label("posts", lang), list.join(sep)));
    }
    for line in facts {
        l.paragraph(MARGIN, width, 10.5, 16.0, &line);
    }
    if s.lines.is_empty() {
        return;
    }
    l.y -= 6.0;
    let cols = labelled(
        &[
            ("col.id", 0.16),
            ("col.name", 0.14),
            ("minutes.col.condition", 0.14),
            ("minutes.col.condition_detail", 0.56),
        ],
        lang,
    );
    let mut t = Table::new(l, &cols, SIZE);
    t.signed = vec![0, 1, 2];
    let rows: Vec<Vec<String>> = s
        .lines
        .iter()
        .map(|line| {
            vec![
                line.candidate_id.clone(),
                line.name.clone(),
                label(&format!("condition.{}", line.outcome), lang),
                line.summary.clone(),
            ]
        })
        .collect();
    l.table(&t, &rows);
}
