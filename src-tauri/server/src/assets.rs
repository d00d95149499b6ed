//! The terminal pages, built by Vite into `ui/dist` (the `terminal.html`
//! entry and the assets it shares with the window), embedded in the binary:
//! nothing is loaded from anywhere else. The window's own entry is not served.

use rust_embed::Embed;

#[derive(Embed)]
#[folder = "../../ui/dist/"]
#[exclude = "index.html"]
struct Dist;

/// The page every terminal loads.
pub const PAGE: &str = "terminal.html";

/// The bytes and type of an embedded file (`path` without the leading `/`).
pub fn get(path: &str) -> Option<(std::borrow::Cow<'static, [u8]>, &'static str)> {
    let file = Dist::get(path)?;
    Some((file.data, mime(path)))
}

fn mime(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "ttf" | "otf" => "font/otf",
        "json" => "application/json",
        "bcmap" | "pfb" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}
