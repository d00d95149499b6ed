//! Meeting benchmark: 300 candidates × 40 members. Times the casting of every
//! ballot, the count when the round closes (with the box's compaction), and
//! the sealed results sheet (generation time and file size).
//! Run: cargo run --release --example bench_meeting

use conclave_core::api::voting::Choice;
use conclave_core::api::{import, meeting, print, session, voting};
use conclave_core::domain::meeting::{Level, NewMeeting};
use conclave_core::i18n::Lang;
use conclave_core::package::Limits;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile_dir()?;
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&pkg)?;
    let candidates: Vec<serde_json::Value> = (1..=300)
        .map(|i| {
            serde_json::json!({
                "id": format!("B-{i:04}"), "name": format!("申报人{i}"), "organization": format!("广西第{}研究所（实验测试中心）", i % 37),
                "applied_title": if i % 3 == 0 { "正高级实验师" } else { "高级实验师" }, "review_group": format!("第{}组", i % 5),
            })
        })
        .collect();
    std::fs::write(
        pkg.join("dossier.json"),
        serde_json::to_vec(&serde_json::json!({ "format": "conclave-dossier/1", "candidates": candidates }))?,
    )?;
    let members: Vec<serde_json::Value> = (1..=40)
        .map(|i| serde_json::json!({ "id": format!("M{i:02}"), "name": format!("委员{i}"), "role": if i == 1 { "chair" } else { "member" } }))
        .collect();
    let roster = dir.join("committee.json");
    std::fs::write(
        &roster,
        serde_json::to_vec(&serde_json::json!({ "format": "conclave-committee/1", "members": members }))?,
    )?;

    let m = meeting::create(
        &dir,
        &NewMeeting {
            name: "基准会议".into(),
            level: Level::Senior,
            date: "2025-12-05".into(),
            place: String::new(),
        },
    )?;
    let db = meeting::meeting_dir(&dir, &m.id)?.join(conclave_core::store::DB_FILE);
    for p in [&pkg, &roster] {
        let r = import::import(&db, p, &Limits::default(), &mut |_| {}, &AtomicBool::new(false))?;
        assert!(r.ok(), "benchmark input imports");
    }
    let mut conn = rusqlite::Connection::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids {
        session::set_presence(&mut conn, id, true)?;
    }
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station)?;
    let list = voting::round_status(&conn, round)?.candidates;
    let started = Instant::now();
    for (k, member) in ids.iter().enumerate().skip(1) {
        let choices: BTreeMap<String, Choice> = list
            .iter()
            .enumerate()
            .map(|(ci, c)| (c.clone(), if (k + ci) % 4 == 0 { Choice::Against } else { Choice::For }))
            .collect();
        voting::cast(&mut conn, round, member, &choices)?;
    }
    let cast_39 = started.elapsed();
    // The last ballot closes the round: count + compaction.
    let last: BTreeMap<String, Choice> = list.iter().map(|c| (c.clone(), Choice::Abstain)).collect();
    let closing = Instant::now();
    voting::cast(&mut conn, round, &ids[0], &last)?;
    let close = closing.elapsed();
    voting::confirm_round(&mut conn, round)?;
    let printing = Instant::now();
    let pdf = print::results_sheet(&conn, round, Lang::Zh)?;
    let print_time = printing.elapsed();
    let pages = |pdf: &[u8]| lopdf::Document::load_mem(pdf).map(|d| d.get_pages().len()).unwrap_or(0);
    let minutes_started = Instant::now();
    let minutes = print::minutes(&conn, Lang::Zh)?;
    let minutes_time = minutes_started.elapsed();
    let verify_started = Instant::now();
    let verdict = print::verify_pdf(&minutes, Lang::Zh);
    let verify_time = verify_started.elapsed();
    assert!(verdict.authentic, "the minutes verify");
    // Reference in the same run: poppler reading the same two files back.
    let reference = |pdf: &[u8]| -> Result<std::time::Duration, Box<dyn std::error::Error>> {
        let f = dir.join("ref.pdf");
        std::fs::write(&f, pdf)?;
        let t = Instant::now();
        let ok = std::process::Command::new("pdftotext").arg(&f).arg("/dev/null").status()?.success();
        assert!(ok, "pdftotext reads it");
        Ok(t.elapsed())
    };
    let ref_results = reference(&pdf)?;
    let ref_minutes = reference(&minutes)?;
    let archive_started = Instant::now();
    let archive = dir.join("archive.zip");
    let summary = conclave_core::api::archive::export(&db, &archive, Lang::Zh)?;
    let archive_time = archive_started.elapsed();
    let check_started = Instant::now();
    let checked = conclave_core::api::archive::verify(&archive, Lang::Zh);
    let check_time = check_started.elapsed();
    assert!(checked.authentic, "{:?}", checked.problems);
    println!("300 candidates × 40 members");
    println!(
        "cast 39 ballots of 300 lines each:  {:.0} ms ({:.1} ms per ballot)",
        cast_39.as_secs_f64() * 1e3,
        cast_39.as_secs_f64() * 1e3 / 39.0
    );
    println!("last ballot + count + compaction:   {:.0} ms", close.as_secs_f64() * 1e3);
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "results sheet (sealed PDF):         {:.0} ms, {} KiB, {} pages (pdftotext reads it in {:.0} ms: {:.2}x)",
        ms(print_time),
        pdf.len() / 1024,
        pages(&pdf),
        ms(ref_results),
        ms(print_time) / ms(ref_results)
    );
    println!(
        "minutes (sealed PDF):               {:.0} ms, {} KiB, {} pages (pdftotext reads it in {:.0} ms: {:.2}x)",
        ms(minutes_time),
        minutes.len() / 1024,
        pages(&minutes),
        ms(ref_minutes),
        ms(minutes_time) / ms(ref_minutes)
    );
    println!("verify the minutes (re-render):     {:.0} ms", ms(verify_time));
    println!(
        "archive export (all PDFs again):    {:.0} ms, {} files, {} KiB; verify {:.0} ms",
        ms(archive_time),
        summary.files,
        std::fs::metadata(&archive)?.len() / 1024,
        ms(check_time)
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("conclave-bench-meeting-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
