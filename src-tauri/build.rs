fn main() {
    // Each command gets an `allow-*` permission; capabilities/main.json grants
    // only those the UI uses. Keep this list in step with lib.rs's handler.
    let commands = &[
        "app_info",
        "get_settings",
        "set_language",
        "list_meetings",
        "create_meeting",
        "get_meeting",
        "pick_path",
        "import_package",
        "cancel_import",
        "meeting_contents",
        "get_candidate",
        "open_evidence",
        "meeting_session",
        "set_rules",
        "set_presence",
        "propose_recusals",
        "set_recusal",
        "decide_all_recusals",
        "override_eligibility",
        "issue_pins",
        "open_round",
        "station_state",
        "unlock_station",
        "lock_station",
        "cast_ballot",
        "leave_kiosk",
        "enter_kiosk",
        "set_secretary_pin",
        "close_round",
        "confirm_round",
        "setup_trustees",
        "tally_round",
        "save_pdf",
        "enter_paper_counts",
        "export_archive",
        "open_archive",
        "verify_file",
        "network_status",
        "start_network",
        "stop_network",
        "revoke_terminal",
        "set_presenting",
    ];
    let attrs =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri-build failed: {e:#}");
    }
}
