//! The series' controlled vocabularies: titles, achievement categories,
//! levels, tracks. Each accepts its code or its Chinese label and is stored
//! by code. Everything series-specific lives in these tables.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Looks `s` up by code or label in a `(code, label)` table.
fn lookup(table: &'static [(&'static str, &'static str)], s: &str) -> Option<&'static str> {
    table.iter().find(|(code, label)| *code == s || *label == s).map(|(code, _)| *code)
}

/// Title codes with their Chinese names, lowest first.
pub const TITLES: &[(&str, &str)] = &[
    ("lab_technician", "实验员"),
    ("assistant_lab_engineer", "助理实验师"),
    ("lab_engineer", "实验师"),
    ("senior_lab_engineer", "高级实验师"),
    ("principal_lab_engineer", "正高级实验师"),
];

pub fn title_code(s: &str) -> Option<&'static str> {
    lookup(TITLES, s)
}

/// 0 = 实验员 … 4 = 正高级实验师.
pub fn title_rank(code: &str) -> Option<usize> {
    TITLES.iter().position(|(c, _)| *c == code)
}

pub fn title_label(code: &str) -> &str {
    TITLES.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or(code)
}

pub const CATEGORIES: &[(&str, &str)] = &[
    ("project_report", "项目报告"),
    ("experiment_report", "实验报告"),
    ("technical_report", "技术报告"),
    ("conference_report", "学术会议报告"),
    ("paper", "论文"),
    ("book", "著作"),
    ("patent", "专利成果"),
    ("standard", "标准规范"),
    ("equipment", "实验设备研制改造"),
    ("tech_development", "技术开发"),
    ("platform", "平台建设"),
    ("problem_solving", "解决问题"),
    ("tech_transfer", "科技成果转化"),
    ("tech_promotion", "技术推广"),
    ("teaching", "实验教学"),
    ("student_guidance", "指导学生科技创新"),
    ("lab_management", "实验管理"),
    ("consulting", "决策咨询"),
    ("public_service", "公共服务"),
    ("award", "奖励荣誉"),
    ("other", "其他"),
];

pub fn category_code(s: &str) -> Option<&'static str> {
    lookup(CATEGORIES, s)
}

pub const TRACKS: &[(&str, &str)] = &[
    ("normal", "正常申报"),
    ("normal", "正常"),
    ("exceptional", "破格申报"),
    ("exceptional", "破格"),
    ("green_channel", "绿色通道"),
];

pub fn track_code(s: &str) -> Option<&'static str> {
    lookup(TRACKS, s)
}

pub const ACHIEVEMENT_LEVELS: &[&str] = &["国家级", "省部级", "厅局级", "校级", "其他"];
pub const INSTITUTION_TYPES: &[&str] = &["科研院所", "高等学校", "中等职业学校", "普通中小学", "其他"];
pub const GRADES: &[&str] = &["优秀", "合格", "基本合格", "不合格"];
pub const GENDERS: &[&str] = &["男", "女"];
pub const ETHICS: &[&str] = &["合格", "不合格"];
pub const RECOMMENDATIONS: &[&str] = &["recommend", "not_recommend", "none"];

/// Committee member role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    Chair,
    ViceChair,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::ViceChair => "vice_chair",
            Role::Member => "member",
        }
    }
}

pub fn role(s: &str) -> Option<Role> {
    match s {
        "chair" | "主任委员" => Some(Role::Chair),
        "vice_chair" | "副主任委员" => Some(Role::ViceChair),
        "member" | "委员" => Some(Role::Member),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_by_code_or_label_normalise_to_code() {
        assert_eq!(title_code("高级实验师"), Some("senior_lab_engineer"));
        assert_eq!(title_code("senior_lab_engineer"), Some("senior_lab_engineer"));
        assert_eq!(title_code("高级工程师"), None, "not a title of this series");
        assert_eq!(title_rank("principal_lab_engineer"), Some(4));
    }

    #[test]
    fn tracks_accept_short_and_long_chinese_labels() {
        assert_eq!(track_code("破格"), Some("exceptional"));
        assert_eq!(track_code("正常申报"), Some("normal"));
        assert_eq!(track_code("绿色通道"), Some("green_channel"));
        assert_eq!(track_code("fast"), None);
    }
}
