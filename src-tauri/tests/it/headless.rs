//! Running `conclave` headless as a test would a user: the binary with its
//! data folder and standard input, a meeting made from the fixtures up to an
//! open round, the PINs read back from the printed slips.

use crate::common::*;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub(crate) struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

std::thread_local! {
    /// Everything this test's calls logged (stderr at RUST_LOG=debug), and
    /// what `round cast` logged alone.
    pub(crate) static LOG: std::cell::RefCell<(String, String)> = const { std::cell::RefCell::new((String::new(), String::new())) };
}

/// Runs `conclave ARGS` with `stdin` as standard input, in `data` as the data
/// folder, logging all it does.
pub(crate) fn conclave(data: &Path, args: &[&str], stdin: &str) -> anyhow::Result<Out> {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("conclave"))
        .args(args)
        .env("CONCLAVE_DATA_DIR", data)
        .env("RUST_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes())?;
    let out = child.wait_with_output()?;
    LOG.with(|log| {
        let mut log = log.borrow_mut();
        let stderr = String::from_utf8_lossy(&out.stderr);
        log.0.push_str(&stderr);
        if args.starts_with(&["round", "cast"]) {
            log.1.push_str(&stderr);
        }
    });
    Ok(Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout)?,
        stderr: String::from_utf8(out.stderr)?,
    })
}

pub(crate) fn ok(data: &Path, args: &[&str], stdin: &str) -> anyhow::Result<String> {
    let out = conclave(data, args, stdin)?;
    anyhow::ensure!(out.code == 0, "conclave {args:?} exited {}: {}{}", out.code, out.stdout, out.stderr);
    Ok(out.stdout)
}

/// A new meeting with the fixtures' roster and dossiers imported.
pub(crate) fn new_meeting(data: &Path) -> anyhow::Result<PathBuf> {
    let db = ok(data, &["new-meeting", "2025年度实验系列高级职称评审会", "--date", "2026-12-01"], "")?;
    let db = PathBuf::from(db.trim());
    anyhow::ensure!(db.is_file(), "new-meeting prints the database path: {}", db.display());
    let m = db.to_str().expect("utf-8 path");
    for p in ["committee-25.json", "batch-small"] {
        ok(data, &["import", fixtures().join(p).to_str().expect("utf-8"), "--meeting", m], "")?;
    }
    Ok(db)
}

pub(crate) fn status(data: &Path, db: &str) -> anyhow::Result<Value> {
    Ok(serde_json::from_str(&ok(data, &["status", "--meeting", db, "--json"], "")?)?)
}

/// Issues PIN slips through the CLI and reads each member's PIN back from the PDF.
pub(crate) fn pins(data: &Path, db: &str) -> anyhow::Result<HashMap<String, String>> {
    let pdf = data.join("pins.pdf");
    ok(data, &["print", "pins", "--meeting", db, "--out", pdf.to_str().expect("utf-8")], "")?;
    let text = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&pdf).arg("-").output()?;
    let text = String::from_utf8(text.stdout)?;
    let roster: Value = serde_json::from_slice(&std::fs::read(fixtures().join("committee-25.json"))?)?;
    let id_of: HashMap<&str, &str> = roster["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| (m["name"].as_str().expect("name"), m["id"].as_str().expect("id")))
        .collect();
    // pdftotext gives a row of slips as its names, then its PINs, in order.
    let mut out = HashMap::new();
    let mut names = std::collections::VecDeque::new();
    for line in text.lines().map(str::trim) {
        if let Some(n) = line.strip_prefix("姓名：") {
            names.push_back(n.trim());
        } else if line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()) {
            let n = names.pop_front().expect("each PIN is on a slip with a name");
            out.insert(id_of[n].to_string(), line.to_string());
        }
    }
    Ok(out)
}

pub(crate) fn present_members() -> Vec<String> {
    (1..=20).map(|i| format!("M{i:02}")).collect()
}

