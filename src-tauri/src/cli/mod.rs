//! The `conclave` command line: the same core as the window, headless.
//! Exit codes: 0 done, 1 refused or the input has errors (with a message in
//! the chosen language), 2 usage.

mod files;
mod standard;
mod steps;
mod terminals;

use clap::{Parser, Subcommand};
use conclave_core::i18n::{Lang, Msg};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

// Output that never panics: a closed pipe (`conclave check … | head`) ends
// the output quietly instead of aborting the program.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
macro_rules! tell {
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
pub(crate) use {say, tell, warn_inline};

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
    /// Check a sealed PDF (results, minutes, 公示 list), a meeting archive
    /// (zip), or with --scan a photo or scan (PNG, JPEG) of a sealed page:
    /// exit 0 authentic and unchanged, 1 not. A scanned page's QR code is
    /// checked and what the page must say is printed, to compare with the
    /// paper.
    Verify {
        /// A sealed PDF, an archive, a photo of a page; or several archives,
        /// or folders of them, checked together into one table.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// FILE is a photo or scan of one printed page (PNG or JPEG).
        #[arg(long)]
        scan: bool,
        /// The meeting key's fingerprint as printed on the signed minutes:
        /// a file sealed with any other key is not authentic.
        #[arg(long)]
        key: Option<String>,
    },
    /// A member's receipt against an archive: the tracker and the audit chain
    /// head their ballot screen showed after casting (exit 0 found and the
    /// same, 1 not).
    Receipt {
        /// The meeting archive (zip).
        archive: PathBuf,
        /// The ballot's tracker, e.g. 7KQ2-M9XD.
        #[arg(long)]
        tracker: String,
        /// The chain head shown with it, e.g. 3F2A-91BC.
        #[arg(long)]
        head: String,
    },
    /// Print a document as PDF: results (sealed, needs --round), minutes
    /// (sealed), publicity (公示 list, sealed), sign-in (sheet), pins (issues
    /// fresh PINs to the members present), ballots (paper round, needs --round).
    /// Once the trustees are named, sealed documents read the chair's
    /// passphrase from standard input.
    Print {
        #[arg(value_parser = conclave_core::api::documents::Document::CLI_NAMES)]
        document: String,
        /// The meeting's database file (meeting.db).
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        round: Option<i64>,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
        /// publicity: the first day of the 公示 period (YYYY-MM-DD); its end
        /// is the --days-th working day by the bundled calendar.
        #[arg(long)]
        start: Option<String>,
        /// publicity: the last day, typed, where the calendar has no data.
        #[arg(long)]
        end: Option<String>,
        /// publicity: working days of the period (default 5).
        #[arg(long)]
        days: Option<u32>,
        /// terminal-cards: the meeting-room address (https://HOST:PORT/t/),
        /// when not the one `serve` or the window last started on. Printed
        /// while the server runs: the cards carry its fingerprint, which is
        /// new with each process (docs/tls-key.md).
        #[arg(long)]
        url: Option<String>,
        /// Sealed documents when the chair has left: two trustees (twice),
        /// their passphrases on stdin instead of the chair's.
        #[arg(long)]
        trustee: Vec<String>,
    },
    /// Export the whole meeting as one signed archive (zip); once the
    /// trustees are named, reads the chair's passphrase from standard input.
    Export {
        /// The meeting's database file (meeting.db).
        #[arg(long)]
        meeting: PathBuf,
        /// Where to write the zip.
        #[arg(long)]
        out: PathBuf,
        /// When the chair has left: two trustees (twice), their passphrases on stdin.
        #[arg(long)]
        trustee: Vec<String>,
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
        /// 资历计算截止日期, YYYY-MM-DD: the years in the current title are
        /// counted to it (the meeting date when left out).
        #[arg(long)]
        reference_date: Option<String>,
    },
    /// The application conditions (申报条件): check every candidate, load a
    /// unit's stricter table, set the reference date and what 不符合 does.
    Standard {
        #[command(subcommand)]
        action: standard::StandardAction,
    },
    /// The meeting's rules beyond the pass threshold: posts per title (岗位结构比例).
    Rules {
        #[command(subcommand)]
        action: standard::RulesAction,
    },
    /// Print where the app keeps its data (respects CONCLAVE_DATA_DIR).
    DataDir,
    /// Sign members in (by roster id), all or none.
    Signin {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(required = true)]
        members: Vec<String>,
    },
    /// Sign members out (they leave the meeting), all or none.
    Signout {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(required = true)]
        members: Vec<String>,
    },
    /// Conflicts of interest (回避).
    Recusal {
        #[command(subcommand)]
        action: RecusalAction,
    },
    /// Voting rounds: open, cast (the member's PIN on stdin), close, confirm
    /// (the chair's PIN on stdin; a vice chair's where the chair is absent
    /// or recused).
    Round {
        #[command(subcommand)]
        action: RoundAction,
    },
    /// 资格审查: a candidate outside the committee's level, 品德考核不合格 or
    /// with an unclean 诚信 record is left out of rounds unless overridden.
    Eligibility {
        #[command(subcommand)]
        action: EligibilityAction,
    },
    /// Set the secretary's own PIN, which unlocks the voting station for a
    /// member the secretary picks: the new PIN twice on stdin, preceded by
    /// the current one where one is set.
    SecretaryPin {
        #[arg(long)]
        meeting: PathBuf,
    },
    /// The trustees (the chair and two scrutineers) who alone can count.
    Trustees {
        #[command(subcommand)]
        action: TrusteesAction,
    },
    /// Run the members' terminals' server (HTTPS), no window, until interrupted;
    /// prints the address and the certificate's fingerprint (its key is made
    /// in memory for this process and never saved: docs/tls-key.md).
    Serve {
        #[arg(long)]
        meeting: PathBuf,
        /// The address and port to listen on, e.g. 192.168.1.10:8443 or 0.0.0.0:8443.
        #[arg(long)]
        listen: std::net::SocketAddr,
    },
    /// The members' terminal cards: list them, or revoke or re-issue one
    /// member's (a lost card or tablet).
    Terminals {
        #[command(subcommand)]
        action: terminals::TerminalsAction,
    },
    /// The meeting's state as one JSON object: attendance, quorum, recusals,
    /// rounds with their results.
    Status {
        #[arg(long)]
        meeting: PathBuf,
        /// JSON is the only form (the flag is accepted for scripts).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum RecusalAction {
    /// Propose the conflicts the app can see (same organisation, reviewer)
    /// for every member and candidate; `--all` says so and may be left out.
    Propose {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Confirm one recusal (or record one the app did not see), or --all.
    Confirm {
        #[command(flatten)]
        which: RecusalWhich,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Dismiss one proposal (no recusal needed), or --all.
    Dismiss {
        #[command(flatten)]
        which: RecusalWhich,
    },
}

/// Which recusals a decision is about: one member–candidate pair, or all
/// proposals still undecided.
#[derive(clap::Args, Debug)]
struct RecusalWhich {
    #[arg(long)]
    meeting: PathBuf,
    #[arg(long, conflicts_with_all = ["member", "candidate"])]
    all: bool,
    #[arg(long)]
    member: Option<String>,
    #[arg(long)]
    candidate: Option<String>,
}

impl RecusalWhich {
    fn decide(&self, confirmed: bool, reason: &str, lang: Lang) -> i32 {
        let pair = self.member.as_deref().zip(self.candidate.as_deref());
        steps::recusal_decide(&self.meeting, self.all, pair, confirmed, reason, lang)
    }
}

#[derive(Subcommand, Debug)]
enum EligibilityAction {
    /// The chair's decision to put a barred candidate to the vote (the
    /// chair's PIN on stdin); the reason is audited and printed in the minutes.
    Override {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        candidate: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
enum TrusteesAction {
    /// Name them; their three passphrases are read from stdin, one per line,
    /// in the order given (chair, first scrutineer, second scrutineer).
    Setup {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        chair: String,
        /// Twice: the two scrutineers (members or staff).
        #[arg(long, num_args = 1, required = true)]
        scrutineer: Vec<String>,
    },
}

/// `round open --mode`: the core's [`conclave_core::api::voting::Mode`], as
/// the command line spells it (an unknown word is a usage error, exit 2).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum RoundMode {
    Station,
    Terminal,
    Paper,
}

impl From<RoundMode> for conclave_core::api::voting::Mode {
    fn from(m: RoundMode) -> Self {
        use conclave_core::api::voting::Mode;
        match m {
            RoundMode::Station => Mode::Station,
            RoundMode::Terminal => Mode::Terminal,
            RoundMode::Paper => Mode::Paper,
        }
    }
}

#[derive(Subcommand, Debug)]
enum RoundAction {
    /// Open a round (the chair's PIN on stdin); prints its number.
    Open {
        #[arg(long)]
        meeting: PathBuf,
        /// How the members vote: station (one at a time on this computer),
        /// terminal (each on their own terminal), paper (counted by two).
        #[arg(long, value_enum, default_value_t = RoundMode::Station)]
        mode: RoundMode,
        /// Candidate ids, comma-separated (default: every undecided one).
        #[arg(long, value_delimiter = ',')]
        candidates: Vec<String>,
        /// Why a candidate is voted on again (needed for a re-vote).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Cast a ballot: the member's PIN, on stdin, says who votes. The choices
    /// come from --choices, or (better: arguments show in `ps` and the shell
    /// history) from the line after the PIN.
    Cast {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        round: i64,
        /// C1=for,C2=against,C3=abstain
        #[arg(long)]
        choices: Option<String>,
    },
    /// Close a station round (the chair's PIN on stdin).
    Close {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        round: i64,
    },
    /// Count a closed round: two trustees' passphrases on stdin, one per
    /// line, in the order given.
    Tally {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        round: i64,
        /// Twice: the two trustees who count.
        #[arg(long, num_args = 1, required = true)]
        trustee: Vec<String>,
    },
    /// 核验被检验的选票: without --tracker, list the audited (spoiled) ballots;
    /// with it, show which choice each line of that ballot encrypted, read
    /// with the randomness its terminal released (exit 1 when it does not open).
    Audited {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        round: Option<i64>,
        /// The tracker, short (7KQ2-M9XD) or in full.
        #[arg(long, requires = "round")]
        tracker: Option<String>,
    },
    /// The chair confirms a counted round's results (the chair's PIN on stdin).
    Confirm {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        round: i64,
    },
}

/// True when the arguments ask for the CLI rather than the window. WebKit's
/// automation (`--automation`, used by the end-to-end tests) is not a CLI call.
pub fn wants_cli(args: &[OsString]) -> bool {
    args.iter().skip(1).any(|a| a != "--automation")
}

/// Without a display the window cannot start: say so (in the language of
/// `LANG`) instead of letting GTK panic. Returns the exit code, or `None`
/// when a display is there.
pub fn no_display() -> Option<i32> {
    if !cfg!(feature = "window") {
        return None;
    }
    let has = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if cfg!(target_os = "linux") && !has("DISPLAY") && !has("WAYLAND_DISPLAY") {
        tell!("conclave: {}", Msg::NoDisplay.render(env_lang()));
        return Some(2);
    }
    // Windows: the window is a WebView2 one; without the runtime Tauri
    // cannot make it, so say what to install (in both languages: a
    // double-click has no LANG to go by).
    #[cfg(all(windows, feature = "window"))]
    if tauri::webview_version().is_err() {
        crate::windows::refuse(&format!(
            "{}\n\n{}",
            Msg::NoWebView2.render(Lang::Zh),
            Msg::NoWebView2.render(Lang::En)
        ));
        return Some(2);
    }
    None
}

/// The window-less build started without a subcommand: says that this
/// build has only the command line, and exits 2.
#[cfg(not(feature = "window"))]
pub fn no_window() -> ! {
    tell!("conclave: {}", Msg::NoWindowBuild.render(env_lang()));
    std::process::exit(2);
}

/// The language of `LANG` (English when it starts with `en`), for what is
/// said before any meeting or setting is read.
fn env_lang() -> Lang {
    if std::env::var("LANG").is_ok_and(|l| l.starts_with("en")) {
        Lang::En
    } else {
        Lang::Zh
    }
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
    let lang = Lang::parse(&cli.lang).unwrap_or(Lang::Zh);
    match cli.command {
        Command::Check { path, json } => files::check(&path, json, lang),
        Command::Import { path, meeting, json } => files::import(&path, &meeting, json, lang),
        Command::Verify { files: paths, json, key, scan } => match paths.as_slice() {
            [one] if !one.is_dir() => files::verify(one, json, key.as_deref(), scan, lang),
            _ => files::verify_many(&paths, json, lang),
        },
        Command::Receipt { archive, tracker, head } => files::receipt(&archive, &tracker, &head, lang),
        Command::Print { document, meeting, round, out, start, end, days, url, trustee } => {
            let period = start.map(|start| conclave_core::api::print::PeriodRequest { start, end, days });
            files::print(&document, &meeting, round, &out, period, url, &trustee, lang)
        }
        Command::Export { meeting, out, trustee } => files::export(&meeting, &out, &trustee, lang),
        Command::NewMeeting { name, date, level, place, reference_date } => {
            files::new_meeting(name, date, &level, place, reference_date.as_deref(), lang)
        }
        Command::Standard { action } => standard::run_standard(action, lang),
        Command::Rules { action } => standard::run_rules(action, lang),
        Command::DataDir => files::show_data_dir(lang),
        Command::Signin { meeting, members } => steps::presence(&meeting, &members, true, lang),
        Command::Signout { meeting, members } => steps::presence(&meeting, &members, false, lang),
        Command::Recusal { action } => match action {
            RecusalAction::Propose { meeting, json, all: _ } => steps::recusal_propose(&meeting, json, lang),
            RecusalAction::Confirm { which, reason } => which.decide(true, &reason, lang),
            RecusalAction::Dismiss { which } => which.decide(false, "", lang),
        },
        Command::Eligibility { action: EligibilityAction::Override { meeting, candidate, reason } } => {
            steps::eligibility_override(&meeting, &candidate, &reason, lang)
        }
        Command::Round { action } => match action {
            RoundAction::Open { meeting, mode, candidates, reason } => {
                steps::round_open(&meeting, mode.into(), &candidates, &reason, lang)
            }
            RoundAction::Cast { meeting, round, choices } => {
                steps::round_cast(&meeting, round, choices.as_deref(), lang)
            }
            RoundAction::Close { meeting, round } => steps::round_close(&meeting, round, lang),
            RoundAction::Confirm { meeting, round } => steps::round_confirm(&meeting, round, lang),
            RoundAction::Tally { meeting, round, trustee } => {
                steps::round_tally(&meeting, round, &trustee, lang)
            }
            RoundAction::Audited { meeting, round, tracker } => {
                steps::round_audited(&meeting, round, tracker.as_deref(), lang)
            }
        },
        Command::Trustees { action: TrusteesAction::Setup { meeting, chair, scrutineer } } => {
            steps::trustees_setup(&meeting, &chair, &scrutineer, lang)
        }
        Command::SecretaryPin { meeting } => steps::secretary_pin(&meeting, lang),
        Command::Status { meeting, json: _ } => steps::status(&meeting, lang),
        Command::Serve { meeting, listen } => terminals::serve(&meeting, listen, lang),
        Command::Terminals { action } => terminals::run(action, lang),
    }
}

/// Opens an existing meeting database; exit code 2 (with the message) when
/// the file is not there.
pub(crate) fn open_meeting(meeting: &Path, lang: Lang) -> Result<conclave_core::store::Meeting, i32> {
    if !meeting.is_file() {
        tell!("{}", Msg::CliMeetingMissing { path: meeting.display().to_string() }.render(lang));
        return Err(2);
    }
    conclave_core::store::open(meeting).map_err(|e| fail(&e, lang))
}

/// Prints a refusal and gives exit code 1.
pub(crate) fn fail(e: &conclave_core::error::Error, lang: Lang) -> i32 {
    tracing::info!(code = e.code(), "refused");
    tell!("conclave: {}", e.message(lang));
    1
}

/// Reads `n` secrets from standard input, one per line (never from the
/// arguments, where they would show in `ps` and the shell's history).
pub(crate) fn read_secrets(n: usize, what: &str, lang: Lang) -> Result<Vec<String>, i32> {
    read_secrets_from(&mut std::io::stdin().lock(), n, what, lang)
}

/// [`read_secrets`] from any reader. A line may end in `\r\n` (a Windows
/// console, a file saved on Windows, `echo` in cmd.exe): the `\r` is not
/// part of the secret.
fn read_secrets_from(
    input: &mut impl std::io::BufRead,
    n: usize,
    what: &str,
    lang: Lang,
) -> Result<Vec<String>, i32> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(read) if read > 0 && !line.trim().is_empty() => {
                out.push(line.trim_end_matches(['\r', '\n']).to_string())
            }
            _ => {
                tell!("conclave: {}", Msg::CliSecretMissing { what: what.into() }.render(lang));
                return Err(2);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_read_the_same_with_crlf_and_lf() {
        let read = |text: &str, n| read_secrets_from(&mut text.as_bytes(), n, "x", Lang::En);
        let want = vec!["7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA".to_string(), "123456".to_string()];
        assert_eq!(read("7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\r\n123456\r\n", 2), Ok(want.clone()));
        assert_eq!(read("7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\n123456\n", 2), Ok(want.clone()));
        // The last line without its line end, as a pipe may give it.
        assert_eq!(read("7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\r\n123456", 2), Ok(want));
        // A blank line (CRLF alone) is a missing secret, not an empty one.
        assert_eq!(read("\r\n", 1), Err(2));
        assert_eq!(read("only-one\r\n", 2), Err(2));
    }
}
