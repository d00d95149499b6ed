//! The `conclave` command line: the same core as the window, headless.
//! Exit codes: 0 ok, 1 the input has errors, 2 usage.

use crate::api;
use crate::i18n::{Lang, Msg};
use crate::package::{Kind, Limits, Progress, Report};
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

// Output that never panics: a closed pipe (`conclave check … | head`) ends
// the output quietly instead of aborting the program.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
macro_rules! warn {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}
macro_rules! warn_inline {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}

#[derive(Parser, Debug)]
#[command(
    name = "conclave",
    version,
    about = "Conclave — 职称评审会议系统 / professional-title review meetings, offline",
    long_about = None
)]
struct Cli {
    /// Language of messages.
    #[arg(long, global = true, value_parser = ["zh", "en"], default_value = "zh")]
    lang: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate a dossier package (folder, zip, xlsx form) or a committee roster.
    Check {
        path: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Import a package or roster into a meeting database (all or nothing).
    Import {
        path: PathBuf,
        /// The meeting's database file (meeting.db).
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Check a sealed PDF (results, minutes, 公示 list) or a meeting archive
    /// (zip): exit 0 authentic and unchanged, 1 not.
    Verify {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// The meeting key's fingerprint as printed on the signed minutes:
        /// a file sealed with any other key is not authentic.
        #[arg(long)]
        key: Option<String>,
    },
    /// Print a document as PDF: results (sealed, needs --round), minutes
    /// (sealed), publicity (公示 list, sealed), sign-in (sheet), pins (issues
    /// fresh PINs to the members present), ballots (paper round, needs --round).
    Print {
        #[arg(value_parser = ["results", "minutes", "publicity", "sign-in", "pins", "ballots"])]
        document: String,
        /// The meeting's database file (meeting.db).
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        round: Option<i64>,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
    },
    /// Export the whole meeting as one signed archive (zip).
    Export {
        /// The meeting's database file (meeting.db).
        #[arg(long)]
        meeting: PathBuf,
        /// Where to write the zip.
        #[arg(long)]
        out: PathBuf,
    },
    /// Create a meeting in the data folder and print its database path.
    NewMeeting {
        /// The meeting's name.
        name: String,
        /// Meeting date, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// senior, intermediate or junior.
        #[arg(long, value_parser = ["senior", "intermediate", "junior"], default_value = "senior")]
        level: String,
        #[arg(long, default_value = "")]
        place: String,
    },
    /// Print where the app keeps its data (respects CONCLAVE_DATA_DIR).
    DataDir,
}

/// True when the arguments ask for the CLI rather than the window. WebKit's
/// automation (`--automation`, used by the end-to-end tests) is not a CLI call.
pub fn wants_cli(args: &[OsString]) -> bool {
    args.iter().skip(1).any(|a| a != "--automation")
}

/// Runs the CLI; returns the process exit code.
pub fn run(args: Vec<OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            return code;
        }
    };
    let lang = Lang::parse(&cli.lang).unwrap_or_default();
    let limits = Limits::default();
    match cli.command {
        Command::Check { path, json } => {
            let report = api::import::check(&path, &limits, &mut progress_printer());
            print_report(&path, &report, json, lang);
            i32::from(!report.ok())
        }
        Command::Import { path, meeting, json } => {
            if !meeting.is_file() {
                warn!("{}", Msg::CliMeetingMissing { path: meeting.display().to_string() }.render(lang));
                return 2;
            }
            let cancel = std::sync::atomic::AtomicBool::new(false);
            match api::import::import(&meeting, &path, &limits, &mut progress_printer(), &cancel) {
                Ok(report) => {
                    print_report(&path, &report, json, lang);
                    if report.ok() && !json {
                        say!("{}", Msg::CliImported.render(lang));
                    }
                    i32::from(!report.ok())
                }
                Err(e) => {
                    warn!("conclave: {}", e.message(lang));
                    1
                }
            }
        }
        Command::Verify { file, json, key } => {
            let checked = match api::verify::verify_file(&file, lang, key.as_deref()) {
                Ok(c) => c,
                Err(e) => {
                    let path = file.display().to_string();
                    warn!("{}", Msg::FileUnreadable { path, detail: e.to_string() }.render(lang));
                    return 2;
                }
            };
            if json {
                say!("{}", checked.to_json());
            } else {
                if let Some(s) = checked.summary(lang) {
                    say!("{s}");
                }
                for p in checked.problems() {
                    say!("✗ {p}");
                }
            }
            i32::from(!checked.authentic())
        }
        Command::Print { document, meeting, round, out } => {
            if !meeting.is_file() {
                warn!("{}", Msg::CliMeetingMissing { path: meeting.display().to_string() }.render(lang));
                return 2;
            }
            let needs_round = matches!(document.as_str(), "results" | "ballots");
            let round = match (needs_round, round) {
                (true, None) => {
                    warn!("{}", Msg::CliRoundMissing.render(lang));
                    return 2;
                }
                (_, r) => r.unwrap_or_default(),
            };
            let result = crate::store::open(&meeting)
                .and_then(|mut conn| match document.as_str() {
                    "results" => api::print::results_sheet(&conn, round, lang),
                    "minutes" => api::print::minutes(&conn, lang),
                    "publicity" => api::print::publicity(&conn, lang),
                    "sign-in" => api::print::sign_in_sheet(&conn, lang),
                    "pins" => api::print::pin_slips(&mut conn, lang),
                    _ => api::print::paper_ballots(&conn, round, lang),
                })
                .and_then(|pdf| std::fs::write(&out, pdf).map_err(crate::error::Error::io(&out)));
            match result {
                Ok(()) => {
                    say!("{}", out.display());
                    0
                }
                Err(e) => {
                    warn!("conclave: {}", e.message(lang));
                    1
                }
            }
        }
        Command::Export { meeting, out } => {
            if !meeting.is_file() {
                warn!("{}", Msg::CliMeetingMissing { path: meeting.display().to_string() }.render(lang));
                return 2;
            }
            match api::archive::export(&meeting, &out, lang) {
                Ok(summary) => {
                    say!("{}", out.display());
                    say!(
                        "{}",
                        Msg::ArchiveWritten { files: summary.files, bytes: summary.bytes }.render(lang)
                    );
                    0
                }
                Err(e) => {
                    warn!("conclave: {}", e.message(lang));
                    1
                }
            }
        }
        Command::NewMeeting { name, date, level, place } => {
            let data_dir = data_dir();
            let level =
                crate::domain::meeting::Level::parse(&level).unwrap_or(crate::domain::meeting::Level::Senior);
            let input = crate::domain::meeting::NewMeeting { name, level, date, place };
            match api::meeting::create(&data_dir, &input)
                .and_then(|m| api::meeting::meeting_dir(&data_dir, &m.id))
            {
                Ok(dir) => {
                    say!("{}", dir.join(crate::store::DB_FILE).display());
                    0
                }
                Err(e) => {
                    warn!("conclave: {}", e.message(lang));
                    1
                }
            }
        }
        Command::DataDir => {
            say!("{}", data_dir().display());
            0
        }
    }
}

