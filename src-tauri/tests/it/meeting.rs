//! A whole meeting run headless through the CLI on the fixtures: sign-in,
//! recusals, PIN slips, a station round, the count checked against what was
//! cast, confirmation; and each refusal of `round cast`, which changes nothing.

use crate::common::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

std::thread_local! {
    /// Everything this test's calls logged (stderr at RUST_LOG=debug), and
    /// what `round cast` logged alone.
    static LOG: std::cell::RefCell<(String, String)> = const { std::cell::RefCell::new((String::new(), String::new())) };
}

/// Runs `conclave ARGS` with `stdin` as standard input, in `data` as the data
/// folder, logging all it does.
fn conclave(data: &Path, args: &[&str], stdin: &str) -> anyhow::Result<Out> {
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

fn ok(data: &Path, args: &[&str], stdin: &str) -> anyhow::Result<String> {
    let out = conclave(data, args, stdin)?;
    anyhow::ensure!(out.code == 0, "conclave {args:?} exited {}: {}{}", out.code, out.stdout, out.stderr);
    Ok(out.stdout)
}

/// A new meeting with the fixtures' roster and dossiers imported.
fn new_meeting(data: &Path) -> anyhow::Result<PathBuf> {
    let db = ok(data, &["new-meeting", "2025年度实验系列高级职称评审会", "--date", "2026-12-01"], "")?;
    let db = PathBuf::from(db.trim());
    anyhow::ensure!(db.is_file(), "new-meeting prints the database path: {}", db.display());
    let m = db.to_str().expect("utf-8 path");
    for p in ["committee-25.json", "batch-small"] {
        ok(data, &["import", fixtures().join(p).to_str().expect("utf-8"), "--meeting", m], "")?;
    }
    Ok(db)
}

fn status(data: &Path, db: &str) -> anyhow::Result<Value> {
    Ok(serde_json::from_str(&ok(data, &["status", "--meeting", db, "--json"], "")?)?)
}

/// Issues PIN slips through the CLI and reads each member's PIN back from the PDF.
fn pins(data: &Path, db: &str) -> anyhow::Result<HashMap<String, String>> {
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

fn present_members() -> Vec<String> {
    (1..=20).map(|i| format!("M{i:02}")).collect()
}

/// Member k's choice for the candidate at place ci: a spread that makes
/// some pass and some fail.
fn choice(k: usize, ci: usize) -> &'static str {
    match (k + ci) % 5 {
        0..=2 => "for",
        3 => "against",
        _ if ci.is_multiple_of(2) => "for",
        _ => "abstain",
    }
}

/// Signed in, recusals proposed and all confirmed, PINs issued, a round open.
fn open_meeting(data: &Path) -> anyhow::Result<(PathBuf, i64, HashMap<String, String>)> {
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
    ok(data, &trustees, "chair-pass-1\nscrutineer-2\nscrutineer-3\n")?;
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

#[test]
fn a_whole_meeting_runs_headless_and_counts_what_was_cast() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round, pins) = open_meeting(data.path())?;
    let m = db.to_str().expect("utf-8");
    let s = status(data.path(), m)?;
    assert_eq!(s["quorum"]["present"], 20);
    assert_eq!(s["quorum"]["met"], true);
    assert!(s["recusals"].as_array().expect("recusals").iter().all(|r| r["status"] == "confirmed"));
    let candidates: Vec<String> = serde_json::from_value(s["rounds"][0]["candidates"].clone())?;
    assert!(!candidates.is_empty());
    assert_eq!(s["rounds"][0]["status"], "open");
    // 资格审查: the three a senior committee may not vote on are left out.
    let barred: Vec<String> = s["barred"]
        .as_array()
        .expect("barred")
        .iter()
        .filter_map(|b| b["candidate_id"].as_str().map(String::from))
        .collect();
    assert_eq!(barred.len(), 3, "{barred:?}");
    assert!(barred.iter().all(|b| !candidates.contains(b)), "{candidates:?}");
    let out = conclave(
        data.path(),
        &["eligibility", "override", "--meeting", m, "--candidate", &barred[0], "--reason", " "],
        &format!("{}\n", pins["M01"]),
    )?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("理由"), "{}", out.stderr);
    let recused: Vec<(String, String)> = s["recusals"]
        .as_array()
        .expect("recusals")
        .iter()
        .map(|r| (r["member"].as_str().unwrap_or("").into(), r["candidate"].as_str().unwrap_or("").into()))
        .collect();

    // Each member casts with their PIN on stdin; we keep our own count.
    let mut expected: BTreeMap<String, [u32; 3]> = BTreeMap::new();
    let mut trackers: Vec<String> = Vec::new();
    let members = present_members();
    for (k, member) in members.iter().enumerate() {
        let mut items = Vec::new();
        for (ci, c) in candidates.iter().enumerate() {
            if recused.contains(&(member.clone(), c.clone())) {
                continue;
            }
            let v = choice(k, ci);
            items.push(format!("{c}={v}"));
            let slot = match v {
                "for" => 0,
                "against" => 1,
                _ => 2,
            };
            expected.entry(c.clone()).or_default()[slot] += 1;
        }
        let out = ok(
            data.path(),
            &["round", "cast", "--meeting", m, "--round", &round.to_string(), "--choices", &items.join(",")],
            &format!("{}\n", pins[member]),
        )?;
        let tracker = out.trim();
        assert!(tracker.len() == 9 && tracker.as_bytes()[4] == b'-', "the tracker is printed: {out}");
        trackers.push(tracker.to_string());
        let voted = status(data.path(), m)?["rounds"][0]["voted"].as_u64();
        assert_eq!(voted, Some(k as u64 + 1), "the register counts each ballot once");
    }

    // The last ballot closed the box; nothing is counted until two trustees decrypt.
    let s = status(data.path(), m)?;
    assert_eq!(s["rounds"][0]["status"], "closed");
    assert_eq!(s["rounds"][0]["results"].as_array().map(Vec::len), Some(0), "no count before the tally");
    let mut listed: Vec<String> = serde_json::from_value(s["rounds"][0]["trackers"].clone())?;
    trackers.sort();
    listed.sort();
    assert_eq!(listed, trackers, "every member finds their tracker in the round's list");
    let r = round.to_string();
    let tally = |names: [&str; 2], secrets: &str| {
        conclave(
            data.path(),
            &["round", "tally", "--meeting", m, "--round", &r, "--trustee", names[0], "--trustee", names[1]],
            secrets,
        )
    };
    let out = tally(["李鹏伟", "监票人乙"], "chair-pass-1\nwrong-passphrase\n")?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("监票人乙 的口令不正确"), "{}", out.stderr);
    let out = tally(["李鹏伟", "李鹏伟"], "chair-pass-1\nchair-pass-1\n")?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("两名不同的计票人"), "{}", out.stderr);
    assert_eq!(
        status(data.path(), m)?["rounds"][0]["results"].as_array().map(Vec::len),
        Some(0),
        "refusals change nothing"
    );
    assert_eq!(tally(["李鹏伟", "监票人乙"], "chair-pass-1\nscrutineer-3\n")?.code, 0);
    let s = status(data.path(), m)?;
    let r = &s["rounds"][0];
    assert_eq!(r["status"], "closed", "{r}");
    let results = r["results"].as_array().expect("results");
    assert_eq!(results.len(), candidates.len());
    for x in results {
        let c = x["candidate"].as_str().expect("candidate");
        let [f, a, ab] = expected[c];
        assert_eq!(
            (x["for"].as_u64(), x["against"].as_u64(), x["abstain"].as_u64()),
            (Some(f.into()), Some(a.into()), Some(ab.into())),
            "{c}"
        );
        let members = present_members();
        let eligible = 20 - recused.iter().filter(|(rm, rc)| rc == c && members.contains(rm)).count() as u64;
        assert_eq!(x["eligible"].as_u64(), Some(eligible), "{c}: present and not recused");
        let threshold = x["threshold"].as_u64().expect("threshold");
        assert_eq!(x["passed"].as_bool(), Some(u64::from(f) >= threshold), "{c}: passes at the threshold");
    }
    assert!(results.iter().any(|x| x["passed"] == true) && results.iter().any(|x| x["passed"] == false));

    let round_arg = round.to_string();
    let confirm = ["round", "confirm", "--meeting", m, "--round", &round_arg];
    let out = conclave(data.path(), &confirm, &format!("{}\n", pins["M09"]))?;
    assert!(out.code == 1 && out.stderr.contains("不是主任委员"), "{}", out.stderr);
    let out = ok(data.path(), &confirm, &format!("{}\n", pins["M02"]))?;
    assert!(out.contains("已确认"), "{out}");
    assert_eq!(status(data.path(), m)?["rounds"][0]["status"], "confirmed");

    // Sealed printing reads the chair's passphrase from stdin: none, a
    // scrutineer's, and a wrong one are refused and print nothing.
    let sheet = data.path().join("results.pdf");
    let r = round.to_string();
    let print = |stdin: &str| {
        conclave(
            data.path(),
            &["print", "results", "--meeting", m, "--round", &r, "--out", sheet.to_str().expect("utf-8")],
            stdin,
        )
    };
    let out = print("")?;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("主任委员口令"), "{}", out.stderr);
    for wrong in ["scrutineer-3\n", "chair-pass-2\n"] {
        let out = print(wrong)?;
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stderr.contains("李鹏伟 的口令不正确"), "{}", out.stderr);
    }
    assert!(!sheet.exists(), "nothing printed");
    assert_eq!(print("chair-pass-1\n")?.code, 0);
    assert_eq!(ok(data.path(), &["verify", sheet.to_str().expect("utf-8")], "").map(|_| ())?, ());
    // The 公示 list with its period counted by the working-day calendar.
    let list = data.path().join("publicity.pdf");
    let publicity = |extra: &[&str]| {
        let mut args = vec!["print", "publicity", "--meeting", m, "--out", list.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        conclave(data.path(), &args, "chair-pass-1\n")
    };
    let out = publicity(&["--start", "2026-12-30"])?;
    assert_eq!(out.code, 1, "past the calendar's years");
    assert!(out.stderr.contains("--end"), "{}", out.stderr);
    assert_eq!(publicity(&["--start", "2025-09-30"])?.code, 0);
    let text = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&list).arg("-").output()?;
    let flat: String = String::from_utf8(text.stdout)?.split_whitespace().collect();
    assert!(flat.contains("公示期：2025-09-30至2025-10-13（5个工作日）"), "{flat}");
    let zip = data.path().join("archive.zip");
    let export = |stdin: &str| {
        conclave(data.path(), &["export", "--meeting", m, "--out", zip.to_str().expect("utf-8")], stdin)
    };
    assert_eq!(export("wrong-passphrase\n")?.code, 1);
    assert!(!zip.exists());
    assert_eq!(export("chair-pass-1\n")?.code, 0);
    assert_eq!(ok(data.path(), &["verify", zip.to_str().expect("utf-8")], "").map(|_| ())?, ());

    // The archive opened on another machine: the CLI reads it, and the core
    // refuses every change to it, byte for byte.
    let elsewhere = tempfile::tempdir()?;
    let opened = conclave_core::api::archive::open(elsewhere.path(), &zip, conclave_core::i18n::Lang::Zh)?;
    let copy = conclave_core::api::meeting::meeting_dir(elsewhere.path(), &opened.id)?.join("meeting.db");
    let copy = copy.to_str().expect("utf-8");
    let before = std::fs::read(copy)?;
    assert_eq!(status(elsewhere.path(), copy)?["rounds"][0]["status"], "confirmed");
    for (args, stdin) in [
        (vec!["signout", "--meeting", copy, "M03"], String::new()),
        (vec!["round", "open", "--meeting", copy], format!("{}\n", pins["M02"])),
        (vec!["recusal", "propose", "--meeting", copy], String::new()),
    ] {
        let out = conclave(elsewhere.path(), &args, &stdin)?;
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("只能查看"), "{args:?}: {}", out.stderr);
    }
    assert!(std::fs::read(copy)? == before, "the archive's copy is unchanged");

    // The log says what happened, never a secret, and nothing of who cast.
    let (log, at_cast) = LOG.with(|log| log.borrow().clone());
    for done in
        ["package imported", "attendance recorded", "round opened", "round tallied", "archive exported"]
    {
        assert!(log.contains(done), "the log says {done:?}: {log}");
    }
    // A count (bytes=…, files=…) may be six digits like a PIN; anywhere else
    // a PIN-shaped word is a leak.
    let counts =
        ["bytes", "files", "candidates", "members", "count", "round", "present", "added", "problems"];
    let words: Vec<&str> = log
        .split(|c: char| !c.is_alphanumeric() && c != '=' && c != '-')
        .filter_map(|w| match w.split_once('=') {
            Some((key, _)) if counts.contains(&key) => None,
            Some((_, value)) => Some(value),
            None => Some(w),
        })
        .collect();
    for secret in pins.values().map(String::as_str).chain(["chair-pass-1", "scrutineer-2", "scrutineer-3"]) {
        assert!(!words.contains(&secret), "a secret reached the log");
    }
    for member in present_members() {
        assert!(!at_cast.contains(&member), "casting logged who cast: {at_cast}");
    }
    Ok(())
}

