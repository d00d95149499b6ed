//! The minutes, the 公示 list, the sign-in sheet, PIN slips and paper
//! ballots on the fixtures: read back with pdftotext and checked against the
//! meeting's data; the sealed ones verified and refused after a change; 200
//! candidates paginate with the header on every page.

use crate::common::*;
use conclave_core::api::voting;
use conclave_core::api::{print, session};
use conclave_core::audit;
use conclave_core::i18n::Lang;
use std::process::Command;

fn qpdf_ok(pdf: &[u8]) -> anyhow::Result<bool> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf)?;
    Ok(Command::new("qpdf").arg("--check").arg(&path).output()?.status.success())
}

#[test]
fn minutes_record_attendance_recusals_opinions_rounds_chain_and_key() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    // A recusal recorded after the vote still shows in the minutes.
    session::propose_recusals(&mut conn)?;
    let r = session::recusals(&conn)?.into_iter().next().expect("the fixtures propose a conflict");
    session::set_recusal(&mut conn, &r.member_id, &r.candidate_id, true, "")?;

    let chain = audit::verify(&conn)?;
    let people = session::attendance(&conn)?;
    let pdf = print::minutes(&conn, &chair_key(&conn)?, Lang::Zh)?;
    keep("minutes-zh.pdf", &pdf)?;
    let text = pdftotext(&pdf)?;
    let flat: String = text.split_whitespace().collect();
    assert!(text.contains("评审会议记录"));
    for p in &people[..20] {
        assert!(text.contains(&p.name), "attended: {}", p.name);
    }
    assert!(text.contains("缺席"), "the five who never came");
    assert!(text.contains("离席"), "member 20 left");
    assert!(flat.contains(&r.member_name) && flat.contains(&r.candidate_name));
    assert!(flat.contains(&chain), "the chain's final hash at printing");
    let public: String = conn.query_row("SELECT public FROM meeting_key", [], |r| r.get(0))?;
    assert!(flat.contains(&public), "the public key in full");
    // The group opinions of the fixtures.
    let c = conclave_core::api::candidates::detail(&conn, "GX2025-0001")?;
    if let Some(reviewer) = c.candidate.group_opinion.as_ref().and_then(|g| g.reviewers.first()) {
        assert!(flat.contains(reviewer.as_str()), "reviewer {reviewer}");
    }
    // The round's counts, line by line, match the stored tally (in the
    // round's table, before the final results sum them up).
    let status = voting::round_status(&conn, 1)?;
    let rounds = &text[..text.find("表决结果汇总").expect("the final results follow the rounds")];
    for res in &status.results {
        let line = rounds.lines().rfind(|l| l.contains(&res.candidate_id)).expect("a result line");
        let t = &res.tally;
        let want = format!(
            "{} {} {} {} {} {}",
            t.votes_for, t.against, t.abstain, t.not_voted, t.eligible, t.threshold
        );
        let got: Vec<&str> = line.split_whitespace().filter(|w| w.parse::<u32>().is_ok()).collect();
        assert!(got.join(" ").ends_with(&want), "{line} vs {want}");
    }
    assert!(text.replace(' ', "").contains("第1页共"));
    assert!(qpdf_ok(&pdf)?);
    let v = conclave_core::api::verify::verify_pdf(&pdf, Lang::Zh);
    assert!(v.authentic && v.kind.as_deref() == Some("minutes"), "{:?}", v.problems);
    assert_eq!(conclave_core::api::verify::document_name(&v, Lang::Zh), "会议记录");

    // A name in the sealed data changed: refused.
    let mut doc = lopdf::Document::load_mem(&pdf)?;
    let seal = conclave_core::print::seal::read(&doc).expect("sealed");
    let forged =
        conclave_core::print::seal::Seal { data: seal.data.replacen(&chain, &"0".repeat(64), 1), ..seal };
    assert!(!forged.data.contains(&chain), "the chain hash is in the sealed data");
    conclave_core::print::seal::embed(&mut doc, &forged).expect("re-embedded");
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    assert!(!conclave_core::api::verify::verify_pdf(&out, Lang::Zh).authentic);

    let en_pdf = print::minutes(&conn, &chair_key(&conn)?, Lang::En)?;
    keep("minutes-en.pdf", &en_pdf)?;
    let en = pdftotext(&en_pdf)?;
    assert!(en.contains("Minutes of the review meeting") && en.contains("Attendance"));
    Ok(())
}

