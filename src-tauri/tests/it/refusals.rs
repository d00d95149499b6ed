//! What the headless CLI refuses, saying why and changing nothing: each
//! refusal of `round cast`, the window without a display, the secretary's
//! PIN set and changed only through standard input.

use crate::headless::*;
use serde_json::Value;
use std::process::Command;

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