/// The app's data folder as the window would use it.
fn data_dir() -> PathBuf {
    let fallback = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".local/share/cn.conclave.app"))
        .unwrap_or_default();
    crate::settings::data_dir(fallback)
}

/// Progress on stderr, only when a person is watching.
fn progress_printer() -> impl FnMut(Progress) {
    let tty = std::io::stderr().is_terminal();
    let mut last = std::time::Instant::now();
    move |p: Progress| {
        if tty && (last.elapsed().as_millis() > 200 || p.files_done == p.files_total) {
            last = std::time::Instant::now();
            warn_inline!(
                "\r{}/{} · {}/{}   ",
                p.files_done,
                p.files_total,
                crate::i18n::size(p.bytes_done),
                crate::i18n::size(p.bytes_total)
            );
            if p.files_done == p.files_total {
                warn!();
            }
        }
    }
}

fn print_report(path: &std::path::Path, report: &Report, json: bool, lang: Lang) {
    let text = report.render(lang);
    if json {
        let mut v = serde_json::to_value(&text).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            // `check --json`'s documented shape; a roster counts members.
            o.insert("kind".into(), serde_json::json!(report.kind.unwrap_or(Kind::Dossier)));
            if report.kind != Some(Kind::Committee) {
                o.remove("members");
            }
        }
        say!("{v}");
        return;
    }
    say!("{}", Msg::CliPackage { path: path.display().to_string() }.render(lang));
    if let Some(kind) = report.kind {
        say!("{}", Msg::CliKind { committee: kind == Kind::Committee }.render(lang));
        say!(
            "{}",
            Msg::CliCounts {
                candidates: report.candidates,
                members: report.members,
                files: report.files,
                bytes: report.bytes
            }
            .render(lang)
        );
    }
    if !text.errors.is_empty() {
        say!("{}", Msg::CliErrors { count: text.errors.len() }.render(lang));
        for p in &text.errors {
            say!("  ✗ {}{}", where_prefix(&p.where_), p.message);
        }
    }
    if !text.warnings.is_empty() {
        say!("{}", Msg::CliWarnings { count: text.warnings.len() }.render(lang));
        for p in &text.warnings {
            say!("  ! {}{}", where_prefix(&p.where_), p.message);
        }
    }
    say!("{}", Msg::CliVerdict { ok: report.ok() }.render(lang));
}

fn where_prefix(w: &str) -> String {
    if w.is_empty() {
        String::new()
    } else {
        format!("{w}: ")
    }
}
