//! The native file dialogs, or in the end-to-end tests the answer the test
//! left in a file (WebDriver cannot drive a native dialog).

use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

/// What the secretary wants to choose in the file dialog.
#[derive(Debug, Clone, Copy, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PickKind {
    /// A package folder (dossier.json, candidates.xlsx or candidates.xls inside).
    Folder,
    /// A zipped package.
    Zip,
    /// A committee roster (committee.json, committee.xlsx or committee.xls).
    Roster,
    /// A file to verify: a sealed PDF or a meeting archive.
    Sealed,
}

/// Environment variable the end-to-end tests set to answer the native file
/// dialog (which WebDriver cannot drive): it names a file that holds the path
/// to return, so a test can change the answer between clicks.
pub const PICK_ENV: &str = "CONCLAVE_TEST_PICK_FILE";

/// The end-to-end tests' answer to a file dialog, when they set one.
fn test_answer() -> Option<Option<String>> {
    let file = std::env::var_os(PICK_ENV)?;
    // No answer file (yet) means the test cancels the dialog.
    let Ok(answer) = std::fs::read_to_string(file) else { return Some(None) };
    let answer = answer.trim();
    Some((!answer.is_empty()).then(|| answer.to_string()))
}

#[tauri::command]
pub async fn pick_path(app: tauri::AppHandle, kind: PickKind) -> Option<String> {
    if let Some(answer) = test_answer() {
        return answer;
    }
    let dialog = app.dialog().file();
    let picked = match kind {
        PickKind::Folder => dialog.blocking_pick_folder(),
        PickKind::Zip => dialog.add_filter("zip", &["zip"]).blocking_pick_file(),
        PickKind::Roster => dialog.add_filter("JSON / Excel", &["json", "xlsx", "xls"]).blocking_pick_file(),
        PickKind::Sealed => dialog
            .add_filter("PDF / zip / PNG / JPEG", &["pdf", "zip", "png", "jpg", "jpeg"])
            .blocking_pick_file(),
    };
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

/// The save dialog (or the tests' answer): the path chosen, or `None`.
pub fn save_path(app: &tauri::AppHandle, filter: (&str, &[&str]), name: String) -> Option<String> {
    match test_answer() {
        Some(answer) => answer,
        None => app
            .dialog()
            .file()
            .add_filter(filter.0, filter.1)
            .set_file_name(name)
            .blocking_save_file()
            .and_then(|p| p.into_path().ok())
            .map(|p| p.display().to_string()),
    }
}
