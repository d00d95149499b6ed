//! One candidate's application conditions against a table
//! ([`super::standard`]): education and the full years in the current title
//! up to the reference date (资历计算截止日期), exact to the day — a day short
//! fails, the day itself passes. No I/O.

use super::standard::{Edu, Table};
use crate::i18n::{Lang, Msg};
use crate::package::model::Candidate;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Outcome {
    /// 符合.
    Meets,
    /// 不符合.
    Fails,
    /// 未能判断 (data missing or not precise enough).
    Undetermined,
    /// 破格 / 绿色通道: not checked; the summary says what it skips.
    NotChecked,
}

impl Outcome {
    pub fn label_key(self) -> &'static str {
        match self {
            Outcome::Meets => "condition.meets",
            Outcome::Fails => "condition.fails",
            Outcome::Undetermined => "condition.undetermined",
            Outcome::NotChecked => "condition.not_checked",
        }
    }
}

/// The check of one candidate, with the numbers compared side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Check {
    pub outcome: Outcome,
    /// 学历 as the package writes it.
    pub education: Option<String>,
    /// The level it was read as, and (艰苦边远/基层一线) the level it counts as.
    pub level: Option<Edu>,
    pub counted_as: Option<Edu>,
    /// The title the years are counted in, and the full months held by the reference date.
    pub after: Option<String>,
    pub held_months: Option<u32>,
    pub need_years: Option<u32>,
    pub reference_date: String,
    /// Whether the clause applied is confirmed from the primary text.
    pub confirmed: bool,
    /// The summary ("大学本科，实验师 3 年 2 个月，需 5 年"), both languages.
    pub zh: String,
    pub en: String,
}

/// A package date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`) as its first and last possible day.
pub fn date_span(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let num = |s: &str| s.parse::<u32>().ok();
    match parts.as_slice() {
        [y, m, d] => {
            let d = NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?)?;
            Some((d, d))
        }
        [y, m] => {
            let first = NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, 1)?;
            let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
            Some((first, last))
        }
        [y] => Some((
            NaiveDate::from_ymd_opt(num(y)? as i32, 1, 1)?,
            NaiveDate::from_ymd_opt(num(y)? as i32, 12, 31)?,
        )),
        _ => None,
    }
}

/// Whether `years` full years have passed from `from` to `to` (the
/// anniversary itself counts; 29 February's falls on 28 February).
pub fn full_years(from: NaiveDate, to: NaiveDate, years: u32) -> bool {
    from.checked_add_months(Months::new(years * 12)).is_some_and(|d| d <= to)
}

/// Full months from `from` to `to` (0 when `to` is earlier).
pub fn full_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let guess = ((to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32).max(0) as u32;
    (0..=guess).rev().find(|m| from.checked_add_months(Months::new(*m)).is_some_and(|d| d <= to)).unwrap_or(0)
}

fn summary(msg: &Msg) -> (String, String) {
    (msg.render(Lang::Zh), msg.render(Lang::En))
}

/// Checks `c` against `table` at `reference` (a valid `YYYY-MM-DD`).
pub fn check(table: &Table, c: &Candidate, reference: NaiveDate) -> Check {
    let education = c.education.as_ref().and_then(|e| e.degree.clone()).filter(|d| !d.trim().is_empty());
    let level = education.as_deref().and_then(Edu::parse);
    let relax = if c.hardship_service == Some(true) { table.hardship.relax_levels } else { 0 };
    let counted_as = level.map(|l| l.raised(relax));
    let mut out = Check {
        outcome: Outcome::Undetermined,
        education: education.clone(),
        level,
        counted_as,
        after: table.rule(&c.applied_title).map(|r| r.after.clone()),
        held_months: None,
        need_years: None,
        reference_date: reference.to_string(),
        confirmed: false,
        zh: String::new(),
        en: String::new(),
    };
    let (outcome, msg) = judge(table, c, reference, &mut out);
    let route = c.track.as_deref().unwrap_or("normal");
    let checked = match route {
        "exceptional" => table.routes.exceptional.checked,
        "green_channel" => table.routes.green_channel.checked,
        _ => true,
    };
    let msg = match (relax > 0 && counted_as != level, counted_as) {
        (true, Some(counted)) => Msg::CondRelaxed { counted: counted.code(), inner: Box::new(msg) },
        _ => msg,
    };
    let (outcome, msg) = if checked {
        (outcome, msg)
    } else {
        (Outcome::NotChecked, Msg::CondSkipped { route: route.to_string(), normal: Box::new(msg) })
    };
    out.outcome = outcome;
    (out.zh, out.en) = summary(&msg);
    out
}

