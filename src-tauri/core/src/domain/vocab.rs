//! The series' controlled vocabularies: titles, achievement categories,
//! levels, tracks. Each accepts its code or its Chinese label and is stored
//! by code. Everything series-specific lives in these tables.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One word of a controlled vocabulary: the code stored and sent, and its
/// label in each language. The UI gets every vocabulary from here
/// (`ui/src/bindings/vocabulary.ts`, written by `cargo test`); printing
/// reads the same words. A label printed on a sealed document is part of
/// what its seal covers: changing one makes documents already printed fail
/// verification (tests/it/upgrade.rs checks a released version's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn w(code: &'static str, zh: &'static str, en: &'static str) -> Word {
    Word { code, zh, en }
}

/// What a package may write for a word of `words`, for a refusal's message:
/// `chair / vice_chair / member / 主任委员 / 副主任委员 / 委员`.
pub fn spellings(words: &[Word]) -> String {
    let codes = words.iter().map(|w| w.code);
    codes.chain(words.iter().map(|w| w.zh)).collect::<Vec<_>>().join(" / ")
}

/// Looks `s` up by code or Chinese label in `words`.
fn lookup(words: &'static [Word], s: &str) -> Option<&'static str> {
    words.iter().find(|w| w.code == s || w.zh == s).map(|w| w.code)
}

/// Titles of the series, lowest first.
pub const TITLES: &[Word] = &[
    w("lab_technician", "实验员", "Lab technician"),
    w("assistant_lab_engineer", "助理实验师", "Assistant lab engineer"),
    w("lab_engineer", "实验师", "Lab engineer"),
    w("senior_lab_engineer", "高级实验师", "Senior lab engineer"),
    w("principal_lab_engineer", "正高级实验师", "Principal lab engineer"),
];

pub fn title_code(s: &str) -> Option<&'static str> {
    lookup(TITLES, s)
}

/// 0 = 实验员 … 4 = 正高级实验师.
pub fn title_rank(code: &str) -> Option<usize> {
    TITLES.iter().position(|w| w.code == code)
}

/// Achievement categories in the spec's order.
pub const CATEGORIES: &[Word] = &[
    w("project_report", "项目报告", "Project report"),
    w("experiment_report", "实验报告", "Experiment report"),
    w("technical_report", "技术报告", "Technical report"),
    w("conference_report", "学术会议报告", "Conference report"),
    w("paper", "论文", "Paper"),
    w("book", "著作", "Book"),
    w("patent", "专利成果", "Patent"),
    w("standard", "标准规范", "Standard"),
    w("equipment", "实验设备研制改造", "Lab equipment"),
    w("tech_development", "技术开发", "Technology development"),
    w("platform", "平台建设", "Platform building"),
    w("problem_solving", "解决问题", "Problem solving"),
    w("tech_transfer", "科技成果转化", "Technology transfer"),
    w("tech_promotion", "技术推广", "Technology promotion"),
    w("teaching", "实验教学", "Lab teaching"),
    w("student_guidance", "指导学生科技创新", "Student innovation guidance"),
    w("lab_management", "实验管理", "Lab management"),
    w("consulting", "决策咨询", "Policy consulting"),
    w("public_service", "公共服务", "Public service"),
    w("award", "奖励荣誉", "Awards and honours"),
    w("other", "其他", "Other"),
];

pub fn category_code(s: &str) -> Option<&'static str> {
    lookup(CATEGORIES, s)
}

pub const TRACKS: &[Word] = &[
    w("normal", "正常申报", "Normal"),
    w("exceptional", "破格申报", "Exceptional"),
    w("green_channel", "绿色通道", "Green channel"),
];

/// Short Chinese spellings a package may use for a track.
const TRACK_ALIASES: &[(&str, &str)] = &[("正常", "normal"), ("破格", "exceptional")];

pub fn track_code(s: &str) -> Option<&'static str> {
    lookup(TRACKS, s).or_else(|| TRACK_ALIASES.iter().find(|(alias, _)| *alias == s).map(|(_, code)| *code))
}

/// The committee's level ([`crate::domain::meeting::Level`]).
pub const COMMITTEE_LEVELS: &[Word] = &[
    w("senior", "高级", "Senior"),
    w("intermediate", "中级", "Intermediate"),
    w("junior", "初级", "Junior"),
];

/// An achievement's level. The package stores the Chinese word itself, so
/// that is what an import keeps ([`achievement_level`]).
pub const ACHIEVEMENT_LEVELS: &[Word] = &[
    w("national", "国家级", "National"),
    w("provincial", "省部级", "Provincial"),
    w("bureau", "厅局级", "Bureau"),
    w("school", "校级", "School"),
    w("other", "其他", "Other"),
];

/// The stored (Chinese) spelling of an achievement level.
pub fn achievement_level(s: &str) -> Option<&'static str> {
    ACHIEVEMENT_LEVELS.iter().find(|w| w.zh == s).map(|w| w.zh)
}

pub const ROLES: &[Word] = &[
    w("chair", "主任委员", "Chair"),
    w("vice_chair", "副主任委员", "Vice chair"),
    w("member", "委员", "Member"),
];

/// Why a member is recused; a reason outside these is the secretary's own words.
pub const RECUSAL_REASONS: &[Word] = &[
    w("same_organization", "与申报人同单位", "same organisation as the candidate"),
    w("reviewer", "评议组评议专家", "reviewer in the group opinion"),
    w("declared", "本人申明回避", "declared by the member"),
];