#[test]
fn publicity_lists_only_who_passed_without_votes_or_committee() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let conn = conclave_core::store::open(&db)?;
    let pdf = print::publicity(&conn, &chair_key(&conn)?, Lang::Zh, None)?;
    keep("publicity-zh.pdf", &pdf)?;
    let text = pdftotext(&pdf)?;
    let status = voting::round_status(&conn, 1)?;
    let passed: Vec<_> = status.results.iter().filter(|r| r.tally.passed).collect();
    assert_eq!(passed.len(), 4);
    for r in &status.results {
        assert_eq!(text.contains(&r.name), r.tally.passed, "{} is listed only when passed", r.name);
    }
    for m in session::attendance(&conn)? {
        assert!(!text.contains(&m.name), "no committee names: {}", m.name);
    }
    for word in ["同意", "不同意", "弃权", "票"] {
        assert!(!text.contains(word), "no votes: {word}");
    }
    assert!(text.contains(&format!("以下 {} 名同志通过评审", passed.len())));
    // The public list prints no hash; its sealed data holds the chain's head,
    // an entry of the chain.
    assert!(!text.contains("审计链头"), "no hash on the public list: {text}");
    let seal = conclave_core::print::seal::read(&lopdf::Document::load_mem(&pdf)?).expect("sealed");
    let sealed: serde_json::Value = serde_json::from_str(&seal.data)?;
    let head = sealed["audit_head"].as_str().expect("the head in the sealed data").to_string();
    let in_chain: i64 =
        conn.query_row("SELECT count(*) FROM audit_log WHERE entry_hash = ?1", [&head], |r| r.get(0))?;
    assert_eq!(in_chain, 1, "{head} is an entry of the chain");
    let v = conclave_core::api::verify::verify_pdf(&pdf, Lang::Zh);
    assert!(v.authentic && v.kind.as_deref() == Some("publicity"), "{:?}", v.problems);
    Ok(())
}

#[test]
fn publicity_needs_a_confirmed_round() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    name_trustees(&mut conn)?;
    let err = print::publicity(&conn, &chair_key(&conn)?, Lang::Zh, None).expect_err("nothing confirmed yet");
    assert!(err.message(Lang::Zh).contains("确认"), "{}", err.message(Lang::Zh));
    Ok(())
}

#[test]
fn sign_in_sheet_and_pin_slips() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, ids) = finished_meeting(data.path())?;
    let mut conn = conclave_core::store::open(&db)?;
    let sheet = print::sign_in_sheet(&conn, Lang::Zh)?;
    keep("sign-in-zh.pdf", &sheet)?;
    let text = pdftotext(&sheet)?;
    assert!(text.contains("签到表") && text.contains("本人签字"));
    for p in session::attendance(&conn)? {
        assert!(text.contains(&p.name), "{}", p.name);
    }
    assert!(qpdf_ok(&sheet)?);

    let slips = print::pin_slips(&mut conn, Lang::Zh)?;
    keep("pins-zh.pdf", &slips)?;
    let text = pdftotext(&slips)?;
    // 19 members are still present: each slip's PIN opens that member's ballot.
    let mut found = 0;
    for line in text.lines() {
        for word in line.split_whitespace() {
            if word.len() == 6 && word.bytes().all(|b| b.is_ascii_digit()) {
                let member = session::member_by_pin(&conn, word)?;
                assert!(ids[..19].contains(&member));
                found += 1;
            }
        }
    }
    assert_eq!(found, 19, "{text}");
    Ok(())
}

#[test]
fn two_hundred_candidates_paginate_with_headers_on_every_page() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let pkg = data.path().join("pkg");
    std::fs::create_dir_all(&pkg)?;
    let long_org = "广西壮族自治区某某市某某县人民医院检验科暨临床实验诊断中心（分子生物学实验室）";
    let candidates: Vec<serde_json::Value> = (1..=200)
        .map(|i| {
            serde_json::json!({
                "id": format!("P-{i:04}"), "name": if i == 7 { "韦秀𠮷".to_string() } else { format!("申报人{i}") },
                "organization": if i % 10 == 0 { long_org.to_string() } else { format!("第{i}研究所") },
                "applied_title": "高级实验师", "review_group": "第一组",
            })
        })
        .collect();
    std::fs::write(
        pkg.join("dossier.json"),
        serde_json::to_vec(&serde_json::json!({ "format": "conclave-dossier/1", "candidates": candidates }))?,
    )?;
    let db = meeting(data.path())?;
    let r = conclave_core::api::import::import(
        &db,
        &pkg,
        &conclave_core::package::Limits::default(),
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )?;
    anyhow::ensure!(r.ok(), "{:?}", errors(&r));
    let r = conclave_core::api::import::import(
        &db,
        &fixtures().join("committee-25.json"),
        &conclave_core::package::Limits::default(),
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )?;
    anyhow::ensure!(r.ok());
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids[..20] {
        session::set_presence(&mut conn, id, true)?;
    }
    name_trustees(&mut conn)?;
    let pin = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Paper, &pin)?;
    let ballots = print::paper_ballots(&conn, round, Lang::Zh)?;
    assert!(pdftotext(&ballots)?.contains(&format!("选票编号：{round}-020")), "20 numbered ballots");
    let counts = (1..=200)
        .map(|i| (format!("P-{i:04}"), voting::PaperCount { votes_for: 15, against: 3, abstain: 2 }))
        .collect();
    let pins = session::issue_pins(&mut conn)?;
    voting::enter_paper_counts(&mut conn, round, 1, &pins[0].pin, &counts)?;
    voting::enter_paper_counts(&mut conn, round, 2, &pins[1].pin, &counts)?;
    let pdf = print::results_sheet(&conn, &chair_key(&conn)?, round, Lang::Zh)?;
    keep("results-200-zh.pdf", &pdf)?;
    let text = pdftotext(&pdf)?;
    let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect::<Vec<_>>();
    assert!(pages.len() > 5, "{} pages", pages.len());
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains("申报编号"), "header repeated on page {}", n + 1);
        assert!(page.replace(' ', "").contains(&format!("第{}页共{}页", n + 1, pages.len())));
    }
    for i in 1..=200 {
        assert!(text.contains(&format!("P-{i:04}")), "row {i} printed once at least");
    }
    assert!(text.contains("韦秀𠮷"));
    let flat: String = text.split_whitespace().collect();
    assert!(flat.contains("分子生物学实验室"), "the long organisation wraps, whole");
    assert!(conclave_core::api::verify::verify_pdf(&pdf, Lang::Zh).authentic);
    Ok(())
}

