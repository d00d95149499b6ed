//! China's working days, from the State Council's holiday notices as the
//! `holiday-cn` data set records them (`assets/calendar/`, its source and
//! years in the README there): official holidays are off, 调休 weekend days
//! are working days, other days work Monday to Friday. The 公示 period ends
//! on its Nth working day, counting the start day when it is one.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The bundled years, each as published.
const YEARS: [(i32, &str); 3] = [
    (2024, include_str!("../../../../assets/calendar/2024.json")),
    (2025, include_str!("../../../../assets/calendar/2025.json")),
    (2026, include_str!("../../../../assets/calendar/2026.json")),
];

/// The 公示 period the regulation asks for, in working days.
pub const PUBLICITY_DAYS: u32 = 5;

#[derive(Deserialize)]
struct Year {
    year: i32,
    papers: Vec<String>,
    days: Vec<Day>,
}

#[derive(Deserialize)]
struct Day {
    date: NaiveDate,
    #[serde(rename = "isOffDay")]
    off: bool,
}

struct Calendar {
    /// Years with a published notice.
    covered: Vec<i32>,
    /// The exceptions: true = a holiday, false = a 调休 working day.
    days: HashMap<NaiveDate, bool>,
}

fn calendar() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(|| {
        let mut cal = Calendar { covered: Vec::new(), days: HashMap::new() };
        for (year, text) in YEARS {
            // Bundled at build time and checked by the tests: a year that
            // does not parse is simply not covered.
            let Ok(y) = serde_json::from_str::<Year>(text) else { continue };
            if y.year == year && !y.papers.is_empty() {
                cal.covered.push(year);
                cal.days.extend(y.days.into_iter().map(|d| (d.date, d.off)));
            }
        }
        cal
    })
}

/// The years the bundled calendar covers, e.g. `2024–2026`.
pub fn covered_years() -> String {
    let c = &calendar().covered;
    match (c.first(), c.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    }
}

/// A day the calendar does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncovered(pub NaiveDate);

/// Whether `day` is a working day.
pub fn is_working(day: NaiveDate) -> Result<bool, Uncovered> {
    let cal = calendar();
    if !cal.covered.contains(&day.year()) {
        return Err(Uncovered(day));
    }
    Ok(match cal.days.get(&day) {
        Some(off) => !off,
        None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
    })
}

/// The last day of a period of `working_days` working days from `start`
/// (counting `start` when it is a working day).
pub fn period_end(start: NaiveDate, working_days: u32) -> Result<NaiveDate, Uncovered> {
    let mut day = start;
    let mut counted = 0;
    loop {
        if is_working(day)? {
            counted += 1;
            if counted >= working_days.max(1) {
                return Ok(day);
            }
        }
        day = day.succ_opt().ok_or(Uncovered(day))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn every_bundled_year_is_covered() {
        assert_eq!(covered_years(), "2024–2026");
    }

    /// 国务院办公厅关于2025年部分节假日安排的通知: 国庆节、中秋节 10月1日至8日
    /// 放假调休，共8天；9月28日（周日）、10月11日（周六）上班.
    #[test]
    fn the_2025_national_day_holiday_and_its_makeup_days() {
        assert_eq!(is_working(d("2025-10-01")), Ok(false));
        assert_eq!(is_working(d("2025-10-08")), Ok(false));
        assert_eq!(is_working(d("2025-09-28")), Ok(true), "调休 Sunday");
        assert_eq!(is_working(d("2025-10-11")), Ok(true), "调休 Saturday");
        assert_eq!(is_working(d("2025-10-12")), Ok(false), "an ordinary Sunday");
        // Starting inside the holiday: 10-09, 10-10, 10-11 (Sat), 10-13, 10-14.
        assert_eq!(period_end(d("2025-10-01"), 5), Ok(d("2025-10-14")));
        // Starting on the last working day before it: 09-30, 10-09, 10-10, 10-11, 10-13.
        assert_eq!(period_end(d("2025-09-30"), 5), Ok(d("2025-10-13")));
        // Around the 调休 Sunday: 09-26 (Fri), 09-28 (Sun), 09-29, 09-30, 10-09.
        assert_eq!(period_end(d("2025-09-26"), 5), Ok(d("2025-10-09")));
    }

    #[test]
    fn an_ordinary_week_and_a_start_on_a_weekend() {
        // 2025-12-01 is a Monday.
        assert_eq!(period_end(d("2025-12-01"), 5), Ok(d("2025-12-05")));
        assert_eq!(period_end(d("2025-12-06"), 5), Ok(d("2025-12-12")), "Saturday start counts from Monday");
        assert_eq!(period_end(d("2025-12-03"), 1), Ok(d("2025-12-03")));
    }

    #[test]
    fn a_period_running_past_the_data_is_uncovered() {
        assert_eq!(period_end(d("2026-12-30"), 5), Err(Uncovered(d("2027-01-01"))));
        assert_eq!(is_working(d("2023-06-01")), Err(Uncovered(d("2023-06-01"))));
    }
}
