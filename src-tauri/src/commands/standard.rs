//! The application conditions (申报条件) and the posts (岗位结构比例) of a
//! meeting, as the rules card sets them before the first round.

use super::{AppState, Reply};
use conclave_core::api::standard::{self, StandardInfo};
use tauri::State;

#[tauri::command]
pub async fn meeting_standard(state: State<'_, AppState>, id: String) -> Reply<StandardInfo> {
    state.in_meeting(&id, move |conn| standard::info(conn)).await
}

/// The reference date (`None`: the meeting date) and whether 不符合 only flags.
#[tauri::command]
pub async fn set_standard(
    state: State<'_, AppState>,
    id: String,
    reference_date: Option<String>,
    flag_only: bool,
) -> Reply<StandardInfo> {
    state
        .in_meeting(&id, move |conn| {
            standard::set_reference_date(conn, reference_date.as_deref().filter(|d| !d.trim().is_empty()))?;
            standard::set_flag_only(conn, flag_only)
        })
        .await
}

/// The posts of one applied title; `None` removes the limit.
#[tauri::command]
pub async fn set_posts(
    state: State<'_, AppState>,
    id: String,
    title: String,
    posts: Option<u32>,
) -> Reply<StandardInfo> {
    state.in_meeting(&id, move |conn| standard::set_posts(conn, &title, posts)).await
}
