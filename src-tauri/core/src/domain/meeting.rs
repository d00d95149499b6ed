//! A meeting's identity: name, committee level, date, place, and the checks
//! on what a secretary types when creating one.

use crate::error::{Error, Result};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Committee level (评审级别): which titles the committee may award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Level {
    /// 正高级 and 副高级 titles.
    Senior,
    /// 中级.
    Intermediate,
    /// 初级 (助理级, 员级).
    Junior,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Senior => "senior",
            Level::Intermediate => "intermediate",
            Level::Junior => "junior",
        }
    }

    pub fn parse(s: &str) -> Result<Level> {
        match s {
            "senior" => Ok(Level::Senior),
            "intermediate" => Ok(Level::Intermediate),
            "junior" => Ok(Level::Junior),
            _ => Err(Error::invalid("level", Msg::LevelInvalid { value: s.into() })),
        }
    }
}

/// What the "new meeting" form sends.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewMeeting {
    pub name: String,
    pub level: Level,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub place: String,
}

pub const NAME_MAX: usize = 200;
pub const PLACE_MAX: usize = 200;

impl NewMeeting {
    /// Trims the fields and checks them; returns the cleaned input.
    pub fn validated(&self) -> Result<NewMeeting> {
        let name = self.name.trim().to_string();
        let place = self.place.trim().to_string();
        let date = self.date.trim().to_string();
        if name.is_empty() {
            return Err(Error::invalid("name", Msg::MeetingNameEmpty));
        }
        check_len("name", &name, NAME_MAX)?;
        check_len("place", &place, PLACE_MAX)?;
        if chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").is_err() || date.len() != 10 {
            return Err(Error::invalid("date", Msg::DateInvalid { value: date }));
        }
        Ok(NewMeeting { name, level: self.level, date, place })
    }
}

fn check_len(field: &str, s: &str, max: usize) -> Result<()> {
    let len = s.chars().count();
    if len > max {
        return Err(Error::invalid(field, Msg::TextTooLong { max, len }));
    }
    Ok(())
}

/// A meeting as the start screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingSummary {
    pub id: String,
    pub name: String,
    pub level: Level,
    pub date: String,
    pub place: String,
    pub created_at: String,
    /// Opened from an archive: nothing can be changed.
    pub read_only: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, date: &str) -> NewMeeting {
        NewMeeting { name: name.into(), level: Level::Senior, date: date.into(), place: "南宁".into() }
    }

    #[test]
    fn accepts_a_real_date_and_trims() {
        let m = input("  2025年度评审会  ", "2025-12-05").validated().unwrap();
        assert_eq!(m.name, "2025年度评审会");
    }

    #[test]
    fn rejects_impossible_date() {
        let e = input("会", "1988-02-30").validated().unwrap_err();
        assert!(matches!(e, Error::Invalid { ref where_, .. } if where_ == "date"));
    }

    #[test]
    fn rejects_unpadded_date() {
        assert!(input("会", "2025-1-5").validated().is_err());
    }

    #[test]
    fn rejects_blank_name() {
        let e = input("   ", "2025-12-05").validated().unwrap_err();
        assert!(matches!(e, Error::Invalid { ref where_, .. } if where_ == "name"));
    }

    #[test]
    fn rejects_name_over_200_characters_counting_rare_ones_as_one() {
        assert!(input(&"𠮷".repeat(200), "2025-12-05").validated().is_ok());
        assert!(input(&"𠮷".repeat(201), "2025-12-05").validated().is_err());
    }
}
