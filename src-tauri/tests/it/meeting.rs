//! A whole meeting run headless through the CLI on the fixtures: sign-in,
//! recusals, PIN slips, a station round, the count checked against what was
//! cast, confirmation; and each refusal of `round cast`, which changes nothing.

use crate::headless::*;
use std::collections::BTreeMap;
use std::process::Command;

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
    let mut receipts: Vec<(String, String)> = Vec::new();
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
        let (tracker, head) = out.trim().split_once(' ').unwrap_or((out.trim(), ""));
        assert!(tracker.len() == 9 && tracker.as_bytes()[4] == b'-', "the tracker is printed: {out}");
        assert!(head.len() == 9 && head.as_bytes()[4] == b'-', "and the chain head: {out}");
        trackers.push(tracker.to_string());
        receipts.push((tracker.to_string(), head.to_string()));
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
    let out = tally(["李鹏伟", "监票人乙"], "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\nwrong-passphrase\n")?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("监票人乙 的口令不正确"), "{}", out.stderr);
    let out = tally(["李鹏伟", "李鹏伟"], "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\n7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\n")?;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("两名不同的计票人"), "{}", out.stderr);
    assert_eq!(
        status(data.path(), m)?["rounds"][0]["results"].as_array().map(Vec::len),
        Some(0),
        "refusals change nothing"
    );
    assert_eq!(
        tally(["李鹏伟", "监票人乙"], "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\nH3NXP-7WQKD-5RBZT-8MJCF-2VGYA\n")?.code,
        0
    );
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
    for wrong in ["H3NXP-7WQKD-5RBZT-8MJCF-2VGYA\n", "chair-pass-2\n"] {
        let out = print(wrong)?;
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stderr.contains("李鹏伟 的口令不正确"), "{}", out.stderr);
    }
    assert!(!sheet.exists(), "nothing printed");
    assert_eq!(print("7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\n")?.code, 0);
    assert_eq!(ok(data.path(), &["verify", sheet.to_str().expect("utf-8")], "").map(|_| ())?, ());
    // The 公示 list with its period counted by the working-day calendar.
    let list = data.path().join("publicity.pdf");
    let publicity = |extra: &[&str]| {
        let mut args = vec!["print", "publicity", "--meeting", m, "--out", list.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        conclave(data.path(), &args, "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\n")
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
    assert_eq!(export("7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA\n")?.code, 0);
    assert_eq!(ok(data.path(), &["verify", zip.to_str().expect("utf-8")], "").map(|_| ())?, ());
    // Each member checks their receipt against the archive; a head that is
    // not the one after their cast (the chain rewritten since) is named.
    let zip_path = zip.to_str().expect("utf-8");
    for (tracker, head) in &receipts {
        let said = ok(data.path(), &["receipt", zip_path, "--tracker", tracker, "--head", head], "")?;
        assert!(said.contains(tracker) && said.starts_with('✓'), "{said}");
    }
    let (tracker, head) = &receipts[0];
    let other = &receipts[1].1;
    let out = conclave(data.path(), &["receipt", zip_path, "--tracker", tracker, "--head", other], "")?;
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("改写") && out.stdout.contains(head.as_str()), "{}", out.stdout);
    let out = conclave(data.path(), &["receipt", zip_path, "--tracker", "ZZZZ-ZZZZ", "--head", head], "")?;
    assert_eq!(out.code, 1);

    // The chair has left: two scrutineers seal together (the key's escrow).
    let theirs = data.path().join("by-trustees.zip");
    let by_two = |stdin: &str| {
        let args = [
            "export",
            "--meeting",
            m,
            "--out",
            theirs.to_str().expect("utf-8"),
            "--trustee",
            "监票人甲",
            "--trustee",
            "监票人乙",
        ];
        conclave(data.path(), &args, stdin)
    };
    let out = by_two("M4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE\nwrong-passphrase\n")?;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("监票人乙") && !theirs.exists(), "{}", out.stderr);
    assert_eq!(by_two("M4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE\nH3NXP-7WQKD-5RBZT-8MJCF-2VGYA\n")?.code, 0);
    let said = ok(data.path(), &["verify", theirs.to_str().expect("utf-8"), "--json"], "")?;
    let fingerprint =
        status(data.path(), m)?["ceremony"]["signing_fingerprint"].as_str().unwrap_or("?").to_string();
    assert!(said.contains(&fingerprint), "sealed with the ceremony's key: {said}");

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
    for secret in pins.values().map(String::as_str).chain([
        "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA",
        "M4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE",
        "H3NXP-7WQKD-5RBZT-8MJCF-2VGYA",
    ]) {
        assert!(!words.contains(&secret), "a secret reached the log");
    }
    for member in present_members() {
        assert!(!at_cast.contains(&member), "casting logged who cast: {at_cast}");
    }
    Ok(())
}
