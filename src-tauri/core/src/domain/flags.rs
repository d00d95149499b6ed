//! The flags a candidate carries on every screen: conduct and integrity,
//! the track, hardship service, and title checks against the committee.

use crate::domain::meeting::Level;
use crate::domain::vocab;
use crate::package::model::Candidate;
use serde::Serialize;
use ts_rs::TS;

/// One flag. The UI renders each from its catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Flag {
    /// 思想品德和职业道德考核不合格.
    EthicsFailed { note: Option<String> },
    /// 诚信记录 not clean.
    IntegrityNotClean { note: Option<String> },
    /// 破格申报.
    Exceptional,
    /// 绿色通道.
    GreenChannel,
    /// 长期在艰苦边远地区和基层一线工作 (education requirements relaxed).
    Hardship,
    /// The applied title is not one this committee level may award.
    OutsideLevel,
    /// Not the next title above the current one, on the normal track.
    NotNextStep,
    /// 评议组意见 signed by fewer than [`MIN_REVIEWERS`] reviewers (the
    /// regulation asks for at least three experts).
    FewReviewers { count: usize },
    /// Fields the secretary expects but the package left out (未填写).
    Missing { fields: Vec<String> },
    /// The application conditions (申报条件) as checked to the reference
    /// date; `bars` when it is 不符合 and the meeting bars on it.
    Conditions { check: crate::domain::conditions::Check, bars: bool },
}

impl Flag {
    /// Whether the flag keeps the candidate out of a round (资格审查):
    /// outside the committee's level, 品德考核不合格 (一票否决), or an
    /// unclean 诚信 record — unless the chair records an override.
    /// What bars the candidate, as a label key (`bar.*`), for a barring flag.
    pub fn bar_key(&self) -> Option<&'static str> {
        match self {
            Flag::EthicsFailed { .. } => Some("bar.ethics_failed"),
            Flag::IntegrityNotClean { .. } => Some("bar.integrity_not_clean"),
            Flag::OutsideLevel => Some("bar.outside_level"),
            Flag::Conditions { bars: true, .. } => Some("bar.conditions"),
            _ => None,
        }
    }

    pub fn bars(&self) -> bool {
        self.bar_key().is_some()
    }
}

/// The fewest reviewers a group opinion should carry.
pub const MIN_REVIEWERS: usize = 3;

/// Titles a committee of `level` may award.
pub fn titles_of(level: Level) -> &'static [&'static str] {
    match level {
        Level::Senior => &["senior_lab_engineer", "principal_lab_engineer"],
        Level::Intermediate => &["lab_engineer"],
        Level::Junior => &["lab_technician", "assistant_lab_engineer"],
    }
}

/// The fields whose absence is flagged.
const EXPECTED: &[&str] = &[
    "gender",
    "birth_date",
    "current_title",
    "review_group",
    "education",
    "years_in_post",
    "ethics",
    "integrity",
];

pub fn flags(c: &Candidate, level: Level) -> Vec<Flag> {
    let mut out = Vec::new();
    if let Some(e) = &c.ethics {
        if e.result == "不合格" {
            out.push(Flag::EthicsFailed { note: e.note.clone().filter(|n| !n.is_empty()) });
        }
    }
    if let Some(i) = &c.integrity {
        if !i.clean {
            out.push(Flag::IntegrityNotClean { note: i.note.clone().filter(|n| !n.is_empty()) });
        }
    }
    match c.track.as_deref() {
        Some("exceptional") => out.push(Flag::Exceptional),
        Some("green_channel") => out.push(Flag::GreenChannel),
        _ => {}
    }
    if c.hardship_service == Some(true) {
        out.push(Flag::Hardship);
    }
    if !titles_of(level).contains(&c.applied_title.as_str()) {
        out.push(Flag::OutsideLevel);
    }
    let normal = !matches!(c.track.as_deref(), Some("exceptional") | Some("green_channel"));
    if let (Some(current), Some(applied)) = (
        c.current_title.as_ref().and_then(|t| vocab::title_rank(&t.title)),
        vocab::title_rank(&c.applied_title),
    ) {
        if normal && applied != current + 1 {
            out.push(Flag::NotNextStep);
        }
    }
    if let Some(g) = &c.group_opinion {
        if g.reviewers.len() < MIN_REVIEWERS {
            out.push(Flag::FewReviewers { count: g.reviewers.len() });
        }
    }
    let missing: Vec<String> = EXPECTED
        .iter()
        .filter(|f| match **f {
            "gender" => c.gender.is_none(),
            "birth_date" => c.birth_date.is_none(),
            "current_title" => c.current_title.is_none(),
            "review_group" => c.review_group.is_none(),
            "education" => c.education.is_none(),
            "years_in_post" => c.years_in_post.is_none(),
            "ethics" => c.ethics.is_none(),
            "integrity" => c.integrity.is_none(),
            _ => false,
        })
        .map(|f| f.to_string())
        .collect();
    if !missing.is_empty() {
        out.push(Flag::Missing { fields: missing });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::model::{CurrentTitle, Ethics, Integrity};

    fn base() -> Candidate {
        Candidate {
            id: "C1".into(),
            name: "甲".into(),
            organization: "广西大学".into(),
            applied_title: "senior_lab_engineer".into(),
            current_title: Some(CurrentTitle { title: "lab_engineer".into(), obtained: None }),
            ..Candidate::default()
        }
    }

    #[test]
    fn conduct_and_integrity_are_flagged_with_notes() {
        let mut c = base();
        c.ethics = Some(Ethics { result: "不合格".into(), note: Some("师德考核不合格".into()) });
        c.integrity = Some(Integrity { clean: false, note: Some("论文抄袭".into()) });
        let f = flags(&c, Level::Senior);
        assert!(f.contains(&Flag::EthicsFailed { note: Some("师德考核不合格".into()) }));
        assert!(f.contains(&Flag::IntegrityNotClean { note: Some("论文抄袭".into()) }));
    }

    #[test]
    fn a_group_opinion_of_fewer_than_three_reviewers_is_flagged() {
        let mut c = base();
        let opinion = |n: usize| crate::package::model::GroupOpinion {
            reviewers: (0..n).map(|i| format!("专家{i}")).collect(),
            ..Default::default()
        };
        assert!(
            !flags(&c, Level::Senior).iter().any(|f| matches!(f, Flag::FewReviewers { .. })),
            "no opinion"
        );
        c.group_opinion = Some(opinion(2));
        assert!(flags(&c, Level::Senior).contains(&Flag::FewReviewers { count: 2 }));
        c.group_opinion = Some(opinion(0));
        assert!(flags(&c, Level::Senior).contains(&Flag::FewReviewers { count: 0 }));
        c.group_opinion = Some(opinion(3));
        assert!(!flags(&c, Level::Senior).iter().any(|f| matches!(f, Flag::FewReviewers { .. })));
    }

    #[test]
    fn title_outside_the_committee_level_is_flagged() {
        let c = base();
        assert!(!flags(&c, Level::Senior).contains(&Flag::OutsideLevel));
        assert!(flags(&c, Level::Intermediate).contains(&Flag::OutsideLevel));
    }

    #[test]
    fn skipping_a_step_needs_the_exceptional_track() {
        let mut c = base();
        c.applied_title = "principal_lab_engineer".into();
        assert!(flags(&c, Level::Senior).contains(&Flag::NotNextStep));
        c.track = Some("exceptional".into());
        let f = flags(&c, Level::Senior);
        assert!(!f.contains(&Flag::NotNextStep) && f.contains(&Flag::Exceptional));
    }
}
