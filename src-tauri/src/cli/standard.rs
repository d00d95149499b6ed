//! `conclave standard …` and `conclave rules posts`: the application
//! conditions (申报条件) each candidate is checked against, and the posts
//! per applied title (岗位结构比例).

use super::say;
use clap::Subcommand;
use conclave_core::api::standard;
use conclave_core::i18n::{labels::label, Lang, Msg};
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub(super) enum StandardAction {
    /// Every candidate's education and years against the table, to the
    /// meeting's reference date: 符合 / 不符合 (with the numbers) / 未能判断.
    Check {
        #[arg(long)]
        meeting: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Load a unit's stricter table (same format as the bundled one; refused
    /// when it asks less anywhere), or `--national` to go back.
    Load {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(required_unless_present = "national")]
        file: Option<PathBuf>,
        #[arg(long, conflicts_with = "file")]
        national: bool,
    },
    /// The reference date (资历计算截止日期; `meeting` for the meeting date)
    /// and whether 不符合 bars (the default) or only flags.
    Set {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        reference_date: Option<String>,
        #[arg(long, conflicts_with = "bar")]
        flag_only: bool,
        #[arg(long)]
        bar: bool,
    },
}

#[derive(Subcommand, Debug)]
pub(super) enum RulesAction {
    /// The posts of an applied title (by its name or code); `--clear` removes the limit.
    Posts {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        title: String,
        #[arg(long, required_unless_present = "clear")]
        posts: Option<u32>,
        #[arg(long, conflicts_with = "posts")]
        clear: bool,
    },
}

fn describe(info: &standard::StandardInfo, lang: Lang) -> String {
    let unit =
        if info.unit { format!("（{}）", label("minutes.conditions.unit", lang)) } else { String::new() };
    format!(
        "{}{unit} {} · {} {} · {}",
        info.name,
        info.version,
        label("minutes.conditions.reference", lang),
        info.reference_date,
        label(if info.flag_only { "minutes.conditions.flags" } else { "minutes.conditions.bars" }, lang)
    )
}

pub(super) fn run_standard(action: StandardAction, lang: Lang) -> i32 {
    match action {
        StandardAction::Check { meeting, json } => super::steps::on_meeting(&meeting, lang, |conn| {
            let info = standard::info(conn)?;
            let checks = standard::check_all(conn)?;
            if json {
                say!("{}", serde_json::json!({ "standard": info, "candidates": checks }));
                return Ok(());
            }
            say!("{}", describe(&info, lang));
            for c in checks {
                let outcome = label(c.check.outcome.label_key(), lang);
                let summary = if lang == Lang::Zh { &c.check.zh } else { &c.check.en };
                say!("{}\t{}\t{outcome}\t{summary}", c.candidate_id, c.name);
            }
            Ok(())
        }),
        StandardAction::Load { meeting, file, national: _ } => {
            super::steps::on_meeting(&meeting, lang, |conn| {
                let info = match file {
                    Some(path) => {
                        let bytes = read_table(&path)?;
                        standard::load_unit_table(conn, Some(&bytes))?
                    }
                    None => standard::load_unit_table(conn, None)?,
                };
                say!("{}", Msg::CliStandardSet { what: describe(&info, lang) }.render(lang));
                say!("SHA-256 {}", info.sha256);
                Ok(())
            })
        }
        StandardAction::Set { meeting, reference_date, flag_only, bar } => {
            super::steps::on_meeting(&meeting, lang, |conn| {
                let mut info = standard::info(conn)?;
                if let Some(date) = reference_date {
                    let date = (date != "meeting").then_some(date);
                    info = standard::set_reference_date(conn, date.as_deref())?;
                }
                if flag_only || bar {
                    info = standard::set_flag_only(conn, flag_only)?;
                }
                say!("{}", Msg::CliStandardSet { what: describe(&info, lang) }.render(lang));
                Ok(())
            })
        }
    }
}

/// A table file, bounded before it is read.
fn read_table(path: &Path) -> conclave_core::error::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(conclave_core::error::Error::io(path))?;
    let mut bytes = Vec::new();
    file.take(conclave_core::domain::standard::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(conclave_core::error::Error::io(path))?;
    Ok(bytes)
}

pub(super) fn run_rules(action: RulesAction, lang: Lang) -> i32 {
    match action {
        RulesAction::Posts { meeting, title, posts, clear: _ } => {
            super::steps::on_meeting(&meeting, lang, |conn| {
                let info = standard::set_posts(conn, &title, posts)?;
                let list: Vec<String> = info
                    .posts
                    .iter()
                    .map(|p| format!("{} {}", label(&format!("title.{}", p.title), lang), p.posts))
                    .collect();
                say!(
                    "{}",
                    Msg::CliStandardSet { what: format!("{} {}", label("posts", lang), list.join(", ")) }
                        .render(lang)
                );
                Ok(())
            })
        }
    }
}
