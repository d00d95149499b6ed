//! Meeting benchmark: 300 candidates × 40 members. Times the casting of every
//! ballot, the count when the round closes (with the box's compaction), and
//! the sealed results sheet (generation time and file size).
//! Run: cargo run --release --example bench_meeting

use conclave_lib::api::voting::Choice;
use conclave_lib::api::{import, meeting, print, session, voting};
use conclave_lib::domain::meeting::{Level, NewMeeting};
use conclave_lib::i18n::Lang;
use conclave_lib::package::Limits;
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
    let db = meeting::meeting_dir(&dir, &m.id)?.join(conclave_lib::store::DB_FILE);
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
    let pages = pdf.windows(10).filter(|w| w == b"/Type /Page" || w == b"/Type/Page").count();
    println!("300 candidates × 40 members");
    println!(
        "cast 39 ballots of 300 lines each:  {:.0} ms ({:.1} ms per ballot)",
        cast_39.as_secs_f64() * 1e3,
        cast_39.as_secs_f64() * 1e3 / 39.0
    );
    println!("last ballot + count + compaction:   {:.0} ms", close.as_secs_f64() * 1e3);
    println!(
        "results sheet (sealed PDF):         {:.0} ms, {} KiB, ~{} pages",
        print_time.as_secs_f64() * 1e3,
        pdf.len() / 1024,
        pages
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("conclave-bench-meeting-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