/// The normal route's outcome and its words; fills the numbers into `out`.
fn judge(table: &Table, c: &Candidate, reference: NaiveDate, out: &mut Check) -> (Outcome, Msg) {
    let Some(rule) = table.rule(&c.applied_title) else {
        return (Outcome::Undetermined, Msg::CondNotInTable { applied: c.applied_title.clone() });
    };
    let mut missing = Vec::new();
    if out.education.is_none() {
        missing.push("education");
    }
    let current = c.current_title.as_ref();
    if current.is_none() {
        missing.push("current_title");
    }
    let obtained = current.and_then(|t| t.obtained.as_deref()).filter(|o| !o.trim().is_empty());
    if current.is_some() && obtained.is_none() {
        missing.push("obtained");
    }
    let Some(counted) = out.counted_as else {
        if let (Some(text), true) = (&out.education, missing.is_empty()) {
            return (Outcome::Undetermined, Msg::CondUnknownEducation { value: text.clone() });
        }
        return (Outcome::Undetermined, Msg::CondMissing { items: missing });
    };
    let Some(clause) = table.required(&c.applied_title, counted).flatten() else {
        let edu = out.level.unwrap_or(counted).code();
        return (Outcome::Fails, Msg::CondEducationShort { edu, applied: c.applied_title.clone() });
    };
    out.need_years = Some(clause.years);
    out.confirmed = clause.confirmed;
    if clause.years == 0 {
        return (Outcome::Meets, Msg::CondNoYears { edu: counted.code() });
    }
    if !missing.is_empty() {
        return (Outcome::Undetermined, Msg::CondMissing { items: missing });
    }
    let (Some(current), Some(obtained)) = (current, obtained) else {
        return (Outcome::Undetermined, Msg::CondMissing { items: vec!["current_title"] });
    };
    if current.title != rule.after {
        return (
            Outcome::Fails,
            Msg::CondWrongTitle { current: current.title.clone(), after: rule.after.clone() },
        );
    }
    let Some((first, last)) = date_span(obtained) else {
        return (Outcome::Undetermined, Msg::CondDateImprecise { value: obtained.to_string() });
    };
    let held = full_months(last, reference);
    out.held_months = Some(held);
    let held_msg = Msg::CondHeld {
        edu: out.level.unwrap_or(counted).code(),
        title: rule.after.clone(),
        months: held,
        need: clause.years,
    };
    match (full_years(first, reference, clause.years), full_years(last, reference, clause.years)) {
        (true, true) => (Outcome::Meets, held_msg),
        (false, false) => (Outcome::Fails, held_msg),
        _ => (Outcome::Undetermined, Msg::CondDateImprecise { value: obtained.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::model::{CurrentTitle, Education};

    fn cand(applied: &str, current: &str, obtained: &str, degree: &str) -> Candidate {
        Candidate {
            id: "C1".into(),
            name: "甲".into(),
            organization: "广西大学".into(),
            applied_title: applied.into(),
            current_title: Some(CurrentTitle { title: current.into(), obtained: Some(obtained.into()) }),
            education: Some(Education { degree: Some(degree.into()), ..Default::default() }),
            track: Some("normal".into()),
            ..Candidate::default()
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(c: &Candidate, reference: &str) -> Check {
        check(&Table::bundled(), c, day(reference))
    }

    #[test]
    fn every_education_and_years_boundary_fails_a_day_short_and_passes_on_the_day() {
        // (applied, current, education, years asked)
        let cases = [
            ("assistant_lab_engineer", "lab_technician", "大学专科", 2),
            ("assistant_lab_engineer", "lab_technician", "中等职业学校", 4),
            ("lab_engineer", "assistant_lab_engineer", "硕士研究生", 2),
            ("lab_engineer", "assistant_lab_engineer", "大学本科", 4),
            ("lab_engineer", "assistant_lab_engineer", "大学专科", 4),
            ("senior_lab_engineer", "lab_engineer", "博士研究生", 2),
            ("senior_lab_engineer", "lab_engineer", "硕士研究生", 5),
            ("senior_lab_engineer", "lab_engineer", "大学本科", 5),
            ("principal_lab_engineer", "senior_lab_engineer", "大学本科", 5),
            ("principal_lab_engineer", "senior_lab_engineer", "博士研究生", 5),
        ];
        for (applied, current, degree, years) in cases {
            let c = cand(applied, current, "2019-03-15", degree);
            let on_the_day = format!("{}-03-15", 2019 + years);
            let day_before = format!("{}-03-14", 2019 + years);
            let ok = at(&c, &on_the_day);
            assert_eq!(ok.outcome, Outcome::Meets, "{applied} {degree} on the day: {}", ok.zh);
            assert_eq!((ok.need_years, ok.held_months), (Some(years), Some(years * 12)));
            let short = at(&c, &day_before);
            assert_eq!(short.outcome, Outcome::Fails, "{applied} {degree} a day short: {}", short.zh);
            assert_eq!(short.held_months, Some(years * 12 - 1));
        }
    }

    #[test]
    fn the_summary_gives_the_numbers() {
        let c = cand("senior_lab_engineer", "lab_engineer", "2019-10-01", "大学本科");
        let r = at(&c, "2022-12-20");
        assert_eq!(r.outcome, Outcome::Fails);
        assert_eq!(r.zh, "大学本科，实验师 3 年 2 个月，需 5 年");
        assert_eq!(r.en, "Bachelor's degree, lab engineer 3 years 2 months, needs 5 years");
    }

    #[test]
    fn an_education_no_clause_admits_fails_and_a_doctorate_needs_no_years() {
        let r = at(&cand("senior_lab_engineer", "lab_engineer", "2000-01-01", "大学专科"), "2025-01-01");
        assert_eq!(r.outcome, Outcome::Fails);
        assert!(r.zh.contains("大学专科") && r.zh.contains("高级实验师"), "{}", r.zh);
        let r = at(&cand("lab_engineer", "assistant_lab_engineer", "2025-01-01", "博士研究生"), "2025-01-02");
        assert_eq!(r.outcome, Outcome::Meets, "{}", r.zh);
    }

    #[test]
    fn hardship_service_relaxes_education_by_the_tables_levels() {
        let mut c = cand("senior_lab_engineer", "lab_engineer", "2015-01-01", "大学专科");
        assert_eq!(at(&c, "2025-01-01").outcome, Outcome::Fails);
        c.hardship_service = Some(true);
        let r = at(&c, "2025-01-01");
        assert_eq!((r.outcome, r.counted_as), (Outcome::Meets, Some(Edu::Bachelor)), "{}", r.zh);
        assert!(r.zh.contains("艰苦边远"), "{}", r.zh);
        // Counted as 本科, the years are still 本科's five.
        assert_eq!(at(&c, "2019-12-31").outcome, Outcome::Fails);
    }

    #[test]
    fn exceptional_and_green_channel_are_not_barred_but_show_what_they_skip() {
        let mut c = cand("senior_lab_engineer", "lab_engineer", "2021-01-01", "大学专科");
        for track in ["exceptional", "green_channel"] {
            c.track = Some(track.into());
            let r = at(&c, "2025-01-01");
            assert_eq!(r.outcome, Outcome::NotChecked, "{track}");
            assert!(r.zh.contains("大学专科") && r.zh.contains("高级实验师"), "{}", r.zh);
        }
        assert!(at(&c, "2025-01-01").zh.starts_with("绿色通道"));
    }

    #[test]
    fn missing_or_imprecise_data_is_undetermined_and_named() {
        let mut c = cand("senior_lab_engineer", "lab_engineer", "2019-10", "大学本科");
        // Only the month: 2024-10-01 passes for the 1st but not for the 31st.
        let r = at(&c, "2024-10-15");
        assert_eq!(r.outcome, Outcome::Undetermined);
        assert!(r.zh.contains("2019-10"), "{}", r.zh);
        assert_eq!(at(&c, "2024-11-01").outcome, Outcome::Meets, "every day of the month has passed");
        assert_eq!(at(&c, "2024-09-30").outcome, Outcome::Fails, "no day of the month has");
        c.current_title.as_mut().unwrap().obtained = None;
        c.education = None;
        let r = at(&c, "2025-01-01");
        assert_eq!(r.outcome, Outcome::Undetermined);
        assert_eq!(r.zh, "未能判断：缺少学历、取得现职称时间");
        assert_eq!(r.en, "Cannot tell: missing education, date the current title was obtained");
        c.education = Some(Education { degree: Some("自学成才".into()), ..Default::default() });
        c.current_title.as_mut().unwrap().obtained = Some("2010-01-01".into());
        assert!(at(&c, "2025-01-01").zh.contains("自学成才"));
    }

    #[test]
    fn the_years_count_in_the_title_below_the_applied_one() {
        let c = cand("senior_lab_engineer", "assistant_lab_engineer", "2000-01-01", "大学本科");
        let r = at(&c, "2025-01-01");
        assert_eq!(r.outcome, Outcome::Fails);
        assert!(r.zh.contains("实验师"), "{}", r.zh);
    }

    #[test]
    fn dates_and_months() {
        assert_eq!(date_span("2024-02"), Some((day("2024-02-01"), day("2024-02-29"))));
        assert_eq!(date_span("2024"), Some((day("2024-01-01"), day("2024-12-31"))));
        assert_eq!(date_span("2024-02-30"), None);
        assert_eq!(date_span("x"), None);
        assert!(full_years(day("2020-02-29"), day("2021-02-28"), 1));
        assert!(!full_years(day("2020-02-29"), day("2021-02-27"), 1));
        assert_eq!(full_months(day("2019-10-31"), day("2019-11-30")), 1);
        assert_eq!(full_months(day("2019-10-01"), day("2019-09-01")), 0);
    }
}
