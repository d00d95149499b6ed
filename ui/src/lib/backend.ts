// The one typed door to the Rust core. The calls are generated from the
// #[tauri::command]s by src-tauri/build.rs (../bindings/commands.ts), their
// types by ts-rs: neither is written by hand.
export { BackendError } from './ipc';
export { commands as backend } from '../bindings/commands';
