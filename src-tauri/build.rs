fn main() {
    // Keep in step with commands::NAMES: each command gets an `allow-*`
    // permission, and capabilities/main.json grants only those the UI uses.
    let commands = &[
        "app_info",
        "get_settings",
        "set_language",
        "list_meetings",
        "create_meeting",
        "get_meeting",
    ];
    let attrs = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri-build failed: {e:#}");
    }
}