#[test]
fn cast_refusals_say_why_and_change_nothing() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, round, pins) = open_meeting(data.path())?;
    let m = db.to_str().expect("utf-8");
    let r = round.to_string();
    let s = status(data.path(), m)?;
    let candidates: Vec<String> = serde_json::from_value(s["rounds"][0]["candidates"].clone())?;
    let recused: Vec<(String, String)> = s["recusals"]
        .as_array()
        .expect("recusals")
        .iter()
        .map(|r| (r["member"].as_str().unwrap_or("").into(), r["candidate"].as_str().unwrap_or("").into()))
        .filter(|(m, _)| present_members().contains(m))
        .collect();
    let (rm, rc) = recused.first().cloned().expect("a present member is recused");
    let all_for = |member: &str| -> String {
        candidates
            .iter()
            .filter(|c| !recused.contains(&(member.to_string(), (*c).clone())))
            .map(|c| format!("{c}=for"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let cast = |member_pin: &str, choices: &str, lang: &str| {
        conclave(
            data.path(),
            &["--lang", lang, "round", "cast", "--meeting", m, "--round", &r, "--choices", choices],
            member_pin,
        )
    };
    let voted =
        || -> anyhow::Result<Option<u64>> { Ok(status(data.path(), m)?["rounds"][0]["voted"].as_u64()) };

    // A missing PIN is a usage error; a wrong one is refused.
    let out = cast("", &all_for("M05"), "zh")?;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("个人密码"), "{}", out.stderr);
    let wrong = if pins["M05"] == "000000" { "000001" } else { "000000" };
    let out = cast(&format!("{wrong}\n"), &all_for("M05"), "zh")?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("个人密码不正确"), "{}", out.stderr);
    let out = cast(&format!("{wrong}\n"), &all_for("M05"), "en")?;
    assert!(out.stderr.contains("Wrong PIN"), "{}", out.stderr);
    // The recused member's line for that candidate; a candidate not in the round.
    let out = cast(&format!("{}\n", pins[&rm]), &format!("{},{rc}=for", all_for(&rm)), "zh")?;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains(&rc), "names the candidate: {}", out.stderr);
    let out = cast(&format!("{}\n", pins["M05"]), &format!("{},GX2099-0001=for", all_for("M05")), "zh")?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("GX2099-0001"), "{}", out.stderr);
    // A line missing; an unreadable choice.
    let out = cast(&format!("{}\n", pins["M05"]), &format!("{}=for", candidates[0]), "zh")?;
    assert_eq!(out.code, 1, "{}", out.stderr);
    let out = cast(&format!("{}\n", pins["M05"]), "GX2025-0001=maybe", "zh")?;
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("GX2025-0001=maybe"), "{}", out.stderr);
    assert_eq!(voted()?, Some(0), "nothing refused was counted");

    // One ballot counts (its choices on stdin, after the PIN); the second is refused.
    let out = conclave(
        data.path(),
        &["round", "cast", "--meeting", m, "--round", &r],
        &format!("{}\n{}\n", pins["M05"], all_for("M05")),
    )?;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = cast(&format!("{}\n", pins["M05"]), &all_for("M05"), "zh")?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("已在本轮投票"), "{}", out.stderr);
    assert_eq!(voted()?, Some(1));

    // A member who left: their PIN no longer opens a ballot.
    ok(data.path(), &["signout", "--meeting", m, "M06"], "")?;
    let out = cast(&format!("{}\n", pins["M06"]), &all_for("M06"), "zh")?;
    assert_eq!(out.code, 1, "{}", out.stderr);
    // An unknown member signs in: nothing is recorded for the others either.
    let out = conclave(data.path(), &["signin", "--meeting", m, "M06", "M99"], "")?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("M99"), "{}", out.stderr);
    let present = status(data.path(), m)?["attendance"]
        .as_array()
        .expect("attendance")
        .iter()
        .find(|a| a["member"] == "M06")
        .map(|a| a["present"].clone());
    assert_eq!(present, Some(Value::Bool(false)), "all or nothing");

    // A closed round takes no ballot.
    ok(data.path(), &["round", "close", "--meeting", m, "--round", &r], &format!("{}\n", pins["M02"]))?;
    let out = cast(&format!("{}\n", pins["M07"]), &all_for("M07"), "zh")?;
    assert_eq!(out.code, 1);
    assert_eq!(voted()?, Some(1));
    // Usage errors.
    assert_eq!(conclave(data.path(), &["round", "cast", "--meeting", m, "--round", &r], "")?.code, 2);
    assert_eq!(conclave(data.path(), &["recusal", "confirm", "--meeting", m], "")?.code, 2);
    assert_eq!(conclave(data.path(), &["status", "--meeting", "/nonexistent/meeting.db"], "")?.code, 2);
    Ok(())
}

