//! The one `conclave` binary: with a subcommand it is the CLI (no display
//! needed), without one it opens the window.

// On Windows the binary is a GUI program, so a double-click opens no console
// window; started from a terminal with arguments it attaches to that terminal
// (conclave_lib::windows::console) so the CLI prints there.
#![cfg_attr(windows, windows_subsystem = "windows")]

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    #[cfg(windows)]
    let console = conclave_lib::windows::console(args.len() > 1);
    conclave_lib::init_tracing();
    if conclave_lib::cli::wants_cli(&args) {
        let code = conclave_lib::cli::run(args);
        #[cfg(windows)]
        console.restore();
        std::process::exit(code);
    }
    if let Some(code) = conclave_lib::cli::no_display() {
        std::process::exit(code);
    }
    conclave_lib::run();
}
