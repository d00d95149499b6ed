//! The commands that print, export, open and verify sealed files, each
//! behind a file dialog.

use super::{blocking, AppState, Reply};
use crate::dialog::{pick_path, save_path, PickKind};
use conclave_core::api;
use conclave_core::domain::meeting::MeetingSummary;
use conclave_core::error::Error;
use conclave_core::i18n::Msg;
use serde::Serialize;
use std::path::PathBuf;
use tauri::State;
use ts_rs::TS;

/// The 公示 period as the window sends it: the start, and the end only where
/// the bundled calendar has no data.
#[derive(Debug, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PeriodArg {
    start: String,
    end: Option<String>,
}

/// Two trustees' names and passphrases, held until the call ends and then zeroized.
type TrusteePair = [(String, zeroize::Zeroizing<String>); 2];

fn trustee_pair(given: Option<[(String, String); 2]>) -> Option<TrusteePair> {
    given.map(|[(a, pa), (b, pb)]| [(a, zeroize::Zeroizing::new(pa)), (b, zeroize::Zeroizing::new(pb))])
}

fn as_strs(pair: &Option<TrusteePair>) -> Option<[(&str, &str); 2]> {
    pair.as_ref().map(|[(a, pa), (b, pb)]| [(a.as_str(), pa.as_str()), (b.as_str(), pb.as_str())])
}

fn sealer<'a>(
    chair: &'a Option<zeroize::Zeroizing<String>>,
    trustees: &'a Option<TrusteePair>,
) -> api::signing::Sealer<'a> {
    api::signing::Sealer { chair: chair.as_deref().map(String::as_str), trustees: as_strs(trustees) }
}

/// Prints `document` (for `round` where it has one) to where the user
/// chooses; returns the path written, or `None` when the dialog was cancelled.
/// Nothing is generated (no PIN issued, nothing logged) until a place is chosen.
/// With `open`, there is no dialog: the PDF goes to the meeting's `prints`
/// folder and opens in the system's PDF viewer, ready for its print dialog
/// (never for PIN slips or terminal cards, whose secrets must not stay in
/// the data folder).
#[tauri::command]
#[allow(clippy::too_many_arguments)] // the IPC call's arguments, as the window sends them
pub async fn save_pdf(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: String,
    document: api::documents::Document,
    round: Option<i64>,
    passphrase: Option<String>,
    period: Option<PeriodArg>,
    trustees: Option<[(String, String); 2]>,
    open: Option<bool>,
) -> Reply<Option<String>> {
    let lang = state.lang();
    let round = round.unwrap_or(0);
    let open = open.unwrap_or(false);
    if open && matches!(document, api::documents::Document::Pins | api::documents::Document::TerminalCards) {
        return Err(state.err(Error::invalid("document", Msg::PrintHoldsSecrets)));
    }
    let passphrase = passphrase.map(zeroize::Zeroizing::new);
    let chair = passphrase.as_deref().map(String::as_str);
    let trustees = trustee_pair(trustees);
    let period = period.filter(|p| !p.start.trim().is_empty()).map(|p| api::print::PeriodRequest {
        start: p.start,
        end: p.end,
        days: None,
    });
    // Terminal cards carry the address the meeting-room server last started on.
    let options = api::documents::Options { chair, trustees: as_strs(&trustees), period, url: None };
    // A wrong or missing passphrase, a bad date: said before the dialog opens.
    state.with_meeting(&id, |conn| document.ready(conn, round, lang, &options))?;
    let name = document.file_name(round, lang);
    let path = if open {
        let prints =
            api::meeting::meeting_dir(&state.data_dir, &id).map_err(|e| state.err(e))?.join("prints");
        std::fs::create_dir_all(&prints).map_err(|e| state.err(Error::io(&prints)(e)))?;
        prints.join(format!("{name}.pdf")).display().to_string()
    } else {
        let Some(path) = save_path(&app, ("PDF", &["pdf"]), format!("{name}.pdf")) else { return Ok(None) };
        path
    };
    let pdf = state.with_meeting(&id, |conn| document.render(conn, round, lang, &options))?;
    std::fs::write(&path, pdf).map_err(|e| state.err(Error::io(std::path::Path::new(&path))(e)))?;
    if open {
        crate::opener::open_to_print(std::path::Path::new(&path))
            .map_err(|_| state.err(Error::invalid("document", Msg::NoPdfViewer { path: path.clone() })))?;
    }
    Ok(Some(path))
}

/// What a one-member print makes: a fresh PIN slip, or a fresh terminal card.
#[derive(Debug, Clone, Copy, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OneMember {
    PinSlip,
    TerminalCard,
}

