//! The application conditions (申报条件) as data: per applied title, the
//! education and the full years since obtaining the title below that it
//! asks for (`assets/standards/`, its sources in the README there). A unit's
//! stricter table has the same format and must ask at least as much.

use crate::domain::vocab;
use crate::i18n::{Lang, Msg};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The bundled national table.
pub const BUNDLED: &str = include_str!("../../../../assets/standards/lab-technician-2021.json");

/// The format a table declares.
pub const FORMAT: &str = "conclave-conditions/1";

/// The largest table accepted (a real one is a few KiB).
pub const MAX_BYTES: usize = 256 * 1024;

/// Education levels, lowest first; a clause admits its level and above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Edu {
    /// 中等职业学校 / 高中阶段.
    Secondary,
    /// 大学专科.
    College,
    /// 大学本科 / 学士.
    Bachelor,
    /// 硕士 / 第二学士.
    Master,
    /// 博士.
    Doctor,
}

impl Edu {
    pub const ALL: [Edu; 5] = [Edu::Secondary, Edu::College, Edu::Bachelor, Edu::Master, Edu::Doctor];

    pub fn code(self) -> &'static str {
        match self {
            Edu::Secondary => "secondary",
            Edu::College => "college",
            Edu::Bachelor => "bachelor",
            Edu::Master => "master",
            Edu::Doctor => "doctor",
        }
    }

    /// The level a package's 学历 text names (`大学本科`, `博士研究生`, …).
    pub fn parse(text: &str) -> Option<Edu> {
        let t = text.trim();
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        if has(&["博士", "doctor", "Doctor", "PhD"]) {
            Some(Edu::Doctor)
        } else if has(&["硕士", "研究生", "第二学士", "master", "Master"]) {
            Some(Edu::Master)
        } else if has(&["本科", "学士", "bachelor", "Bachelor"]) {
            Some(Edu::Bachelor)
        } else if has(&["专科", "大专", "高职", "college", "College"]) {
            Some(Edu::College)
        } else if has(&["中专", "中等职业", "技工", "职高", "高中", "secondary", "Secondary"]) {
            Some(Edu::Secondary)
        } else {
            None
        }
    }

    /// `levels` steps higher, capped at the top.
    pub fn raised(self, levels: u8) -> Edu {
        let i = Edu::ALL.iter().position(|e| *e == self).unwrap_or(0);
        Edu::ALL[(i + levels as usize).min(Edu::ALL.len() - 1)]
    }

    pub fn label(self, lang: Lang) -> &'static str {
        vocab::label(&format!("education.{}", self.code()), lang).unwrap_or("?")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub education: Edu,
    pub years: u32,
    pub confirmed: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleRule {
    /// The applied title (code).
    pub title: String,
    /// The title the years are counted in (code).
    pub after: String,
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hardship {
    /// How many education levels 艰苦边远/基层一线 service counts up.
    pub relax_levels: u8,
    pub confirmed: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Whether the conditions are checked (barring) on this route.
    pub checked: bool,
    pub confirmed: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routes {
    pub exceptional: Route,
    pub green_channel: Route,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub format: String,
    pub name: String,
    pub version: String,
    pub source: String,
    pub hardship: Hardship,
    pub routes: Routes,
    pub titles: Vec<TitleRule>,
}

fn title_label(code: &str) -> String {
    vocab::label(&format!("title.{code}"), Lang::Zh).map_or_else(|| code.to_string(), str::to_string)
}

impl Table {
    /// Reads and validates a table; the message names what is wrong in the
    /// table's own words (title, education), or the line of a syntax error.
    pub fn parse(bytes: &[u8]) -> Result<Table, Msg> {
        if bytes.len() > MAX_BYTES {
            return Err(Msg::StandardInvalid {
                detail: format!("{} KiB > {} KiB", bytes.len() / 1024, MAX_BYTES / 1024),
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Msg::StandardNotText)?;
        let table: Table = serde_json::from_str(text).map_err(|e| Msg::StandardSyntax {
            line: e.line() as u64,
            detail: e.to_string().split(" at line").next().unwrap_or_default().to_string(),
        })?;
        table.validate()?;
        Ok(table)
    }

    /// The bundled national table.
    pub fn bundled() -> Table {
        // The bundled table is tested to parse (`bundled_table_is_valid`).
        Table::parse(BUNDLED.as_bytes()).unwrap_or_else(|_| Table {
            format: FORMAT.into(),
            name: String::new(),
            version: String::new(),
            source: String::new(),
            hardship: Hardship { relax_levels: 0, confirmed: false, source: String::new() },
            routes: Routes {
                exceptional: Route { checked: false, confirmed: false, source: String::new() },
                green_channel: Route { checked: false, confirmed: false, source: String::new() },
            },
            titles: Vec::new(),
        })
    }

    fn validate(&self) -> Result<(), Msg> {
        let bad = |detail: String| Err(Msg::StandardInvalid { detail });
        if self.format != FORMAT {
            return bad(format!("format “{}” ≠ “{FORMAT}”", self.format));
        }
        for (field, v) in [("name", &self.name), ("version", &self.version), ("source", &self.source)] {
            if v.trim().is_empty() || v.chars().count() > 200 {
                return bad(format!("{field}: 1–200"));
            }
        }
        if self.hardship.relax_levels > 2 {
            return bad(format!("hardship.relax_levels {} > 2", self.hardship.relax_levels));
        }
        let mut seen = Vec::new();
        for t in &self.titles {
            let (Some(rank), Some(after)) = (vocab::title_rank(&t.title), vocab::title_rank(&t.after)) else {
                return bad(format!("“{}” / “{}”", t.title, t.after));
            };
            if after + 1 != rank {
                return bad(format!("{} ← {}", title_label(&t.title), title_label(&t.after)));
            }
            if seen.contains(&t.title) {
                return bad(format!("{} ×2", title_label(&t.title)));
            }
            seen.push(t.title.clone());
            if t.clauses.is_empty() || t.clauses.len() > 10 {
                return bad(format!("{}: 1–10", title_label(&t.title)));
            }
            for c in &t.clauses {
                if c.years > 30 {
                    return bad(format!(
                        "{} {}: {} > 30",
                        title_label(&t.title),
                        c.education.label(Lang::Zh),
                        c.years
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn rule(&self, title: &str) -> Option<&TitleRule> {
        self.titles.iter().find(|t| t.title == title)
    }

    /// The clause asking the fewest years of someone with `edu` applying
    /// for `title`: `None` when the title is not in the table, `Some(None)`
    /// when no clause admits that education.
    pub fn required(&self, title: &str, edu: Edu) -> Option<Option<&Clause>> {
        let rule = self.rule(title)?;
        Some(rule.clauses.iter().filter(|c| c.education <= edu).min_by_key(|c| c.years))
    }

    /// Refuses a unit table that asks less than `national` anywhere: a
    /// title left out, fewer years for an education, an education admitted
    /// that the national table does not admit, or more relaxation.
    pub fn check_stricter_than(&self, national: &Table) -> Result<(), Msg> {
        if self.hardship.relax_levels > national.hardship.relax_levels {
            return Err(Msg::StandardLooser {
                what: "艰苦边远地区和基层一线".into(),
                unit: self.hardship.relax_levels.to_string(),
                national: national.hardship.relax_levels.to_string(),
            });
        }
        for (route, unit, nat) in [
            ("破格申报", &self.routes.exceptional, &national.routes.exceptional),
            ("绿色通道", &self.routes.green_channel, &national.routes.green_channel),
        ] {
            if nat.checked && !unit.checked {
                return Err(Msg::StandardLooser {
                    what: route.into(),
                    unit: "—".into(),
                    national: "✓".into(),
                });
            }
        }
        for rule in &national.titles {
            for edu in Edu::ALL {
                let Some(Some(nat)) = national.required(&rule.title, edu) else { continue };
                let looser = |unit: String| Msg::StandardLooser {
                    what: format!("{}（{}）", title_label(&rule.title), edu.label(Lang::Zh)),
                    unit,
                    national: format!("{} 年", nat.years),
                };
                match self.required(&rule.title, edu) {
                    None => return Err(looser("—".into())),
                    Some(Some(u)) if u.years < nat.years => return Err(looser(format!("{} 年", u.years))),
                    _ => {}
                }
            }
            // An education the national table does not admit stays out.
            for edu in Edu::ALL {
                if let (Some(None), Some(Some(u))) =
                    (national.required(&rule.title, edu), self.required(&rule.title, edu))
                {
                    return Err(Msg::StandardLooser {
                        what: format!("{}（{}）", title_label(&rule.title), edu.label(Lang::Zh)),
                        unit: format!("{} 年", u.years),
                        national: "—".into(),
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_is_valid_and_marks_every_clause_unconfirmed() {
        let t = Table::parse(BUNDLED.as_bytes()).expect("bundled table");
        assert_eq!(t.titles.len(), 4);
        assert!(t.titles.iter().flat_map(|r| &r.clauses).all(|c| !c.confirmed && !c.source.is_empty()));
        let years = |title: &str, e: Edu| t.required(title, e).flatten().map(|c| c.years);
        assert_eq!(years("lab_engineer", Edu::Doctor), Some(0));
        assert_eq!(years("lab_engineer", Edu::Master), Some(2));
        assert_eq!(years("lab_engineer", Edu::College), Some(4));
        assert_eq!(years("lab_engineer", Edu::Secondary), None);
        assert_eq!(years("senior_lab_engineer", Edu::Doctor), Some(2));
        assert_eq!(years("senior_lab_engineer", Edu::Master), Some(5));
        assert_eq!(years("senior_lab_engineer", Edu::College), None);
        assert_eq!(years("principal_lab_engineer", Edu::Doctor), Some(5));
        assert!(t.required("lab_technician", Edu::Doctor).is_none(), "not in the table");
        t.check_stricter_than(&t).expect("a table is as strict as itself");
    }

    #[test]
    fn education_words_map_to_levels() {
        assert_eq!(Edu::parse("博士研究生"), Some(Edu::Doctor));
        assert_eq!(Edu::parse("硕士研究生"), Some(Edu::Master));
        assert_eq!(Edu::parse("大学本科"), Some(Edu::Bachelor));
        assert_eq!(Edu::parse("大学专科"), Some(Edu::College));
        assert_eq!(Edu::parse("中等职业学校"), Some(Edu::Secondary));
        assert_eq!(Edu::parse("自学"), None);
        assert_eq!(Edu::College.raised(1), Edu::Bachelor);
        assert_eq!(Edu::Doctor.raised(2), Edu::Doctor);
    }

    fn edit(f: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
        let mut v: serde_json::Value = serde_json::from_str(BUNDLED).unwrap();
        f(&mut v);
        serde_json::to_vec(&v).unwrap()
    }

    #[test]
    fn a_stricter_unit_table_is_accepted_and_a_looser_one_refused_by_title_and_education() {
        let national = Table::bundled();
        let stricter = Table::parse(&edit(|v| v["titles"][2]["clauses"][1]["years"] = 6.into())).unwrap();
        stricter.check_stricter_than(&national).expect("stricter");
        assert_eq!(stricter.required("senior_lab_engineer", Edu::Bachelor).flatten().unwrap().years, 6);

        let looser = Table::parse(&edit(|v| v["titles"][2]["clauses"][1]["years"] = 4.into())).unwrap();
        let msg = looser.check_stricter_than(&national).unwrap_err().render(Lang::Zh);
        assert!(msg.contains("高级实验师") && msg.contains("大学本科") && msg.contains("4 年"), "{msg}");

        let admits_college = Table::parse(&edit(|v| {
            v["titles"][2]["clauses"].as_array_mut().unwrap().push(serde_json::json!(
                { "education": "college", "years": 9, "confirmed": false, "source": "单位" }))
        }))
        .unwrap();
        let msg = admits_college.check_stricter_than(&national).unwrap_err().render(Lang::Zh);
        assert!(msg.contains("大学专科"), "{msg}");

        let missing = Table::parse(&edit(|v| {
            v["titles"].as_array_mut().unwrap().remove(3);
        }))
        .unwrap();
        assert!(missing
            .check_stricter_than(&national)
            .unwrap_err()
            .render(Lang::Zh)
            .contains("正高级实验师"));
    }

    #[test]
    fn malformed_tables_are_refused_in_plain_words() {
        let msg = Table::parse(b"{ \"format\": ").unwrap_err().render(Lang::Zh);
        assert!(msg.contains("第 1 行"), "{msg}");
        let skip =
            Table::parse(&edit(|v| v["titles"][2]["after"] = "assistant_lab_engineer".into())).unwrap_err();
        assert!(skip.render(Lang::Zh).contains("高级实验师"), "{}", skip.render(Lang::Zh));
        assert!(Table::parse(&edit(|v| v["format"] = "x".into())).is_err());
        assert!(Table::parse(&edit(|v| v["titles"][0]["clauses"][0]["years"] = (-1).into())).is_err());
        assert!(Table::parse(&vec![b' '; MAX_BYTES + 1]).is_err());
        assert!(Table::parse(&[0xff, 0xfe]).is_err());
    }
}
