//! The CLI follows the README and says what blocks a round before it asks
//! for a PIN (issue 25): `round open --mode terminal`, an unknown mode as a
//! usage error, `recusal propose --all`, and the checklist in `status --json`.

use crate::headless::{conclave, new_meeting, ok, pins, present_members, status};
use serde_json::Value;

/// The checklist step `key` from `status --json`.
fn step(status: &Value, key: &str) -> Value {
    status["checklist"]
        .as_array()
        .and_then(|s| s.iter().find(|x| x["key"] == key))
        .cloned()
        .unwrap_or_else(|| panic!("{key} in {status}"))
}

#[test]
fn round_open_refuses_without_pins_then_opens_a_terminal_round() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = new_meeting(data.path())?;
    let m = db.to_str().expect("utf-8");
    let mut args = vec!["signin", "--meeting", m];
    let members = present_members();
    args.extend(members.iter().map(String::as_str));
    ok(data.path(), &args, "")?;
    let proposed: Value = serde_json::from_str(&ok(
        data.path(),
        &["recusal", "propose", "--all", "--meeting", m, "--json"],
        "",
    )?)?;
    assert!(proposed["proposed"].as_u64() > Some(0), "{proposed}");
    assert_eq!(step(&status(data.path(), m)?, "recusals")["state"], "todo");
    ok(data.path(), &["recusal", "dismiss", "--meeting", m, "--all"], "")?;
    ok(
        data.path(),
        &[
            "trustees",
            "setup",
            "--meeting",
            m,
            "--chair",
            "李鹏伟",
            "--scrutineer",
            "监票人甲",
            "--scrutineer",
            "监票人乙",
        ],
        "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\nM4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE\nH3NXP-7WQKD-5RBZT-8MJCF-2VGYA\n",
    )?;
    let s = status(data.path(), m)?;
    assert_eq!(step(&s, "recusals")["state"], "done", "{s}");
    assert_eq!(step(&s, "rounds")["state"], "blocked", "{s}");
    assert!(step(&s, "rounds")["why"].as_str().is_some_and(|w| w.contains("还没有发放投票密码")), "{s}");

    // No PIN slips yet: refused before any PIN is read (stdin is empty, yet
    // this is a refusal, exit 1, not a missing PIN, exit 2).
    let out = conclave(data.path(), &["round", "open", "--meeting", m, "--mode", "terminal"], "")?;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("还没有发放投票密码：请先打印投票密码条"), "{}", out.stderr);
    assert!(!out.stderr.contains("个人密码不正确"), "{}", out.stderr);

    let pins = pins(data.path(), m)?;
    let out = conclave(
        data.path(),
        &["round", "open", "--meeting", m, "--mode", "bogus"],
        &format!("{}\n", pins["M01"]),
    )?;
    assert_eq!(out.code, 2, "an unknown mode is a usage error: {}", out.stderr);
    assert!(out.stderr.contains("bogus") && out.stderr.contains("terminal"), "{}", out.stderr);

    let out = conclave(
        data.path(),
        &["round", "open", "--meeting", m, "--mode", "terminal"],
        &format!("{}\n", pins["M01"]),
    )?;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("请主任委员 李鹏伟 输入个人密码"), "says whose PIN: {}", out.stderr);
    let s = status(data.path(), m)?;
    assert_eq!(s["rounds"][0]["mode"], "terminal", "{s}");
    assert_eq!(step(&s, "network")["state"], "todo", "terminals used: the network step shows: {s}");
    assert_eq!(step(&s, "rounds")["state"], "todo", "{s}");
    Ok(())
}

#[test]
fn round_open_in_english_names_the_vice_chair_when_the_chair_is_recused() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = new_meeting(data.path())?;
    let m = db.to_str().expect("utf-8");
    let mut args = vec!["signin", "--meeting", m];
    let members = present_members();
    args.extend(members.iter().map(String::as_str));
    ok(data.path(), &args, "")?;
    ok(data.path(), &["recusal", "propose", "--meeting", m], "")?;
    ok(data.path(), &["recusal", "confirm", "--meeting", m, "--all"], "")?;
    ok(
        data.path(),
        &[
            "trustees",
            "setup",
            "--meeting",
            m,
            "--chair",
            "李鹏伟",
            "--scrutineer",
            "监票人甲",
            "--scrutineer",
            "监票人乙",
        ],
        "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\nM4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE\nH3NXP-7WQKD-5RBZT-8MJCF-2VGYA\n",
    )?;
    let pins = pins(data.path(), m)?;
    let out = conclave(
        data.path(),
        &["--lang", "en", "round", "open", "--meeting", m],
        &format!("{}\n", pins["M02"]),
    )?;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("is recused") && out.stderr.contains("vice chair"), "{}", out.stderr);
    Ok(())
}
