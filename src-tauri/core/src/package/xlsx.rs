//! The spreadsheet forms: `candidates.xlsx` (sheets 申报人, 成果, 年度考核,
//! 评议意见) and `committee.xlsx` (sheet 评审专家), or the same as Excel
//! 97–2003 `.xls`, turned into the JSON shape
//! of the manifest so that one set of field checks serves both forms.
//! Excel serial dates and text dates, 是/否 · TRUE/FALSE · 1/0 booleans.

use super::fields::Fields;
use super::report::Problem;
use crate::i18n::Msg;
use calamine::{Data, Reader, Sheets, Xls, Xlsx};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::io::Cursor;

mod guard;
mod xls_guard;
use guard::guard;
pub use xls_guard::is_xls;

type Book = Sheets<Cursor<Vec<u8>>>;

/// A sheet read into rows of `header -> cell`, with the row number (1-based).
struct Sheet {
    name: String,
    rows: Vec<(usize, HashMap<String, Data>)>,
}

/// Opens an `.xlsx` or (by its signature, whatever its name) an Excel
/// 97–2003 `.xls`, each after its own bounds check.
fn open(bytes: &[u8], file: &str) -> Result<Book, Problem> {
    let unreadable =
        |detail: String| Problem::new(file, Msg::SpreadsheetUnreadable { file: file.into(), detail });
    if is_xls(bytes) {
        xls_guard::guard_xls(bytes, file)?;
        // The guard bounds what the reader allocates; a reader panic on a
        // malformed record is still a refusal, never a crash.
        let cursor = Cursor::new(bytes.to_vec());
        return match std::panic::catch_unwind(move || Xls::new(cursor)) {
            Ok(Ok(book)) => Ok(Sheets::Xls(book)),
            Ok(Err(e)) => Err(unreadable(e.to_string())),
            Err(_) => Err(unreadable("malformed record".into())),
        };
    }
    guard(bytes, file)?;
    Xlsx::new(Cursor::new(bytes.to_vec())).map(Sheets::Xlsx).map_err(|e| unreadable(e.to_string()))
}

fn read_sheet(wb: &mut Book, name: &str, known: &[&str], required: bool, f: &mut Fields) -> Option<Sheet> {
    if !wb.sheet_names().iter().any(|n| n == name) {
        if required {
            f.error(name, Msg::SheetMissing { sheet: name.into() });
        }
        return None;
    }
    let range = match wb.worksheet_range(name) {
        Ok(r) => r,
        Err(e) => {
            f.error(name, Msg::SpreadsheetUnreadable { file: name.into(), detail: e.to_string() });
            return None;
        }
    };
    let mut rows = range.rows();
    // A sheet without even a header row has no columns and no rows.
    let headers: Vec<String> = match rows.next() {
        Some(header) => header.iter().map(cell_string).collect(),
        None => Vec::new(),
    };
    for h in &headers {
        if !h.is_empty() && !known.contains(&h.as_str()) {
            f.warn(format!("{name} / {h}"), Msg::UnknownColumn { sheet: name.into(), column: h.clone() });
        }
    }
    let start = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let mut cells = HashMap::new();
        for (h, c) in headers.iter().zip(row) {
            if !h.is_empty()
                && !matches!(c, Data::Empty)
                && cell_text(c).is_some_and(|s| !s.trim().is_empty())
            {
                cells.insert(h.clone(), c.clone());
            }
        }
        if !cells.is_empty() {
            out.push((start + i + 2, cells));
        }
    }
    Some(Sheet { name: name.into(), rows: out })
}

