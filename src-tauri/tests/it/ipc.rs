//! The window's command list is written in five places (the handler in
//! lib.rs, build.rs's manifest, the capability, the commands themselves and
//! the UI's backend module): this test fails when any two disagree.

use std::collections::BTreeSet;

fn read(rel: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every `"name"` / `'name'` string between `start` and `end` that matches `pick`.
fn quoted(text: &str, start: &str, end: &str, quote: char) -> Vec<String> {
    let from = text.find(start).unwrap_or_else(|| panic!("{start} not found"));
    let body = &text[from..];
    let body = &body[..body.find(end).unwrap_or(body.len())];
    body.split(quote).skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn handler_manifest_capability_commands_and_ui_agree() {
    let lib = read("src/lib.rs");
    let from = lib.find("generate_handler![").expect("the handler");
    // Each entry's last path segment: `commands::documents::save_pdf` is `save_pdf`.
    let handler: BTreeSet<String> = lib
        [from + "generate_handler![".len()..lib[from..].find(']').expect("end") + from]
        .split(',')
        .filter_map(|item| item.trim().rsplit("::").next())
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    let build: BTreeSet<String> = quoted(&read("build.rs"), "let commands", "];", '"').into_iter().collect();
    let capability: BTreeSet<String> = quoted(&read("capabilities/main.json"), "\"permissions\"", "]", '"')
        .into_iter()
        .filter_map(|p| p.strip_prefix("allow-").map(|n| n.replace('-', "_")))
        .filter(|n| n != "set_fullscreen")
        .collect();
    let commands_rs = [
        "src/commands.rs",
        "src/commands/documents.rs",
        "src/commands/network.rs",
        "src/commands/station.rs",
        "src/dialog.rs",
    ]
    .map(read)
    .concat();
    let defined: BTreeSet<String> = commands_rs
        .split("#[tauri::command]")
        .skip(1)
        .filter_map(|s| s.split("fn ").nth(1))
        .map(|s| s.split(['(', '<']).next().unwrap_or("").trim().to_string())
        .collect();
    let backend = read("../ui/src/lib/backend.ts");
    let ui: BTreeSet<String> =
        backend.split("call<").skip(1).filter_map(|s| s.split('\'').nth(1)).map(str::to_string).collect();
    assert!(!handler.is_empty());
    assert_eq!(handler, build, "lib.rs's handler and build.rs's manifest");
    assert_eq!(handler, capability, "lib.rs's handler and capabilities/main.json");
    assert_eq!(
        handler, defined,
        "lib.rs's handler and the #[tauri::command]s in commands.rs, commands/*.rs and dialog.rs"
    );
    let missing: Vec<_> = ui.difference(&handler).collect();
    assert!(missing.is_empty(), "the UI calls commands the window does not have: {missing:?}");
    let unused: Vec<_> = handler.difference(&ui).filter(|c| *c != "pick_path").collect();
    assert!(unused.is_empty(), "commands no UI code calls: {unused:?}");
}
