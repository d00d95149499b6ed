//! The window's IPC surface is declared once, by the `#[tauri::command]`s
//! (build/ipc.rs). build.rs writes the handler, the capability and the UI's
//! calls from them; this test fails when a committed file says otherwise,
//! or when a command that touches the disk would run on the UI thread.
//! (svelte-check, in `npm test`, refuses a UI call no command answers.)

#[path = "../../build/ipc.rs"]
mod surface;

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn capability_and_ui_calls_follow_from_the_commands() {
    let commands = surface::commands(root()).expect("the commands parse");
    assert!(commands.len() >= 40, "found only {} commands", commands.len());
    assert_eq!(
        read("capabilities/main.json"),
        surface::capability(&commands),
        "capabilities/main.json is stale"
    );
    assert_eq!(
        read("../ui/src/bindings/commands.ts"),
        surface::typescript(&commands).expect("typed calls"),
        "ui/src/bindings/commands.ts is stale"
    );
    // No hand-kept list left to drift: lib.rs takes the generated handler,
    // build.rs the generated manifest.
    assert!(
        read("src/lib.rs").contains("ipc_handler.rs") && !read("src/lib.rs").contains("generate_handler![")
    );
    assert!(!read("build.rs").contains("\"app_info\""), "build.rs lists no commands by hand");
}

#[test]
fn commands_that_touch_the_disk_run_off_the_ui_thread() {
    // A synchronous command runs on the main thread; one that opens a
    // meeting, the data folder or a file would freeze the window meanwhile.
    let commands = surface::commands(root()).expect("the commands parse");
    let disk = ["api ::", "with_meeting", "in_meeting", "std :: fs", ". save (", "File ::"];
    let blocking: Vec<&str> = commands
        .iter()
        .filter(|c| !c.is_async && disk.iter().any(|d| c.body.contains(d)))
        .map(|c| c.name.as_str())
        .collect();
    assert!(blocking.is_empty(), "synchronous commands touching the disk: {blocking:?}");
    assert!(commands.iter().filter(|c| !c.is_async).count() <= 6, "only in-memory commands stay synchronous");
}