#[test]
fn a_roster_without_a_committee_name_gives_the_meetings_name() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let conn = conclave_core::store::open(&db)?;
    let named = print::meeting_info(&conn)?;
    assert_eq!(named.committee, "广西壮族自治区实验技术系列高级职称评审委员会", "the roster's name");
    conn.execute("UPDATE package SET header = json_set(header, '$.name', '') WHERE kind = 'committee'", [])?;
    let info = print::meeting_info(&conn)?;
    assert_eq!(info.committee, info.name, "never an empty 评审委员会：");
    let text = pdftotext(&print::minutes(&conn, &chair_key(&conn)?, Lang::Zh)?)?;
    let flat: String = text.split_whitespace().collect();
    assert!(
        flat.contains(&format!("评审委员会：{}", info.name.split_whitespace().collect::<String>())),
        "{flat}"
    );
    Ok(())
}

/// The 公示 period counted by the bundled calendar: a start inside the 2025
/// National Day holiday (10-01 to 10-08 off, 09-28 Sun and 10-11 Sat worked)
/// ends on the fifth working day, 10-14; an uncovered period needs its end typed.
#[test]
fn the_publicity_period_is_counted_in_working_days() -> anyhow::Result<()> {
    use print::PeriodRequest;
    let data = tempfile::tempdir()?;
    let (db, _) = finished_meeting(data.path())?;
    let conn = conclave_core::store::open(&db)?;
    let key = chair_key(&conn)?;
    let req = |start: &str, end: Option<&str>| PeriodRequest {
        start: start.into(),
        end: end.map(String::from),
        days: None,
    };

    let pdf = print::publicity(&conn, &key, Lang::Zh, Some(&req("2025-10-01", None)))?;
    keep("publicity-period-zh.pdf", &pdf)?;
    let flat: String = pdftotext(&pdf)?.split_whitespace().collect();
    assert!(flat.contains("公示期：2025-10-01至2025-10-14（5个工作日）"), "{flat}");
    let v = conclave_core::api::verify::verify_pdf(&pdf, Lang::Zh);
    assert!(v.authentic && v.rerendered, "{:?}", v.problems);
    let en: String = pdftotext(&print::publicity(&conn, &key, Lang::En, Some(&req("2025-09-26", None)))?)?
        .split_whitespace()
        .collect();
    assert!(en.contains("2025-09-26to2025-10-09(5workingdays)"), "around the 调休 Sunday: {en}");

    // Past the calendar's last year: refused with the years it has, and the
    // typed end is printed instead.
    let e = print::publicity(&conn, &key, Lang::Zh, Some(&req("2026-12-30", None))).expect_err("uncovered");
    let msg = e.message(Lang::Zh);
    assert!(msg.contains("2024–2026") && msg.contains("2027-01-01") && msg.contains("--end"), "{msg}");
    let typed: String =
        pdftotext(&print::publicity(&conn, &key, Lang::Zh, Some(&req("2026-12-30", Some("2027-01-07"))))?)?
            .split_whitespace()
            .collect();
    assert!(typed.contains("2026-12-30至2027-01-07"), "{typed}");
    for (start, end) in [("2025-13-01", None), ("2025-10-09", Some("2025-10-01"))] {
        assert!(print::publicity(&conn, &key, Lang::Zh, Some(&req(start, end))).is_err(), "{start} {end:?}");
    }
    Ok(())
}