/// A cell as text (numbers without a needless `.0`).
/// A cell's text as the sheet shows it; an empty cell is empty text.
fn cell_string(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => (*x as i64).to_string(),
        Data::Float(x) => x.to_string(),
        Data::Bool(b) => {
            if *b {
                "TRUE".into()
            } else {
                "FALSE".into()
            }
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A cell's text, `None` for an empty cell.
fn cell_text(c: &Data) -> Option<String> {
    match c {
        Data::Empty => None,
        other => Some(cell_string(other)),
    }
}

/// Excel serial day number (1900 system) to `YYYY-MM-DD`.
fn serial_to_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let d = base.checked_add_days(chrono::Days::new(serial.floor() as u64))?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// Where a cell is, for messages: `申报人 第5行 性别`.
fn cell_at(sheet: &str, row: usize, col: &str) -> String {
    format!("{sheet} 第{row}行 {col}")
}

/// Converts cells to JSON values by the field's kind; bad cells become errors.
struct Row<'a> {
    sheet: &'a str,
    row: usize,
    cells: &'a HashMap<String, Data>,
}

impl Row<'_> {
    fn string(&self, col: &str) -> Option<String> {
        self.cells.get(col).and_then(cell_text)
    }

    fn text(&self, col: &str) -> Option<Value> {
        self.string(col).map(Value::String)
    }

    fn date(&self, col: &str) -> Option<Value> {
        match self.cells.get(col)? {
            Data::DateTime(d) => serial_to_date(d.as_f64()).map(Value::String),
            Data::Float(x) if *x > 1000.0 && x.fract() == 0.0 && *x > 9999.0 => {
                serial_to_date(*x).map(Value::String)
            }
            Data::Int(i) if *i > 9999 => serial_to_date(*i as f64).map(Value::String),
            Data::DateTimeIso(s) => Some(Value::String(s.chars().take(10).collect())),
            other => cell_text(other).map(|s| Value::String(s.replace(['/', '.'], "-"))),
        }
    }

    fn int(&self, col: &str, f: &mut Fields) -> Option<Value> {
        let c = self.cells.get(col)?;
        match c {
            Data::Int(i) => Some(json!(i)),
            Data::Float(x) if x.fract() == 0.0 => Some(json!(*x as i64)),
            other => match cell_text(other).and_then(|s| s.parse::<i64>().ok()) {
                Some(i) => Some(json!(i)),
                None => {
                    f.error(
                        cell_at(self.sheet, self.row, col),
                        Msg::CellNotInteger { value: cell_string(other) },
                    );
                    None
                }
            },
        }
    }

    fn boolean(&self, col: &str, f: &mut Fields) -> Option<Value> {
        let c = self.cells.get(col)?;
        if let Data::Bool(b) = c {
            return Some(Value::Bool(*b));
        }
        let s = cell_string(c);
        match s.to_uppercase().as_str() {
            "是" | "TRUE" | "1" | "Y" | "YES" => Some(Value::Bool(true)),
            "否" | "FALSE" | "0" | "N" | "NO" => Some(Value::Bool(false)),
            _ => {
                f.error(cell_at(self.sheet, self.row, col), Msg::CellNotBoolean { value: s });
                None
            }
        }
    }
}

fn put(o: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        o.insert(key.into(), v);
    }
}

const CANDIDATE_COLUMNS: &[&str] = &[
    "申报编号",
    "姓名",
    "性别",
    "出生日期",
    "工作单位",
    "单位类型",
    "部门",
    "现职称",
    "现职称取得时间",
    "申报职称",
    "申报途径",
    "岗位类型",
    "评议组",
    "学历",
    "专业",
    "毕业时间",
    "参加工作时间",
    "从事实验技术工作年限",
    "艰苦边远地区或基层一线",
    "品德考核",
    "诚信情况",
    "个人述职",
];
const ACHIEVEMENT_COLUMNS: &[&str] = &[
    "申报编号",
    "成果编号",
    "成果形式",
    "成果名称",
    "取得时间",
    "本人角色",
    "级别",
    "代表性成果",
    "简介",
    "附件",
];
const ASSESSMENT_COLUMNS: &[&str] = &["申报编号", "年度", "考核结果"];
const OPINION_COLUMNS: &[&str] = &["申报编号", "评议专家", "意见", "推荐", "同意", "不同意", "弃权"];

