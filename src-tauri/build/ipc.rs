//! The window's IPC surface, declared once: the `#[tauri::command]` functions
//! under `src/`. Everything else that names a command follows from them:
//!
//! - the handler list (`$OUT_DIR/ipc_handler.rs`, included by `lib.rs`);
//! - the build manifest (one `allow-*` permission per command);
//! - the capability the window runs with (`capabilities/main.json`);
//! - the UI's typed calls (`ui/src/bindings/commands.ts`).
//!
//! `build.rs` writes them; `tests/it/ipc.rs` fails when the committed files
//! are not what this module makes of the commands. Used by both through
//! `#[path]`, so it depends on `syn` and `quote` only.

#![allow(dead_code)] // build.rs reads less of a command than the test does

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One `#[tauri::command]`.
#[derive(Clone)]
pub struct Command {
    /// `commands::station`, `dialog`.
    pub module: String,
    pub name: String,
    pub is_async: bool,
    /// The Rust doc comment, line by line.
    pub docs: Vec<String>,
    /// Arguments the UI sends, in order (Tauri's own injected ones left out).
    pub args: Vec<(String, syn::Type)>,
    /// What the UI receives: `T` of `Reply<T>` / `Result<T, _>`, or the plain type.
    pub returns: Option<syn::Type>,
    /// The body's tokens, for the test that disk work is async.
    pub body: String,
}

/// Arguments Tauri injects itself; the UI never sends them.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

/// The commands under `root/src`, sorted by module and then as written.
pub fn commands(root: &Path) -> Result<Vec<Command>, String> {
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files)?;
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        if !text.contains("tauri::command") {
            continue;
        }
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let module = module_path(&root.join("src"), &file);
        for item in parsed.items {
            let syn::Item::Fn(f) = item else { continue };
            if !f.attrs.iter().any(is_command_attr) {
                continue;
            }
            out.push(command(&module, &f)?);
        }
    }
    Ok(out)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// `src/commands/station.rs` is `commands::station`; `src/dialog.rs` is `dialog`.
fn module_path(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.into_iter().filter(|p| p != "mod").collect::<Vec<_>>().join("::")
}

fn is_command_attr(a: &syn::Attribute) -> bool {
    let segs: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
    segs == ["tauri", "command"]
}

fn command(module: &str, f: &syn::ItemFn) -> Result<Command, String> {
    let name = f.sig.ident.to_string();
    let mut args = Vec::new();
    for input in &f.sig.inputs {
        let syn::FnArg::Typed(pt) = input else {
            return Err(format!("{name}: a command takes no self"));
        };
        let syn::Pat::Ident(id) = &*pt.pat else {
            return Err(format!("{name}: arguments must be plain names"));
        };
        if INJECTED.contains(&last_ident(&pt.ty).as_str()) {
            continue;
        }
        args.push((id.ident.to_string(), (*pt.ty).clone()));
    }
    let returns = match &f.sig.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, ty) => match last_ident(ty).as_str() {
            "Reply" | "Result" => generic_args(ty).into_iter().next(),
            _ => Some((**ty).clone()),
        },
    };
    let docs = f
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                    Some(s.value().trim().to_string())
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    let body = quote::ToTokens::to_token_stream(&f.block).to_string();
    Ok(Command {
        module: module.to_string(),
        name,
        is_async: f.sig.asyncness.is_some(),
        docs,
        args,
        returns,
        body,
    })
}

fn last_ident(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        syn::Type::Reference(r) => last_ident(&r.elem),
        _ => String::new(),
    }
}

