//! The Tauri commands: each forwards to `api::*` and turns errors into
//! [`ApiError`]s in the UI language. Printing, the archive and verify are
//! in [`documents`].

pub mod documents;
pub mod network;
pub mod standard;
pub mod station;

use conclave_core::api;
use conclave_core::api::candidates::CandidateDetail;
use conclave_core::domain::meeting::{MeetingSummary, NewMeeting};
use conclave_core::error::{ApiError, Error};
use conclave_core::i18n::Lang;
use conclave_core::package::{Limits, Progress, ReportText};
use conclave_core::settings::Settings;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

/// What every command can reach.
pub struct AppState {
    pub data_dir: PathBuf,
    pub settings: Mutex<Settings>,
    /// Set to cancel the running import.
    pub cancel_import: Arc<AtomicBool>,
    /// One import at a time.
    pub importing: Arc<Mutex<()>>,
}

impl AppState {
    pub(crate) fn lang(&self) -> Lang {
        self.settings.lock().unwrap_or_else(std::sync::PoisonError::into_inner).lang
    }

    pub(crate) fn err(&self, e: Error) -> ApiError {
        e.to_api(self.lang())
    }
}

pub(crate) type Reply<T> = Result<T, ApiError>;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo { version: env!("CARGO_PKG_VERSION").into(), data_dir: state.data_dir.display().to_string() }
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: Lang) -> Reply<Settings> {
    let next = Settings { lang };
    let (saved, data_dir) = (next.clone(), state.data_dir.clone());
    blocking(lang, move || saved.save(&data_dir)).await?;
    *state.settings.lock().map_err(|_| state.err(poisoned()))? = next.clone();
    Ok(next)
}

#[tauri::command]
pub async fn list_meetings(state: State<'_, AppState>) -> Reply<Vec<MeetingSummary>> {
    let data_dir = state.data_dir.clone();
    blocking(state.lang(), move || api::meeting::list(&data_dir)).await
}

/// Creates a meeting with the secretary's own PIN, typed twice.
#[tauri::command]
pub async fn create_meeting(
    state: State<'_, AppState>,
    input: NewMeeting,
    secretary_pin: [String; 2],
) -> Reply<MeetingSummary> {
    let data_dir = state.data_dir.clone();
    blocking(state.lang(), move || {
        let [pin, again] = &secretary_pin;
        api::meeting::create(&data_dir, &input, Some((pin.as_str(), again.as_str())))
    })
    .await
}

#[tauri::command]
pub async fn get_meeting(state: State<'_, AppState>, id: String) -> Reply<MeetingSummary> {
    let data_dir = state.data_dir.clone();
    blocking(state.lang(), move || api::meeting::get(&data_dir, &id)).await
}

fn poisoned() -> Error {
    Error::Io { path: "settings".into(), source: std::io::Error::other("lock poisoned") }
}

#[tauri::command]
pub async fn import_package(
    state: State<'_, AppState>,
    id: String,
    path: String,
    on_progress: Channel<Progress>,
) -> Reply<ReportText> {
    let lang = state.lang();
    let db = api::meeting::meeting_dir(&state.data_dir, &id)
        .map(|d| d.join(conclave_core::store::DB_FILE))
        .map_err(|e| e.to_api(lang))?;
    let cancel = state.cancel_import.clone();
    let importing = state.importing.clone();
    blocking(lang, move || {
        let _one_at_a_time = importing.lock();
        cancel.store(false, Ordering::Relaxed);
        let mut last = std::time::Instant::now();
        let mut progress = |p: Progress| {
            if last.elapsed().as_millis() >= 50 || p.files_done == p.files_total {
                last = std::time::Instant::now();
                let _ = on_progress.send(p);
            }
        };
        api::import::import(&db, std::path::Path::new(&path), &Limits::default(), &mut progress, &cancel)
    })
    .await
    .map(|report| report.render(lang))
}

#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    state.cancel_import.store(true, Ordering::Relaxed);
}

#[tauri::command]
pub async fn meeting_contents(
    state: State<'_, AppState>,
    id: String,
) -> Reply<api::candidates::MeetingContents> {
    state.in_meeting(&id, move |conn| api::candidates::contents(conn)).await
}

#[tauri::command]
pub async fn get_candidate(
    state: State<'_, AppState>,
    id: String,
    candidate: String,
) -> Reply<CandidateDetail> {
    state.in_meeting(&id, move |conn| api::candidates::detail(conn, &candidate)).await
}

