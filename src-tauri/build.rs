//! Builds the window: the IPC surface follows from the `#[tauri::command]`s
//! (see `build/ipc.rs`), then tauri-build makes the manifest and context.

#[cfg(feature = "window")]
#[path = "build/ipc.rs"]
mod ipc;

#[cfg(feature = "window")]
use std::path::Path;

fn main() {
    // The window-less build (no `window` feature) has no IPC surface to make.
    #[cfg(feature = "window")]
    window();
}

#[cfg(feature = "window")]
fn window() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build/ipc.rs");
    let commands = ipc::commands(root).unwrap_or_else(|e| panic!("reading the commands: {e}"));
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let generated = [
        (out.join("ipc_handler.rs"), ipc::handler(&commands)),
        (root.join("capabilities/main.json"), ipc::capability(&commands)),
        (
            root.join("../ui/src/bindings/commands.ts"),
            ipc::typescript(&commands).unwrap_or_else(|e| panic!("the UI's calls: {e}")),
        ),
    ];
    for (path, text) in &generated {
        ipc::write_if_changed(path, text).unwrap_or_else(|e| panic!("{e}"));
    }
    // Each command gets an `allow-*` permission; the capability grants them.
    // tauri-build wants `'static` names; a build script ends right after.
    let names: &'static [&'static str] =
        Vec::leak(commands.iter().map(|c| &*c.name.clone().leak()).collect());
    let attrs = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(names));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri-build failed: {e:#}");
    }
}
