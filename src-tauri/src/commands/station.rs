//! The voting station as a kiosk (design/terminals.md): while a station
//! round is open the window shows nothing but the ballot. A member unlocks
//! their ballot with their own PIN, or the secretary with the secretary's
//! PIN for a member picked from the list; the ballot cast is the unlocked
//! member's, never a member named by the page. Leaving the kiosk takes the
//! chair's PIN. Both are kept here, in the running app: a restart locks the
//! station and puts the kiosk back.

use super::{AppState, Reply};
use conclave_core::api;
use conclave_core::error::Error;
use conclave_core::i18n::Msg;
use serde::Serialize;
use std::collections::HashSet;
use tauri::State;
use ts_rs::TS;

/// The station's state in this window.
#[derive(Default)]
pub struct Station {
    /// The ballot unlocked now: (meeting, round, member).
    unlocked: Option<(String, i64, String)>,
    /// The rounds whose kiosk the chair let the operator leave: (meeting, round).
    left: HashSet<(String, i64)>,
    /// Wrong PINs typed in a row at the station, and until when it waits
    /// after [`TRIES`] of them: guessing a 6-digit PIN at the kiosk is slow.
    wrong: u32,
    cooling_until: Option<std::time::Instant>,
}

/// Wrong PINs in a row before the station waits [`COOLING`].
const TRIES: u32 = 5;
const COOLING: std::time::Duration = std::time::Duration::from_secs(30);

type Guard<'a> = std::sync::MutexGuard<'a, Station>;

fn station<'a>(s: &'a State<'_, std::sync::Mutex<Station>>) -> Guard<'a> {
    s.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
    st: State<'_, std::sync::Mutex<Station>>,
    id: String,
    round: i64,
) -> Reply<StationState> {
    let secretary_pin_set = state.in_meeting(&id, |conn| api::secretary::is_set(conn)).await?;
    Ok(StationState { kiosk: !station(&st).left.contains(&(id, round)), secretary_pin_set })
}

/// Unlocks the station for one member: `member` absent, `pin` is the
/// member's own; `member` given, `pin` is the secretary's.
#[tauri::command]
pub async fn unlock_station(
    state: State<'_, AppState>,
    st: State<'_, std::sync::Mutex<Station>>,
    id: String,
    round: i64,
    pin: String,
    member: Option<String>,
) -> Reply<api::voting::Unlocked> {
    {
        let mut s = station(&st);
        s.unlocked = None;
        if let Some(left) = s.cooling_until.and_then(|t| t.checked_duration_since(std::time::Instant::now()))
        {
            let seconds = left.as_secs() + 1;
            return Err(state.err(Error::invalid("pin", Msg::StationCooling { tries: TRIES, seconds })));
        }
    }
    let result = state
        .in_meeting(&id, move |conn| {
            let how = match member.as_deref() {
                Some(m) => api::voting::Unlock::Secretary { pin: &pin, member: m },
                None => api::voting::Unlock::OwnPin(&pin),
            };
            api::voting::unlock(conn, round, how)
        })
        .await;
    let mut s = station(&st);
    match result {
        Ok(unlocked) => {
            s.wrong = 0;
            s.unlocked = Some((id, round, unlocked.member_id.clone()));
            Ok(unlocked)
        }
        Err(e) => {
            if matches!(e.where_.as_str(), "pin" | "secretary_pin") {
                s.wrong += 1;
                if s.wrong >= TRIES {
                    s.wrong = 0;
                    s.cooling_until = Some(std::time::Instant::now() + COOLING);
                }
            }
            Err(e)
        }
    }
}

/// Locks the station again (the voter cancelled).
#[tauri::command]
pub fn lock_station(st: State<'_, std::sync::Mutex<Station>>) {
    station(&st).unlocked = None;
}

/// Casts the unlocked member's ballot; the reply comes only after the
/// ballot is durably stored, and the station is locked again.
#[tauri::command]
pub async fn cast_ballot(
    state: State<'_, AppState>,
    st: State<'_, std::sync::Mutex<Station>>,
    id: String,
    round: i64,
    choices: std::collections::BTreeMap<String, api::voting::Choice>,
) -> Reply<api::voting::Receipt> {
    let member = match &station(&st).unlocked {
        Some((m, r, member)) if *m == id && *r == round => member.clone(),
        _ => return Err(state.err(Error::invalid("station", Msg::StationLocked))),
    };
    let receipt =
        state.in_meeting(&id, move |conn| api::voting::cast(conn, round, &member, &choices)).await?;
    station(&st).unlocked = None;
    Ok(receipt)
}

/// Leaves the kiosk on the chair's PIN; returns who authorised.
#[tauri::command]
pub async fn leave_kiosk(
    state: State<'_, AppState>,
    st: State<'_, std::sync::Mutex<Station>>,
    id: String,
    round: i64,
    pin: String,
) -> Reply<String> {
    let by = state.in_meeting(&id, move |conn| api::voting::leave_kiosk(conn, round, &pin)).await?;
    let mut s = station(&st);
    s.unlocked = None;
    s.left.insert((id, round));
    Ok(by)
}

/// Puts the kiosk back for the open round.
#[tauri::command]
pub fn enter_kiosk(st: State<'_, std::sync::Mutex<Station>>, id: String, round: i64) {
    station(&st).left.remove(&(id, round));
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