fn generic_args(ty: &syn::Type) -> Vec<syn::Type> {
    let syn::Type::Path(p) = ty else { return Vec::new() };
    let Some(last) = p.path.segments.last() else { return Vec::new() };
    let syn::PathArguments::AngleBracketed(ab) = &last.arguments else { return Vec::new() };
    ab.args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// `tauri::generate_handler![crate::commands::app_info, …]`.
pub fn handler(commands: &[Command]) -> String {
    let paths: Vec<String> = commands.iter().map(|c| format!("crate::{}::{}", c.module, c.name)).collect();
    format!("tauri::generate_handler![\n    {},\n]\n", paths.join(",\n    "))
}

/// The capability the main window runs with: every command, and nothing
/// else but events and full screen (file dialogs are opened by the core).
pub fn capability(commands: &[Command]) -> String {
    let mut permissions =
        vec!["core:event:default".to_string(), "core:window:allow-set-fullscreen".to_string()];
    permissions.extend(commands.iter().map(|c| format!("allow-{}", c.name.replace('_', "-"))));
    let list: Vec<String> = permissions.iter().map(|p| format!("    \"{p}\"")).collect();
    format!(
        "{{\n  \"identifier\": \"main\",\n  \"description\": \"The main window: only the app's own commands \
         (generated by build.rs from the #[tauri::command]s; do not edit).\",\n  \"windows\": [\"main\"],\n  \
         \"permissions\": [\n{}\n  ]\n}}\n",
        list.join(",\n")
    )
}

/// `snake_case` as Tauri sends argument names: `camelCase`.
pub fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for ch in s.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The TypeScript of a Rust type; named types are collected into `imports`
/// (ts-rs writes each to `ui/src/bindings/<Name>.ts`).
fn ts(ty: &syn::Type, imports: &mut std::collections::BTreeSet<String>) -> Result<String, String> {
    match ty {
        syn::Type::Reference(r) => ts(&r.elem, imports),
        syn::Type::Tuple(t) if t.elems.is_empty() => Ok("void".into()),
        syn::Type::Tuple(t) => {
            let items: Result<Vec<String>, String> = t.elems.iter().map(|e| ts(e, imports)).collect();
            Ok(format!("[{}]", items?.join(", ")))
        }
        syn::Type::Array(a) => {
            let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(n), .. }) = &a.len else {
                return Err("an array's length must be a number".into());
            };
            let n: usize = n.base10_parse().map_err(|e| e.to_string())?;
            let item = ts(&a.elem, imports)?;
            Ok(format!("[{}]", vec![item; n].join(", ")))
        }
        syn::Type::Path(_) => {
            let name = last_ident(ty);
            let args = generic_args(ty);
            let arg = |i: usize, imports: &mut std::collections::BTreeSet<String>| {
                args.get(i).ok_or_else(|| format!("{name} without its type")).and_then(|t| ts(t, imports))
            };
            Ok(match name.as_str() {
                "String" | "str" | "PathBuf" => "string".into(),
                "bool" => "boolean".into(),
                "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" | "f32"
                | "f64" => "number".into(),
                "Option" => format!("{} | null", arg(0, imports)?),
                "Vec" => {
                    let item = arg(0, imports)?;
                    if item.contains(' ') {
                        format!("({item})[]")
                    } else {
                        format!("{item}[]")
                    }
                }
                "BTreeMap" | "HashMap" => format!("Record<{}, {}>", arg(0, imports)?, arg(1, imports)?),
                _ => {
                    imports.insert(name.clone());
                    name
                }
            })
        }
        _ => Err("a command's argument or reply must be a named type, tuple or array".into()),
    }
}

/// `ui/src/bindings/commands.ts`: one typed function per command, in the
/// order of the commands; trailing optional arguments default to `null`.
pub fn typescript(commands: &[Command]) -> Result<String, String> {
    let mut imports = std::collections::BTreeSet::new();
    let mut body = String::new();
    for c in commands {
        let mut params = Vec::new();
        let mut sent = Vec::new();
        let optional_from = c.args.iter().rposition(|(_, t)| last_ident(t) != "Option").map_or(0, |i| i + 1);
        for (i, (name, ty)) in c.args.iter().enumerate() {
            let js = camel(name);
            if last_ident(ty) == "Channel" {
                let msg = ts(generic_args(ty).first().ok_or("Channel without its type")?, &mut imports)?;
                params.push(format!("{js}: (message: {msg}) => void"));
                sent.push(format!("{js}: channel({js})"));
                continue;
            }
            let t = ts(ty, &mut imports).map_err(|e| format!("{}: {name}: {e}", c.name))?;
            params.push(if i >= optional_from { format!("{js}: {t} = null") } else { format!("{js}: {t}") });
            sent.push(js);
        }
        let reply = match &c.returns {
            Some(t) => ts(t, &mut imports).map_err(|e| format!("{}: {e}", c.name))?,
            None => "void".into(),
        };
        if !c.docs.is_empty() {
            let _ = writeln!(body, "  /**");
            for line in &c.docs {
                let _ = writeln!(
                    body,
                    "   *{}{}",
                    if line.is_empty() { "" } else { " " },
                    line.replace("*/", "* /")
                );
            }
            let _ = writeln!(body, "   */");
        }
        let args = if sent.is_empty() { String::new() } else { format!(", {{ {} }}", sent.join(", ")) };
        let _ = writeln!(
            body,
            "  {}: ({}): Promise<{reply}> => call<{reply}>('{}'{args}),",
            camel(&c.name),
            params.join(", "),
            c.name
        );
    }
    let mut out = String::from(
        "// Generated by src-tauri/build.rs from the #[tauri::command]s (src-tauri/build/ipc.rs).\n\
         // Do not edit: change the command, and build.\n\
         import { call, channel } from '../lib/ipc';\n",
    );
    for name in &imports {
        let _ = writeln!(out, "import type {{ {name} }} from './{name}';");
    }
    let _ = write!(out, "\nexport const commands = {{\n{body}}};\n");
    Ok(out)
}

/// Writes `text` to `path` only when it differs, so an unchanged build
/// touches nothing in the source tree.
pub fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
