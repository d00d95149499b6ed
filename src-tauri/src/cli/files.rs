//! The file-level commands: check and import packages, verify, print and
//! export documents, create a meeting.

use super::{fail, open_meeting, read_secrets, say, tell, warn_inline};
use conclave_core::api;
use conclave_core::i18n::{Lang, Msg};
use conclave_core::package::{Kind, Limits, Progress, Report};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub fn check(path: &Path, json: bool, lang: Lang) -> i32 {
    let report = api::import::check(path, &Limits::default(), &mut progress_printer());
    print_report(path, &report, json, lang);
    i32::from(!report.ok())
}

pub fn import(path: &Path, meeting: &Path, json: bool, lang: Lang) -> i32 {
    if !meeting.is_file() {
        tell!("{}", Msg::CliMeetingMissing { path: meeting.display().to_string() }.render(lang));
        return 2;
    }
    let cancel = std::sync::atomic::AtomicBool::new(false);
    match api::import::import(meeting, path, &Limits::default(), &mut progress_printer(), &cancel) {
        Ok(report) => {
            print_report(path, &report, json, lang);
            if report.ok() && !json {
                say!("{}", Msg::CliImported.render(lang));
            }
            i32::from(!report.ok())
        }
        Err(e) => fail(&e, lang),
    }
}

pub fn verify(file: &Path, json: bool, key: Option<&str>, scan: bool, lang: Lang) -> i32 {
    let checked = match api::verify::verify_file(file, lang, key) {
        // --scan says the file is a picture of a page: anything else is refused.
        Ok(c) if scan && !matches!(c, api::verify::Checked::Scan(_)) => {
            tell!("{}", Msg::ScanNotImage.render(lang));
            return 1;
        }
        Ok(c) => c,
        Err(e) => {
            let path = file.display().to_string();
            tell!("{}", Msg::FileUnreadable { path, detail: e.to_string() }.render(lang));
            return 2;
        }
    };
    if json {
        match checked.to_json() {
            Ok(json) => say!("{json}"),
            Err(e) => {
                tell!("conclave: {e}");
                return 1;
            }
        }
    } else {
        if let Some(s) = checked.summary(lang) {
            say!("{s}");
        }
        let steps = checked.step_lines(lang);
        if steps.is_empty() {
            for p in checked.problems() {
                say!("✗ {p}");
            }
        }
        // An archive, by the steps of docs/verification.md: a failure names
        // its step's number, then what differed.
        for line in steps {
            say!("{line}");
        }
    }
    i32::from(!checked.authentic())
}

/// Several archives (or folders of them): each verified in full, then one
/// table, a line per archive. Exit 0 when every one is authentic, 1 when
/// any is not, 2 when there is none to check.
pub fn verify_many(paths: &[PathBuf], json: bool, lang: Lang) -> i32 {
    use api::archive::overview::{archives_in, overview};
    let archives = match archives_in(paths) {
        Ok(a) if !a.is_empty() => a,
        Ok(_) => {
            tell!("{}", Msg::CliNoArchives.render(lang));
            return 2;
        }
        Err(e) => {
            let path = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
            tell!("{}", Msg::FileUnreadable { path, detail: e.to_string() }.render(lang));
            return 2;
        }
    };
    let lines: Vec<_> = archives.iter().map(|a| overview(a, lang)).collect();
    if json {
        match serde_json::to_string_pretty(&lines) {
            Ok(text) => say!("{text}"),
            Err(e) => {
                tell!("conclave: {e}");
                return 1;
            }
        }
    } else {
        say!("{}", Msg::CliVerifyManyHead.render(lang));
        let dash = "—".to_string();
        let count = |n: Option<usize>| n.map_or(dash.clone(), |n| n.to_string());
        for l in &lines {
            let result = if l.authentic {
                Msg::CliVerifyManyOk.render(lang)
            } else {
                Msg::CliVerifyManyFailed {
                    steps: l.failed_steps.join(" "),
                    problem: l.first_problem.clone().unwrap_or_default(),
                }
                .render(lang)
            };
            say!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                l.file,
                l.meeting.as_deref().unwrap_or(&dash),
                l.date.as_deref().unwrap_or(&dash),
                l.committee.as_deref().unwrap_or(&dash),
                count(l.confirmed_rounds),
                count(l.reached),
                result
            );
        }
        let bad = lines.iter().filter(|l| !l.authentic).count();
        say!("{}", Msg::CliVerifyManyTotal { total: lines.len(), bad }.render(lang));
    }
    i32::from(lines.iter().any(|l| !l.authentic))
}

#[allow(clippy::too_many_arguments)] // `conclave print`'s options, one each
pub fn print(
    document: &str,
    meeting: &Path,
    round: Option<i64>,
    out: &Path,
    period: Option<api::print::PeriodRequest>,
    url: Option<String>,
    trustees: &[String],
    lang: Lang,
) -> i32 {
    let Some(document) = api::documents::Document::from_cli(document) else { return 2 };
    let round = match (document.needs_round(), round) {
        (true, None) => {
            tell!("{}", Msg::CliRoundMissing.render(lang));
            return 2;
        }
        (_, r) => r.unwrap_or(0),
    };
    let mut conn = match open_meeting(meeting, lang) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (chair, trustees) = if document.sealed() {
        match sealer_secrets(&conn, trustees, lang) {
            Ok(s) => s,
            Err(code) => return code,
        }
    } else {
        (None, None)
    };
    let options = api::documents::Options { chair: chair.as_deref(), trustees: pair(&trustees), period, url };
    let pdf = document.render(&mut conn, round, lang, &options);
    match pdf.and_then(|pdf| std::fs::write(out, pdf).map_err(conclave_core::error::Error::io(out))) {
        Ok(()) => {
            say!("{}", out.display());
            0
        }
        Err(e) => fail(&e, lang),
    }
}