/// `candidates.xlsx` as a manifest value (without hashes), plus the
/// spreadsheet-level problems (missing sheets, bad cells, unknown columns).
/// The sheets 成果, 年度考核 and 评议意见 attach to the candidate of each
/// row's 申报编号.
pub fn candidates_to_json(bytes: &[u8]) -> Result<(Value, Fields), Problem> {
    let mut wb = open(bytes, if is_xls(bytes) { "candidates.xls" } else { "candidates.xlsx" })?;
    let mut f = Fields::default();
    let people = read_sheet(&mut wb, "申报人", CANDIDATE_COLUMNS, true, &mut f);
    let achievements = read_sheet(&mut wb, "成果", ACHIEVEMENT_COLUMNS, false, &mut f);
    let assessments = read_sheet(&mut wb, "年度考核", ASSESSMENT_COLUMNS, false, &mut f);
    let opinions = read_sheet(&mut wb, "评议意见", OPINION_COLUMNS, false, &mut f);
    let mut candidates: Vec<(Option<String>, Map<String, Value>)> = people
        .iter()
        .flat_map(|s| s.rows.iter())
        .map(|(row, cells)| {
            let o = candidate(&Row { sheet: "申报人", row: *row, cells }, &mut f);
            (o.get("id").and_then(Value::as_str).map(str::to_string), o)
        })
        .collect();
    let index: HashMap<String, usize> =
        candidates.iter().enumerate().filter_map(|(i, (id, _))| Some((id.clone()?, i))).collect();
    let mut attach =
        |sheet: &Option<Sheet>, f: &mut Fields, key: &str, build: fn(&Row, &mut Fields) -> Value| {
            let Some(sheet) = sheet else { return };
            for (row, cells) in &sheet.rows {
                let r = Row { sheet: &sheet.name, row: *row, cells };
                let id = r.string("申报编号");
                let Some(&i) = id.as_ref().and_then(|id| index.get(id)) else {
                    let msg = match id {
                        Some(id) => Msg::UnknownCandidate { id },
                        None => Msg::FieldMissing { field: "申报编号".into() },
                    };
                    f.error(cell_at(&sheet.name, *row, "申报编号"), msg);
                    continue;
                };
                let v = build(&r, f);
                let o = &mut candidates[i].1;
                if key == "group_opinion" {
                    o.insert(key.into(), v);
                } else if let Value::Array(list) = o.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
                    list.push(v);
                }
            }
        };
    attach(&achievements, &mut f, "achievements", achievement);
    attach(&assessments, &mut f, "assessments", assessment);
    attach(&opinions, &mut f, "group_opinion", group_opinion);
    let list: Vec<Value> = candidates.into_iter().map(|(_, o)| Value::Object(o)).collect();
    Ok((json!({ "candidates": list }), f))
}

/// One row of 申报人 as a manifest candidate (without achievements).
fn candidate(r: &Row, f: &mut Fields) -> Map<String, Value> {
    let mut o = Map::new();
    put(&mut o, "id", r.text("申报编号"));
    put(&mut o, "name", r.text("姓名"));
    put(&mut o, "gender", r.text("性别"));
    put(&mut o, "birth_date", r.date("出生日期"));
    put(&mut o, "organization", r.text("工作单位"));
    put(&mut o, "institution_type", r.text("单位类型"));
    put(&mut o, "department", r.text("部门"));
    if let Some(t) = r.text("现职称") {
        let mut ct = Map::new();
        ct.insert("title".into(), t);
        put(&mut ct, "obtained", r.date("现职称取得时间"));
        o.insert("current_title".into(), Value::Object(ct));
    }
    put(&mut o, "applied_title", r.text("申报职称"));
    put(&mut o, "track", r.text("申报途径"));
    put(&mut o, "post_type", r.text("岗位类型"));
    put(&mut o, "review_group", r.text("评议组"));
    let mut edu = Map::new();
    put(&mut edu, "degree", r.text("学历"));
    put(&mut edu, "major", r.text("专业"));
    put(&mut edu, "graduated", r.date("毕业时间"));
    if !edu.is_empty() {
        o.insert("education".into(), Value::Object(edu));
    }
    put(&mut o, "work_started", r.date("参加工作时间"));
    put(&mut o, "years_in_post", r.int("从事实验技术工作年限", f));
    put(&mut o, "hardship_service", r.boolean("艰苦边远地区或基层一线", f));
    if let Some(e) = r.string("品德考核") {
        o.insert("ethics".into(), json!({ "result": e }));
    }
    if let Some(s) = r.string("诚信情况") {
        let clean =
            matches!(s.as_str(), "无" | "良好" | "清白" | "正常" | "无不良记录" | "是" | "TRUE" | "1");
        o.insert(
            "integrity".into(),
            json!({ "clean": clean, "note": if clean { String::new() } else { s } }),
        );
    }
    put(&mut o, "statement", r.text("个人述职"));
    o
}

