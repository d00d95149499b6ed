//! The voting station's commands: each locks the window's
//! [`Kiosk`] (the rules are in the core) and runs the meeting's checks off
//! the UI thread.

use super::{AppState, Reply};
use conclave_core::api;
use conclave_core::api::voting::kiosk::Kiosk;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

/// The window's kiosk.
#[derive(Default)]
pub struct Station(std::sync::Mutex<Kiosk>);

fn kiosk<'a>(s: &'a State<'_, Station>) -> std::sync::MutexGuard<'a, Kiosk> {
    s.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the voting screen needs to know of the station.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StationState {
    /// The kiosk is in force for this round (it is until the chair lets the operator leave).
    pub kiosk: bool,
    /// The secretary can unlock for a member (a secretary's PIN is set).
    pub secretary_pin_set: bool,
}

#[tauri::command]
pub async fn station_state(
    state: State<'_, AppState>,
    st: State<'_, Station>,
    id: String,
    round: i64,
) -> Reply<StationState> {
    let secretary_pin_set = state.in_meeting(&id, |conn| api::secretary::is_set(conn)).await?;
    Ok(StationState { kiosk: kiosk(&st).in_force(&id, round), secretary_pin_set })
}

/// Unlocks the station for one member: `member` absent, `pin` is the
/// member's own; `member` given, `pin` is the secretary's.
#[tauri::command]
pub async fn unlock_station(
    state: State<'_, AppState>,
    st: State<'_, Station>,
    id: String,
    round: i64,
    pin: String,
    member: Option<String>,
) -> Reply<api::voting::Unlocked> {
    kiosk(&st).before_unlock().map_err(|e| state.err(e))?;
    let checked = state
        .in_meeting(&id, move |conn| {
            let how = match member.as_deref() {
                Some(m) => api::voting::Unlock::Secretary { pin: &pin, member: m },
                None => api::voting::Unlock::OwnPin(&pin),
            };
            Ok(api::voting::unlock(conn, round, how))
        })
        .await?;
    kiosk(&st).after_unlock(&id, round, checked).map_err(|e| state.err(e))
}

/// Locks the station again (the voter cancelled).
#[tauri::command]
pub fn lock_station(st: State<'_, Station>) {
    kiosk(&st).lock();
}

/// Casts the unlocked member's ballot; the reply comes only after the
/// ballot is durably stored, and the station is locked again.
#[tauri::command]
pub async fn cast_ballot(
    state: State<'_, AppState>,
    st: State<'_, Station>,
    id: String,
    round: i64,
    choices: std::collections::BTreeMap<String, api::voting::Choice>,
) -> Reply<api::voting::Receipt> {
    let member = kiosk(&st).voter(&id, round).map_err(|e| state.err(e))?;
    let receipt =
        state.in_meeting(&id, move |conn| api::voting::cast(conn, round, &member, &choices)).await?;
    kiosk(&st).lock();
    Ok(receipt)
}

/// Leaves the kiosk on the chair's PIN; returns who authorised.
#[tauri::command]
pub async fn leave_kiosk(
    state: State<'_, AppState>,
    st: State<'_, Station>,
    id: String,
    round: i64,
    pin: String,
) -> Reply<String> {
    let by = state.in_meeting(&id, move |conn| api::voting::leave_kiosk(conn, round, &pin)).await?;
    kiosk(&st).leave(&id, round);
    Ok(by)
}

/// Puts the kiosk back for the open round.
#[tauri::command]
pub fn enter_kiosk(st: State<'_, Station>, id: String, round: i64) {
    kiosk(&st).enter(&id, round);
}

/// Sets the secretary's PIN (typed twice); changing it needs the current one.
#[tauri::command]
pub async fn set_secretary_pin(
    state: State<'_, AppState>,
    id: String,
    current: Option<String>,
    pin: String,
    again: String,
) -> Reply<()> {
    state.in_meeting(&id, move |conn| api::secretary::set(conn, current.as_deref(), &pin, &again)).await
}
