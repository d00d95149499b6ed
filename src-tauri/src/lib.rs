//! Conclave's window: the Tauri shell over `conclave_core` (the commands, the
//! `conclave:` scheme, plugins), and the CLI, which uses the core only.

pub mod cli;
mod commands;
mod dialog;
mod protocol;

use commands::AppState;
use tauri::Manager;

/// Logs what happened (imports, rounds, printing, refusals; never a ballot's
/// content or who cast it) to stderr, filtered by `RUST_LOG` (default: warn).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Opens the window.
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(protocol::Verified::default())
        .manage(commands::network::Network::default())
        .manage(std::sync::Mutex::new(commands::station::Station::default()))
        .register_asynchronous_uri_scheme_protocol("conclave", |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            std::thread::spawn(move || {
                let verified = app.state::<protocol::Verified>();
                responder.respond(protocol::handle(&request, &verified));
            });
        })
        .setup(|app| {
            let data_dir = match conclave_core::settings::data_dir() {
                Some(d) => d,
                None => app.path().app_data_dir()?,
            };
            std::fs::create_dir_all(&data_dir)?;
            let settings = conclave_core::settings::Settings::load(&data_dir);
            app.manage(AppState {
                data_dir,
                settings: std::sync::Mutex::new(settings),
                cancel_import: Default::default(),
                importing: Default::default(),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::get_settings,
            commands::set_language,
            commands::list_meetings,
            commands::create_meeting,
            commands::get_meeting,
            dialog::pick_path,
            commands::import_package,
            commands::cancel_import,
            commands::meeting_contents,
            commands::get_candidate,
            commands::open_evidence,
            commands::meeting_session,
            commands::set_rules,
            commands::set_presence,
            commands::propose_recusals,
            commands::set_recusal,
            commands::decide_all_recusals,
            commands::override_eligibility,
            commands::issue_pins,
            commands::open_round,
            commands::station::station_state,
            commands::station::unlock_station,
            commands::station::lock_station,
            commands::station::cast_ballot,
            commands::station::leave_kiosk,
            commands::station::enter_kiosk,
            commands::station::set_secretary_pin,
            commands::close_round,
            commands::confirm_round,
            commands::setup_trustees,
            commands::tally_round,
            commands::documents::save_pdf,
            commands::enter_paper_counts,
            commands::documents::export_archive,
            commands::documents::open_archive,
            commands::documents::verify_file,
            commands::network::network_status,
            commands::network::start_network,
            commands::network::stop_network,
            commands::network::revoke_terminal,
            commands::network::set_presenting,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("conclave: cannot start the window: {e}");
        std::process::exit(1);
    }
}