/// Member k's choice for the candidate at place ci: a spread that makes
/// some pass and some fail.
pub(crate) fn choice(k: usize, ci: usize) -> &'static str {
    match (k + ci) % 5 {
        0..=2 => "for",
        3 => "against",
        _ if ci.is_multiple_of(2) => "for",
        _ => "abstain",
    }
}

/// The key ceremony as the CLI shows and prints it: the fingerprints said
/// after `trustees setup` are the meeting's, and its sheet prints them.
fn key_ceremony(data: &Path, m: &str, said: &str) -> anyhow::Result<()> {
    let ceremony = status(data, m)?["ceremony"].clone();
    let election = ceremony["election_fingerprint"].as_str().unwrap_or("?").to_string();
    let signing = ceremony["signing_fingerprint"].as_str().unwrap_or("?").to_string();
    anyhow::ensure!(said.contains(&election) && said.contains(&signing), "{said} / {ceremony}");
    let pdf = data.join("ceremony.pdf");
    ok(data, &["print", "key-ceremony", "--meeting", m, "--out", pdf.to_str().expect("utf-8")], "")?;
    let text = Command::new("pdftotext").args(["-enc", "UTF-8", "-layout"]).arg(&pdf).arg("-").output()?;
    let text = String::from_utf8(text.stdout)?;
    for want in ["密钥生成记录", &election, &signing, "李鹏伟", "监票人甲", "计票人签字"] {
        anyhow::ensure!(text.contains(want), "the ceremony sheet prints {want}: {text}");
    }
    Ok(())
}

/// Signed in, recusals proposed and all confirmed, PINs issued, a round open.
pub(crate) fn open_meeting(data: &Path) -> anyhow::Result<(PathBuf, i64, HashMap<String, String>)> {
    let db = new_meeting(data)?;
    let m = db.to_str().expect("utf-8").to_string();
    let mut args = vec!["signin", "--meeting", m.as_str()];
    let members = present_members();
    args.extend(members.iter().map(String::as_str));
    ok(data, &args, "")?;
    let proposed: Value =
        serde_json::from_str(&ok(data, &["recusal", "propose", "--meeting", &m, "--json"], "")?)?;
    anyhow::ensure!(proposed["proposed"].as_u64() > Some(0), "the fixtures have conflicts: {proposed}");
    ok(data, &["recusal", "confirm", "--meeting", &m, "--all"], "")?;
    let trustees = [
        "trustees",
        "setup",
        "--meeting",
        &m,
        "--chair",
        "李鹏伟",
        "--scrutineer",
        "监票人甲",
        "--scrutineer",
        "监票人乙",
    ];
    let said = ok(
        data,
        &trustees,
        "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\nM4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE\nH3NXP-7WQKD-5RBZT-8MJCF-2VGYA\n",
    )?;
    key_ceremony(data, &m, &said)?;
    let pins = pins(data, &m)?;
    anyhow::ensure!(pins.len() == 20, "one PIN slip per member present: {pins:?}");
    // The chair (M01) is recused for some of the candidates once every
    // proposal is confirmed: a vice chair's PIN opens the round. A member's
    // PIN, or none, opens nothing.
    let out = conclave(data, &["round", "open", "--meeting", &m], &format!("{}\n", pins["M09"]))?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("不是主任委员"), "{}", out.stderr);
    assert_eq!(conclave(data, &["round", "open", "--meeting", &m], "")?.code, 2, "no PIN: a usage error");
    let out = conclave(data, &["round", "open", "--meeting", &m], &format!("{}\n", pins["M01"]))?;
    assert!(out.code == 1 && out.stderr.contains("须回避"), "{}", out.stderr);
    let round: i64 =
        ok(data, &["round", "open", "--meeting", &m], &format!("{}\n", pins["M02"]))?.trim().parse()?;
    Ok((db, round, pins))
}