#[test]
fn the_window_without_a_display_says_so_instead_of_panicking() -> anyhow::Result<()> {
    let out = Command::new(assert_cmd::cargo::cargo_bin("conclave"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("LANG", "zh_CN.UTF-8")
        .output()?;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr)?;
    assert!(err.contains("conclave --help") && err.contains("图形桌面"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    Ok(())
}

/// `secretary-pin`: set once from stdin (typed twice), changed only with the
/// current one first; a short, mismatched or missing PIN is refused; the PIN
/// never shows in the database file.
#[test]
fn the_secretarys_pin_is_set_and_changed_through_stdin() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = new_meeting(data.path())?;
    let m = db.to_str().expect("utf-8");
    let args = ["--lang", "zh", "secretary-pin", "--meeting", m];
    let missing = conclave(data.path(), &args, "")?;
    assert_eq!(missing.code, 2, "no PIN on stdin is a usage error: {}", missing.stderr);
    let short = conclave(data.path(), &args, "1234\n1234\n")?;
    assert_eq!(short.code, 1);
    assert!(short.stderr.contains("6–12 位数字"), "{}", short.stderr);
    let differ = conclave(data.path(), &args, "12345678\n12345679\n")?;
    assert!(differ.code == 1 && differ.stderr.contains("不一致"), "{}", differ.stderr);
    ok(data.path(), &args, "12345678\n12345678\n")?;
    // Set now: the current PIN comes first, and a wrong one changes nothing.
    let wrong = conclave(data.path(), &args, "87654321\n55556666\n55556666\n")?;
    assert!(wrong.code == 1 && wrong.stderr.contains("秘书密码不正确"), "{}", wrong.stderr);
    ok(data.path(), &args, "12345678\n55556666\n55556666\n")?;
    let bytes = std::fs::read(&db)?;
    for pin in ["12345678", "55556666"] {
        assert!(!String::from_utf8_lossy(&bytes).contains(pin), "{pin} in the clear");
    }
    Ok(())
}