/// Re-issues one member's PIN slip or terminal card and prints it to where
/// the user chooses; every other member's stays as it was. `None` when the
/// dialog was cancelled (nothing is issued then).
#[tauri::command]
pub async fn save_one_member(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: String,
    what: OneMember,
    member: String,
) -> Reply<Option<String>> {
    let lang = state.lang();
    state.with_meeting(&id, |conn| match what {
        OneMember::PinSlip => api::session::attendance(conn)?
            .into_iter()
            .find(|a| a.id == member && a.present)
            .map(|_| ())
            .ok_or_else(|| Error::invalid("member", Msg::NotPresent { name: member.clone() })),
        OneMember::TerminalCard => api::cards::terminal_cards_url(conn, None),
    })?;
    let document = match what {
        OneMember::PinSlip => api::documents::Document::Pins,
        OneMember::TerminalCard => api::documents::Document::TerminalCards,
    };
    let name = format!("{}-{member}", document.file_name(0, lang));
    let Some(path) = save_path(&app, ("PDF", &["pdf"]), format!("{name}.pdf")) else { return Ok(None) };
    let pdf = state.with_meeting(&id, |conn| match what {
        OneMember::PinSlip => api::print::pin_slip(conn, &member, lang),
        OneMember::TerminalCard => api::cards::terminal_card(conn, &member, None, lang),
    })?;
    std::fs::write(&path, pdf).map_err(|e| state.err(Error::io(std::path::Path::new(&path))(e)))?;
    Ok(Some(path))
}

/// Saves the auditor's verifier (`verifier.html`: one self-contained page
/// that checks an archive in any current browser, with no install and no
/// network; the same copy every archive holds) to where the user chooses.
#[tauri::command]
pub async fn export_verifier(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<Option<String>> {
    let name = conclave_core::i18n::labels::label("verifier.file", state.lang());
    let Some(path) = save_path(&app, ("HTML", &["html"]), format!("{name}.html")) else { return Ok(None) };
    std::fs::write(&path, api::archive::VERIFIER_HTML)
        .map_err(|e| state.err(Error::io(std::path::Path::new(&path))(e)))?;
    Ok(Some(path))
}

/// Exports the meeting archive to where the user chooses, sealed by the
/// chair's passphrase or by two trustees' together.
#[tauri::command]
pub async fn export_archive(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: String,
    passphrase: Option<String>,
    trustees: Option<[(String, String); 2]>,
) -> Reply<Option<String>> {
    let lang = state.lang();
    let passphrase = passphrase.map(zeroize::Zeroizing::new);
    let trustees = trustee_pair(trustees);
    let summary = api::meeting::get(&state.data_dir, &id).map_err(|e| state.err(e))?;
    let default =
        format!("{}-{}.zip", summary.name, conclave_core::i18n::labels::label("archive.file", lang));
    state.with_meeting(&id, |conn| api::archive::ready_to_export(conn, sealer(&passphrase, &trustees)))?;
    let Some(path) = save_path(&app, ("zip", &["zip"]), default) else { return Ok(None) };
    let db = api::meeting::meeting_dir(&state.data_dir, &id)
        .map_err(|e| state.err(e))?
        .join(conclave_core::store::DB_FILE);
    let out = PathBuf::from(&path);
    blocking(lang, move || api::archive::export_sealed_by(&db, &out, lang, sealer(&passphrase, &trustees)))
        .await?;
    Ok(Some(path))
}

/// Opens an archive (chosen in a dialog) read-only; `None` when cancelled.
#[tauri::command]
pub async fn open_archive(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Reply<Option<MeetingSummary>> {
    let lang = state.lang();
    let Some(path) = pick_path(app, PickKind::Zip).await else { return Ok(None) };
    let data_dir = state.data_dir.clone();
    blocking(lang, move || api::archive::open(&data_dir, std::path::Path::new(&path), lang)).await.map(Some)
}

/// The verdict on a chosen file: a sealed PDF or an archive.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FileVerdict {
    pub path: String,
    pub authentic: bool,
    /// One line saying what the file is and that it checks, when it does.
    pub summary: Option<String>,
    pub problems: Vec<String>,
    /// A photo or scan of a page: what checks is the page's data, which the
    /// person must compare with the paper line by line.
    pub scan: bool,
}

#[tauri::command]
pub async fn verify_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    key: Option<String>,
) -> Reply<Option<FileVerdict>> {
    let lang = state.lang();
    let Some(path) = pick_path(app, PickKind::Sealed).await else { return Ok(None) };
    let p = PathBuf::from(&path);
    // The fingerprint printed on the signed minutes, when the user typed it.
    let key = key.filter(|k| !k.trim().is_empty());
    blocking(lang, move || {
        Ok(match api::verify::verify_file(&p, lang, key.as_deref()) {
            Ok(c) => FileVerdict {
                path,
                scan: matches!(c, api::verify::Checked::Scan(_)),
                authentic: c.authentic(),
                summary: c.summary(lang),
                problems: c.problems().to_vec(),
            },
            Err(e) => {
                let msg =
                    conclave_core::i18n::Msg::FileUnreadable { path: path.clone(), detail: e.to_string() };
                FileVerdict {
                    path,
                    authentic: false,
                    summary: None,
                    problems: vec![msg.render(lang)],
                    scan: false,
                }
            }
        })
    })
    .await
    .map(Some)
}