pub const RECUSAL_STATES: &[Word] = &[
    w("proposed", "待确认", "To decide"),
    w("confirmed", "回避", "Recused"),
    w("dismissed", "不回避", "Not recused"),
];

/// How members vote in a round ([`crate::api::voting::Mode`]).
pub const ROUND_MODES: &[Word] = &[
    w("station", "投票台", "voting station"),
    w("paper", "纸质选票", "paper ballots"),
    w("terminal", "成员终端", "members' terminals"),
];

pub const ROUND_STATES: &[Word] =
    &[w("open", "进行中", "Open"), w("closed", "已结束", "Closed"), w("confirmed", "已确认", "Confirmed")];

/// The codes of [`crate::error::Error`] as the UI receives them.
pub const ERROR_CODES: &[Word] = &[
    w("invalid", "输入有误", "Input refused"),
    w("not_found", "未找到", "Not found"),
    w("database", "会议数据库出错", "Meeting database error"),
    w("io", "文件读写出错", "File error"),
    w("integrity", "完整性校验未通过", "Integrity check failed"),
    w("internal", "内部错误", "Internal error"),
];

/// Every vocabulary by the name the UI's catalogue keys use:
/// `title.lab_engineer`, `round_mode.paper` …
pub const VOCABULARIES: &[(&str, &[Word])] = &[
    ("title", TITLES),
    ("track", TRACKS),
    ("category", CATEGORIES),
    ("level", COMMITTEE_LEVELS),
    ("achievement_level", ACHIEVEMENT_LEVELS),
    ("role", ROLES),
    ("recusal_reason", RECUSAL_REASONS),
    ("recusal_state", RECUSAL_STATES),
    ("round_mode", ROUND_MODES),
    ("round_state", ROUND_STATES),
    ("error", ERROR_CODES),
    ("education", EDUCATION),
    ("condition", CONDITION_OUTCOMES),
];

/// Education levels of the application conditions (`domain/standard.rs`).
pub const EDUCATION: &[Word] = &[
    w("secondary", "中等职业学校", "Secondary vocational"),
    w("college", "大学专科", "College diploma"),
    w("bachelor", "大学本科", "Bachelor's degree"),
    w("master", "硕士研究生", "Master's degree"),
    w("doctor", "博士研究生", "Doctorate"),
];

/// Outcomes of the application conditions check (`domain/conditions.rs`).
pub const CONDITION_OUTCOMES: &[Word] = &[
    w("meets", "符合", "Meets"),
    w("fails", "不符合", "Does not meet"),
    w("undetermined", "未能判断", "Cannot tell"),
    w("not_checked", "不核查", "Not checked"),
];

/// The label of `name.code` (`title.lab_engineer`) in `lang`, if it is a word.
pub fn label(key: &str, lang: crate::i18n::Lang) -> Option<&'static str> {
    let (name, code) = key.split_once('.')?;
    let (_, words) = VOCABULARIES.iter().find(|(n, _)| *n == name)?;
    let word = words.iter().find(|w| w.code == code)?;
    Some(match lang {
        crate::i18n::Lang::Zh => word.zh,
        crate::i18n::Lang::En => word.en,
    })
}

/// `ui/src/bindings/vocabulary.ts`: every vocabulary as the UI reads it.
pub fn typescript() -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
    let mut out = String::from(
        "// Generated by `cargo test` from src-tauri/core/src/domain/vocab.rs. Do not edit.\n\
         export const vocabulary = {\n",
    );
    for (name, words) in VOCABULARIES {
        out.push_str(&format!("  {name}: [\n"));
        for w in *words {
            out.push_str(&format!(
                "    {{ code: {}, zh: {}, en: {} }},\n",
                quote(w.code),
                quote(w.zh),
                quote(w.en)
            ));
        }
        out.push_str("  ],\n");
    }
    out.push_str("} as const;\n");
    out
}

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

/// A role by its code or Chinese label.
pub fn role(s: &str) -> Option<Role> {
    match lookup(ROLES, s)? {
        "chair" => Some(Role::Chair),
        "vice_chair" => Some(Role::ViceChair),
        _ => Some(Role::Member),
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

    #[test]
    fn every_code_is_unique_within_its_vocabulary() {
        for (name, words) in VOCABULARIES {
            let mut codes: Vec<_> = words.iter().map(|w| w.code).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), words.len(), "{name} repeats a code");
        }
    }

    #[test]
    fn the_error_codes_are_the_errors_own() {
        let codes: Vec<_> = ERROR_CODES.iter().map(|w| w.code).collect();
        let io = crate::error::Error::Io { path: String::new(), source: std::io::Error::other("x") };
        let integrity = crate::error::Error::Integrity(crate::i18n::Msg::ReadOnlyArchive);
        for e in [io, integrity] {
            assert!(codes.contains(&e.code()), "{} has no word", e.code());
        }
    }

    /// Writes the UI's copy (`TS_RS_EXPORT_DIR`, set in .cargo/config.toml,
    /// as ts-rs does); test-all.sh fails when it differs from the committed one.
    #[test]
    fn exports_the_vocabularies_to_typescript() {
        let dir = std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| "../../ui/src/bindings".into());
        let path = std::path::Path::new(&dir).join("vocabulary.ts");
        let text = typescript();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, &text).expect("write vocabulary.ts");
        }
        assert!(text.contains("code: 'senior_lab_engineer', zh: '高级实验师'"));
    }
}
