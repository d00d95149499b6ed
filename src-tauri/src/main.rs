//! The one `conclave` binary: with a subcommand it is the CLI (no display
//! needed), without one it opens the window.

// Keep a console for the CLI; the GUI build on Windows would hide it instead.
fn main() {
    conclave_lib::init_tracing();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if conclave_lib::cli::wants_cli(&args) {
        std::process::exit(conclave_lib::cli::run(args));
    }
    if let Some(code) = conclave_lib::cli::no_display() {
        std::process::exit(code);
    }
    conclave_lib::run();
}