/// The items of a list cell (附件, 评议专家), split at any of `separators`.
fn items(cell: Option<String>, separators: &[char]) -> Vec<String> {
    let Some(cell) = cell else { return Vec::new() };
    cell.split(separators).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// One row of 成果.
fn achievement(r: &Row, f: &mut Fields) -> Value {
    let mut a = Map::new();
    put(&mut a, "id", r.text("成果编号"));
    put(&mut a, "category", r.text("成果形式"));
    put(&mut a, "title", r.text("成果名称"));
    put(&mut a, "date", r.date("取得时间"));
    put(&mut a, "role", r.text("本人角色"));
    put(&mut a, "level", r.text("级别"));
    put(&mut a, "representative", r.boolean("代表性成果", f));
    put(&mut a, "description", r.text("简介"));
    let files = items(r.string("附件"), &[';', '；']).into_iter().map(|p| json!({ "path": p })).collect();
    a.insert("files".into(), Value::Array(files));
    Value::Object(a)
}

/// One row of 年度考核.
fn assessment(r: &Row, f: &mut Fields) -> Value {
    let mut a = Map::new();
    put(&mut a, "year", r.int("年度", f));
    put(&mut a, "grade", r.text("考核结果"));
    Value::Object(a)
}

/// One row of 评议意见.
fn group_opinion(r: &Row, f: &mut Fields) -> Value {
    let mut g = Map::new();
    let reviewers =
        items(r.string("评议专家"), &['、', ';', '；', ',', '，']).into_iter().map(Value::String).collect();
    g.insert("reviewers".into(), Value::Array(reviewers));
    put(&mut g, "text", r.text("意见"));
    let rec = r.string("推荐").map(|s| {
        Value::String(match s.as_str() {
            "推荐" | "是" | "同意推荐" => "recommend".into(),
            "不推荐" | "否" => "not_recommend".into(),
            "无" => "none".into(),
            _ => s,
        })
    });
    put(&mut g, "recommendation", rec);
    let mut votes = Map::new();
    put(&mut votes, "for", r.int("同意", f));
    put(&mut votes, "against", r.int("不同意", f));
    put(&mut votes, "abstain", r.int("弃权", f));
    if !votes.is_empty() {
        g.insert("votes".into(), Value::Object(votes));
    }
    Value::Object(g)
}

const MEMBER_COLUMNS: &[&str] = &["编号", "姓名", "工作单位", "职称", "职务", "评议组"];

/// `committee.xlsx` (sheet 评审专家) as a roster value.
pub fn committee_to_json(bytes: &[u8]) -> Result<Value, Problem> {
    let mut wb = open(bytes, if is_xls(bytes) { "committee.xls" } else { "committee.xlsx" })?;
    let mut f = Fields::default();
    let Some(sheet) = read_sheet(&mut wb, "评审专家", MEMBER_COLUMNS, true, &mut f) else {
        return Err(f
            .errors
            .into_iter()
            .next()
            .unwrap_or_else(|| Problem::new("评审专家", Msg::SheetMissing { sheet: "评审专家".into() })));
    };
    let members: Vec<Value> = sheet
        .rows
        .iter()
        .map(|(row, cells)| {
            let r = Row { sheet: "评审专家", row: *row, cells };
            let mut m = Map::new();
            put(&mut m, "id", r.text("编号"));
            put(&mut m, "name", r.text("姓名"));
            put(&mut m, "organization", r.text("工作单位"));
            put(&mut m, "title", r.text("职称"));
            put(&mut m, "role", r.text("职务"));
            put(&mut m, "review_group", r.text("评议组"));
            Value::Object(m)
        })
        .collect();
    Ok(json!({ "members": members }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_dates_convert() {
        assert_eq!(serial_to_date(45658.0).as_deref(), Some("2025-01-01"));
        assert_eq!(serial_to_date(30762.0).as_deref(), Some("1984-03-21"));
        assert_eq!(serial_to_date(-1.0), None);
    }
}
