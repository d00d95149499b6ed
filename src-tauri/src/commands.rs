//! The Tauri commands: each forwards to `api::*` and turns errors into
//! [`ApiError`]s in the UI language.

use crate::api;
use crate::domain::meeting::{MeetingSummary, NewMeeting};
use crate::error::{ApiError, Error};
use crate::i18n::Lang;
use crate::settings::Settings;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::State;
use ts_rs::TS;

/// What every command can reach.
pub struct AppState {
    pub data_dir: PathBuf,
    pub settings: Mutex<Settings>,
}

impl AppState {
    fn lang(&self) -> Lang {
        self.settings.lock().map(|s| s.lang).unwrap_or_default()
    }

    fn err(&self, e: Error) -> ApiError {
        e.to_api(self.lang())
    }
}

type Reply<T> = Result<T, ApiError>;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        data_dir: state.data_dir.display().to_string(),
    }
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings.lock().map(|s| s.clone()).unwrap_or_default()
}

#[tauri::command]
pub fn set_language(state: State<'_, AppState>, lang: Lang) -> Reply<Settings> {
    let mut guard = state.settings.lock().map_err(|_| state.err(poisoned()))?;
    let next = Settings { lang };
    next.save(&state.data_dir).map_err(|e| e.to_api(lang))?;
    *guard = next.clone();
    Ok(next)
}

#[tauri::command]
pub fn list_meetings(state: State<'_, AppState>) -> Reply<Vec<MeetingSummary>> {
    api::meeting::list(&state.data_dir).map_err(|e| state.err(e))
}

#[tauri::command]
pub fn create_meeting(state: State<'_, AppState>, input: NewMeeting) -> Reply<MeetingSummary> {
    api::meeting::create(&state.data_dir, &input).map_err(|e| state.err(e))
}

#[tauri::command]
pub fn get_meeting(state: State<'_, AppState>, id: String) -> Reply<MeetingSummary> {
    api::meeting::get(&state.data_dir, &id).map_err(|e| state.err(e))
}

fn poisoned() -> Error {
    Error::Io {
        path: "settings".into(),
        source: std::io::Error::other("lock poisoned"),
    }
}
