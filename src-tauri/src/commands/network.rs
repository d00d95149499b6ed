//! 开启会场网络: the meeting-room server inside the window, on Tauri's tokio
//! runtime; the members' terminals; the candidate the chair presents.

use super::{AppState, Reply};
use conclave_core::api::{self, terminals};
use conclave_core::error::Error;
use conclave_core::i18n::Msg;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

/// The server as the meeting screen shows it (and the projector).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct NetworkStatus {
    pub running: bool,
    /// `https://HOST:PORT/t/` while running.
    pub url: Option<String>,
    pub fingerprint: Option<String>,
    /// Its first 8 pairs, shown large for the members to compare.
    pub fingerprint_start: Option<String>,
    /// The address as a QR code, an SVG document.
    pub qr_svg: Option<String>,
    /// What can be picked to listen on: this machine's LAN addresses, then
    /// every interface, then this machine only.
    pub addresses: Vec<String>,
    pub terminals: Vec<terminals::TerminalStatus>,
    /// The address the printed terminal cards carry, when any were printed.
    pub cards_url: Option<String>,
}

/// The running server and the meeting it serves.
#[derive(Default)]
pub struct Network(tokio::sync::Mutex<Option<(String, conclave_server::Running)>>);

fn addresses() -> Vec<String> {
    let mut out: Vec<String> =
        conclave_server::lan_addresses().into_iter().map(|ip| ip.to_string()).collect();
    out.push("0.0.0.0".into());
    out.push("127.0.0.1".into());
    out
}

async fn status(state: &AppState, network: &Network, id: &str) -> Reply<NetworkStatus> {
    let guard = network.0.lock().await;
    let running = guard.as_ref().filter(|(m, _)| m == id).map(|(_, r)| r);
    let (terminals, cards_url) =
        state.with_meeting(id, |conn| Ok((terminals::status(conn)?, terminals::host::cards_url(conn)?)))?;
    Ok(NetworkStatus {
        running: running.is_some(),
        url: running.map(|r| r.url.clone()),
        fingerprint: running.map(|r| r.fingerprint.clone()),
        fingerprint_start: running.map(|r| api::terminals::fingerprint_start(&r.fingerprint)),
        qr_svg: running.map(|r| terminals::qr_svg(&r.url)),
        addresses: addresses(),
        terminals,
        cards_url,
    })
}

#[tauri::command]
pub async fn network_status(
    state: State<'_, AppState>,
    network: State<'_, Network>,
    id: String,
) -> Reply<NetworkStatus> {
    status(&state, &network, &id).await
}

/// Starts the server for meeting `id` on `address`:`port` (stopping one
/// that serves another meeting).
#[tauri::command]
pub async fn start_network(
    state: State<'_, AppState>,
    network: State<'_, Network>,
    id: String,
    address: String,
    port: u16,
) -> Reply<NetworkStatus> {
    let lang = state.lang();
    let ip: std::net::IpAddr = address.trim().parse().map_err(|_| {
        Error::invalid("address", Msg::ServerNotStarted { detail: address.clone() }).to_api(lang)
    })?;
    let db = api::meeting::meeting_dir(&state.data_dir, &id)
        .map_err(|e| state.err(e))?
        .join(conclave_core::store::DB_FILE);
    {
        let mut guard = network.0.lock().await;
        if let Some((_, old)) = guard.take() {
            old.stop().await;
        }
        let options = conclave_server::Options { db, listen: std::net::SocketAddr::new(ip, port) };
        let running = conclave_server::start(options).await.map_err(|e| {
            Error::invalid("network", Msg::ServerNotStarted { detail: e.to_string() }).to_api(lang)
        })?;
        tracing::info!(url = %running.url, "meeting-room network on");
        *guard = Some((id.clone(), running));
    }
    status(&state, &network, &id).await
}

/// Stops the server (leaving the meeting, or 关闭会场网络).
#[tauri::command]
pub async fn stop_network(network: State<'_, Network>) -> Reply<()> {
    if let Some((_, running)) = network.0.lock().await.take() {
        running.stop().await;
    }
    Ok(())
}

#[tauri::command]
pub async fn revoke_terminal(state: State<'_, AppState>, id: String, member: String) -> Reply<()> {
    state.in_meeting(&id, move |conn| terminals::revoke(conn, &member)).await
}

/// The chair presents `candidate` (or stops): terminals that follow show it.
#[tauri::command]
pub async fn set_presenting(state: State<'_, AppState>, id: String, candidate: Option<String>) -> Reply<()> {
    state.in_meeting(&id, move |conn| terminals::set_presenting(conn, candidate.as_deref())).await
}