/// Re-hashes an evidence file and, when unchanged, lets the `conclave:`
/// scheme serve it; returns its MIME type.
#[tauri::command]
pub async fn open_evidence(
    state: State<'_, AppState>,
    verified: State<'_, crate::protocol::Verified>,
    id: String,
    sha256: String,
) -> Reply<String> {
    let data_dir = state.data_dir.clone();
    let (m, s) = (id.clone(), sha256.clone());
    let opened = blocking(state.lang(), move || api::evidence::open(&data_dir, &m, &s)).await?;
    verified.allow(&id, &sha256, opened.path, opened.mime.clone());
    Ok(opened.mime)
}

impl AppState {
    /// Runs `f` on meeting `id`'s database off the UI thread (casting
    /// encrypts and proves, closing compacts the file), errors in the UI language.
    async fn in_meeting<T: Send + 'static>(
        &self,
        id: &str,
        f: impl FnOnce(&mut conclave_core::store::Meeting) -> conclave_core::error::Result<T> + Send + 'static,
    ) -> Reply<T> {
        let (data_dir, id) = (self.data_dir.clone(), id.to_string());
        blocking(self.lang(), move || api::meeting::open(&data_dir, &id).and_then(|mut conn| f(&mut conn)))
            .await
    }

    /// Runs `f` on meeting `id`'s database, errors in the UI language.
    pub(crate) fn with_meeting<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut conclave_core::store::Meeting) -> conclave_core::error::Result<T>,
    ) -> Reply<T> {
        api::meeting::open(&self.data_dir, id).and_then(|mut conn| f(&mut conn)).map_err(|e| self.err(e))
    }
}

#[tauri::command]
pub async fn meeting_session(state: State<'_, AppState>, id: String) -> Reply<api::voting::SessionView> {
    state.in_meeting(&id, move |conn| api::voting::session_view(conn)).await
}

/// 核验被检验的选票: the meeting's audited (spoiled) ballots.
#[tauri::command]
pub async fn audited_ballots(state: State<'_, AppState>, id: String) -> Reply<Vec<api::voting::Audited>> {
    state.in_meeting(&id, move |conn| api::voting::audited(conn)).await
}

/// What an audited ballot encrypted, read with its released randomness.
#[tauri::command]
pub async fn check_audited_ballot(
    state: State<'_, AppState>,
    id: String,
    round: i64,
    tracker: String,
) -> Reply<api::voting::AuditedCheck> {
    state.in_meeting(&id, move |conn| api::voting::check_audited(conn, round, &tracker)).await
}

#[tauri::command]
pub async fn set_rules(
    state: State<'_, AppState>,
    id: String,
    rules: conclave_core::domain::rules::Rules,
) -> Reply<()> {
    state.in_meeting(&id, move |conn| api::session::set_rules(conn, &rules)).await
}

#[tauri::command]
pub async fn set_presence(
    state: State<'_, AppState>,
    id: String,
    member: String,
    present: bool,
) -> Reply<()> {
    state.in_meeting(&id, move |conn| api::session::set_presence(conn, &member, present)).await
}

/// Signs in every member who is not present; returns how many.
#[tauri::command]
pub async fn sign_in_all(state: State<'_, AppState>, id: String) -> Reply<usize> {
    state.in_meeting(&id, api::session::sign_in_all).await
}

#[tauri::command]
pub async fn propose_recusals(state: State<'_, AppState>, id: String) -> Reply<usize> {
    state.in_meeting(&id, api::session::propose_recusals).await
}

#[tauri::command]
pub async fn set_recusal(
    state: State<'_, AppState>,
    id: String,
    member: String,
    candidate: String,
    confirmed: bool,
    reason: String,
) -> Reply<()> {
    state
        .in_meeting(&id, move |conn| api::session::set_recusal(conn, &member, &candidate, confirmed, &reason))
        .await
}

/// The chair's override that puts a barred candidate to the vote, with its reason.
#[tauri::command]
pub async fn override_eligibility(
    state: State<'_, AppState>,
    id: String,
    candidate: String,
    reason: String,
    pin: String,
) -> Reply<api::eligibility::Override> {
    state
        .in_meeting(&id, move |conn| api::eligibility::record_override(conn, &candidate, &reason, &pin))
        .await
}