/// Two trustees' names with their passphrases, read from standard input.
type TrusteeSecrets = Option<[(String, String); 2]>;

/// Who seals, from standard input once the trustees are named (before the
/// key ceremony there is no key and nothing is read): the chair's
/// passphrase, or with `--trustee` twice, those two trustees' passphrases.
fn sealer_secrets(
    conn: &conclave_core::store::Connection,
    trustees: &[String],
    lang: Lang,
) -> Result<(Option<String>, TrusteeSecrets), i32> {
    match (api::signing::chair(conn), trustees) {
        (Err(e), _) => Err(fail(&e, lang)),
        (Ok(None), _) => Ok((None, None)),
        (Ok(Some(_)), []) => Ok((read_secrets(1, &Msg::ChairPassphraseWord.render(lang), lang)?.pop(), None)),
        (Ok(Some(_)), [a, b]) => {
            let mut s = read_secrets(2, &Msg::PassphraseWord.render(lang), lang)?.into_iter();
            let (pa, pb) = (s.next().unwrap_or_default(), s.next().unwrap_or_default());
            Ok((None, Some([(a.clone(), pa), (b.clone(), pb)])))
        }
        (Ok(Some(_)), _) => {
            tell!("conclave: {}", Msg::CliTwoNeeded { what: "--trustee".into() }.render(lang));
            Err(2)
        }
    }
}

fn pair(t: &TrusteeSecrets) -> Option<[(&str, &str); 2]> {
    t.as_ref().map(|[(a, pa), (b, pb)]| [(a.as_str(), pa.as_str()), (b.as_str(), pb.as_str())])
}

/// `receipt`: a member's tracker and chain head against an archive.
pub fn receipt(archive: &Path, tracker: &str, head: &str, lang: Lang) -> i32 {
    if !archive.is_file() {
        tell!(
            "{}",
            Msg::FileUnreadable { path: archive.display().to_string(), detail: "—".into() }.render(lang)
        );
        return 2;
    }
    let c = api::archive::receipt::check(archive, tracker, head, lang);
    let msg = match (&c, c.round, c.head.clone()) {
        (c, _, _) if !c.authentic => Msg::ReceiptArchiveNotAuthentic,
        (c, Some(round), Some(_)) if c.matches => {
            Msg::ReceiptFound { tracker: tracker.into(), round, head: head.into() }
        }
        (_, Some(round), Some(seen)) => {
            Msg::ReceiptHeadDiffers { tracker: tracker.into(), round, head: head.into(), seen }
        }
        _ => Msg::ReceiptMissing { tracker: tracker.into() },
    };
    say!("{}", msg.render(lang));
    i32::from(!c.matches)
}

pub fn export(meeting: &Path, out: &Path, trustees: &[String], lang: Lang) -> i32 {
    if !meeting.is_file() {
        tell!("{}", Msg::CliMeetingMissing { path: meeting.display().to_string() }.render(lang));
        return 2;
    }
    let (chair, trustees) =
        match open_meeting(meeting, lang).and_then(|conn| sealer_secrets(&conn, trustees, lang)) {
            Ok(s) => s,
            Err(code) => return code,
        };
    let sealer = api::signing::Sealer { chair: chair.as_deref(), trustees: pair(&trustees) };
    match api::archive::export_sealed_by(meeting, out, lang, sealer) {
        Ok(summary) => {
            say!("{}", out.display());
            say!("{}", Msg::ArchiveWritten { files: summary.files, bytes: summary.bytes }.render(lang));
            0
        }
        Err(e) => fail(&e, lang),
    }
}

pub fn new_meeting(
    name: String,
    date: String,
    level: &str,
    place: String,
    reference_date: Option<&str>,
    lang: Lang,
) -> i32 {
    let Some(data_dir) = data_dir(lang) else { return 1 };
    let level = conclave_core::domain::meeting::Level::parse(level)
        .unwrap_or(conclave_core::domain::meeting::Level::Senior);
    let input = conclave_core::domain::meeting::NewMeeting { name, level, date, place };
    match api::meeting::create_with_reference(&data_dir, &input, None, reference_date)
        .and_then(|m| api::meeting::meeting_dir(&data_dir, &m.id))
    {
        Ok(dir) => {
            say!("{}", dir.join(conclave_core::store::DB_FILE).display());
            0
        }
        Err(e) => fail(&e, lang),
    }
}

pub fn show_data_dir(lang: Lang) -> i32 {
    match data_dir(lang) {
        Some(d) => {
            say!("{}", d.display());
            0
        }
        None => 1,
    }
}

/// The app's data folder, the same as the window's.
fn data_dir(lang: Lang) -> Option<PathBuf> {
    let dir = conclave_core::settings::data_dir();
    if dir.is_none() {
        tell!("conclave: {}", Msg::CliNoDataDir.render(lang));
    }
    dir
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
                conclave_core::i18n::size(p.bytes_done),
                conclave_core::i18n::size(p.bytes_total)
            );
            if p.files_done == p.files_total {
                tell!();
            }
        }
    }
}

fn print_report(path: &Path, report: &Report, json: bool, lang: Lang) {
    let text = report.render(lang);
    if json {
        let mut v = match serde_json::to_value(&text) {
            Ok(v) => v,
            Err(e) => {
                tell!("conclave: {e}");
                return;
            }
        };
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
