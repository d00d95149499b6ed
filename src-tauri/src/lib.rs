//! Conclave's window: the Tauri shell over `conclave_core` (the commands, the
//! `conclave:` scheme, plugins), and the CLI, which uses the core only.

pub mod cli;
#[cfg(feature = "window")]
mod commands;
#[cfg(feature = "window")]
mod dialog;
#[cfg(feature = "window")]
mod opener;
#[cfg(feature = "window")]
mod protocol;
#[cfg(windows)]
pub mod windows;

#[cfg(feature = "window")]
use commands::AppState;
#[cfg(feature = "window")]
use tauri::Manager;

/// Logs what happened (imports, rounds, printing, refusals; never a ballot's
/// content or who cast it) to stderr, filtered by `RUST_LOG` (default: warn).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Opens the window.
#[cfg(feature = "window")]
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(protocol::Verified::default())
        .manage(commands::network::Network::default())
        .manage(commands::station::Station::default())
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
        // Every #[tauri::command] under src/, listed by build.rs (build/ipc.rs).
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/ipc_handler.rs")))
        .run(tauri::generate_context!());
    if let Err(e) = result {
        #[cfg(windows)]
        windows::refuse(&format!("cannot start the window: {e}"));
        #[cfg(not(windows))]
        eprintln!("conclave: cannot start the window: {e}");
        std::process::exit(1);
    }
}

/// A build without the window (the CLI and the meeting-room server only)
/// says so and exits when started without a subcommand.
#[cfg(not(feature = "window"))]
pub fn run() {
    cli::no_window();
}
