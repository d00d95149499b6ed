//! Conclave: the domain core (import, meeting, ballot, tally, print, audit,
//! store) as a library, plus the Tauri shell that drives it.

pub mod api;
pub mod audit;
pub mod cli;
mod commands;
pub mod domain;
pub mod error;
pub mod fonts;
pub mod i18n;
pub mod package;
pub mod print;
mod protocol;
pub mod settings;
pub mod store;

use commands::AppState;
use tauri::Manager;

/// Opens the window.
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(protocol::Verified::default())
        .register_asynchronous_uri_scheme_protocol("conclave", |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            std::thread::spawn(move || {
                let verified = app.state::<protocol::Verified>();
                responder.respond(protocol::handle(&request, &verified));
            });
        })
        .setup(|app| {
            let default = app.path().app_data_dir()?;
            let data_dir = settings::data_dir(default);
            std::fs::create_dir_all(&data_dir)?;
            let settings = settings::Settings::load(&data_dir);
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
            commands::pick_path,
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
            commands::issue_pins,
            commands::member_by_pin,
            commands::open_round,
            commands::ballot_for,
            commands::cast_ballot,
            commands::close_round,
            commands::confirm_round,
            commands::save_pdf,
            commands::enter_paper_counts,
            commands::export_archive,
            commands::open_archive,
            commands::verify_file,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("conclave: cannot start the window: {e}");
        std::process::exit(1);
    }
}