/// Confirms (or dismisses) every undecided proposal at once; returns how many.
#[tauri::command]
pub async fn decide_all_recusals(state: State<'_, AppState>, id: String, confirmed: bool) -> Reply<usize> {
    state
        .in_meeting(&id, move |conn| api::session::decide_all_recusals(conn, confirmed).map(|d| d.len()))
        .await
}

/// The meeting checklist (会议进程): every step, done, to do or blocked, with why.
#[tauri::command]
pub async fn meeting_checklist(state: State<'_, AppState>, id: String) -> Reply<Vec<api::progress::Step>> {
    let lang = state.lang();
    state.in_meeting(&id, move |conn| api::progress::checklist(conn, lang)).await
}

/// Whether a round over `candidates` may open, asked before the PIN dialog:
/// a refusal in plain words, or whose PIN it takes (the dialog says so).
#[tauri::command]
pub async fn can_open_round(
    state: State<'_, AppState>,
    id: String,
    candidates: Vec<String>,
    reason: String,
) -> Reply<String> {
    let lang = state.lang();
    state
        .in_meeting(&id, move |conn| {
            api::voting::can_open(conn, &candidates, &reason).map(|p| p.prompt().render(lang))
        })
        .await
}

#[tauri::command]
pub async fn open_round(
    state: State<'_, AppState>,
    id: String,
    candidates: Vec<String>,
    reason: String,
    mode: api::voting::Mode,
    pin: String,
) -> Reply<i64> {
    state.in_meeting(&id, move |conn| api::voting::open_round(conn, &candidates, &reason, mode, &pin)).await
}

#[tauri::command]
pub async fn close_round(state: State<'_, AppState>, id: String, round: i64, pin: String) -> Reply<()> {
    state.in_meeting(&id, move |conn| api::voting::close_round(conn, round, &pin)).await
}

/// A generated trustee passphrase (≥ 80 bits, groups a person copies onto a
/// slip) for the trustees' form to propose; never stored or logged.
#[tauri::command]
pub async fn generate_passphrase() -> String {
    api::passphrase::generate()
}

/// Names the trustees; each passphrase was typed twice in the form.
#[tauri::command]
pub async fn setup_trustees(
    state: State<'_, AppState>,
    id: String,
    names: [String; 3],
    passphrases: [String; 3],
) -> Reply<Vec<api::trustees::Trustee>> {
    state
        .in_meeting(&id, move |conn| {
            let names = [names[0].as_str(), names[1].as_str(), names[2].as_str()];
            api::trustees::setup(conn, names, [&passphrases[0], &passphrases[1], &passphrases[2]])
        })
        .await
}

/// Two trustees count a closed round with their passphrases.
#[tauri::command]
pub async fn tally_round(
    state: State<'_, AppState>,
    id: String,
    round: i64,
    trustees: [(String, String); 2],
) -> Reply<()> {
    state
        .in_meeting(&id, move |conn| {
            let [(a, pa), (b, pb)] = &trustees;
            api::tally::tally_round(conn, round, [(a, pa), (b, pb)])
        })
        .await
}

#[tauri::command]
pub async fn confirm_round(state: State<'_, AppState>, id: String, round: i64, pin: String) -> Reply<()> {
    state.in_meeting(&id, move |conn| api::voting::confirm_round(conn, round, &pin)).await
}

/// Runs blocking work (hashing, zipping) off the UI thread; errors in `lang`.
pub(crate) async fn blocking<T: Send + 'static>(
    lang: Lang,
    f: impl FnOnce() -> conclave_core::error::Result<T> + Send + 'static,
) -> Reply<T> {
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(r) => r.map_err(|e| e.to_api(lang)),
        Err(e) => {
            Err(Error::Io { path: String::new(), source: std::io::Error::other(e.to_string()) }.to_api(lang))
        }
    }
}

/// One scrutineer's entry of a paper round's counts.
#[tauri::command]
pub async fn enter_paper_counts(
    state: State<'_, AppState>,
    id: String,
    round: i64,
    entry: u8,
    pin: String,
    counts: std::collections::BTreeMap<String, api::voting::PaperCount>,
) -> Reply<api::voting::PaperStatus> {
    state
        .in_meeting(&id, move |conn| api::voting::enter_paper_counts(conn, round, entry, &pin, &counts))
        .await
}
