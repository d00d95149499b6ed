//! Meeting benchmark: 300 candidates × 40 members. Times the casting of every
//! encrypted ballot (against a plain cast of the same ballot: one register
//! row and 300 plaintext rows in one transaction, in the same run), closing
//! the box, the trustees' tally, the sealed results sheet and minutes, and
//! the archive's export and full recount.
//! Then today's code path against the new one for the ballot proofs, in
//! the same run on the same meeting ([`paths`]).
//! Run: cargo run --release -p conclave-core --example bench_meeting

mod paths;

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
        None,
    )?;
    let db = meeting::meeting_dir(&dir, &m.id)?.join(conclave_core::store::DB_FILE);
    for p in [&pkg, &roster] {
        let r = import::import(&db, p, &Limits::default(), &mut |_| {}, &AtomicBool::new(false))?;
        assert!(r.ok(), "benchmark input imports");
    }
    let mut conn = conclave_core::store::open(&db)?;
    let ids: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
    for id in &ids {
        session::set_presence(&mut conn, id, true)?;
    }
    let trustees = [
        ("委员1", "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA"),
        ("监票人甲", "M4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE"),
        ("监票人乙", "H3NXP-7WQKD-5RBZT-8MJCF-2VGYA"),
    ];
    conclave_core::api::trustees::setup(&mut conn, trustees.map(|t| t.0), trustees.map(|t| t.1))?;
    let pin = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &pin)?;
    let list = voting::round_status(&conn, round)?.candidates;
    let started = Instant::now();
    let cast_clock = paths::Clock::start();
    for (k, member) in ids.iter().enumerate().skip(1) {
        let choices: BTreeMap<String, Choice> = list
            .iter()
            .enumerate()
            .map(|(ci, c)| (c.clone(), if (k + ci) % 4 == 0 { Choice::Against } else { Choice::For }))
            .collect();
        voting::cast(&mut conn, round, member, &choices)?;
    }
    let cast_39 = started.elapsed();
    let cast_api = cast_clock.stop() / 39;
    // The last ballot closes the box (and compacts the file).
    let last: BTreeMap<String, Choice> = list.iter().map(|c| (c.clone(), Choice::Abstain)).collect();
    let closing = Instant::now();
    voting::cast(&mut conn, round, &ids[0], &last)?;
    let close = closing.elapsed();
    let tallying = Instant::now();
    let tally_clock = paths::Clock::start();
    conclave_core::api::tally::tally_round(&mut conn, round, [trustees[0], trustees[2]])?;
    let tally_api = tally_clock.stop();
    let tally_time = tallying.elapsed();
    let pin = chair_pin(&mut conn)?;
    voting::confirm_round(&mut conn, round, &pin)?;
    let plain = plain_cast_reference(&dir, &list, 39)?;
    let printing = Instant::now();
    let pdf = print::results_sheet(
        &conn,
        &conclave_core::api::signing::unlock(&conn, Some("7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA"))?,
        round,
        Lang::Zh,
    )?;
    let print_time = printing.elapsed();
    let pages = |pdf: &[u8]| lopdf::Document::load_mem(pdf).map(|d| d.get_pages().len()).unwrap_or(0);
    let minutes_started = Instant::now();
    let minutes = print::minutes(
        &conn,
        &conclave_core::api::signing::unlock(&conn, Some("7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA"))?,
        Lang::Zh,
    )?;
    let minutes_time = minutes_started.elapsed();
    let verify_started = Instant::now();
    let verdict = conclave_core::api::verify::verify_pdf(&minutes, Lang::Zh);
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
    let summary =
        conclave_core::api::archive::export(&db, &archive, Lang::Zh, Some("7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA"))?;
    let archive_time = archive_started.elapsed();
    let check_started = Instant::now();
    let check_clock = paths::Clock::start();
    let checked = conclave_core::api::archive::verify(&archive, Lang::Zh);
    let check_api = check_clock.stop();
    let check_time = check_started.elapsed();
    assert!(checked.authentic, "{:?}", checked.problems);
    // Today's path against the new one, same run, same meeting.
    let keys = conclave_core::api::trustees::require_keys(&conn)?;
    let ctx = conclave_core::api::tally::context(&conn, round)?;
    let stored = conclave_core::api::tally::ballots(&conn, round)?;
    let boxed: Vec<&conclave_ballot::Ballot> = stored.iter().map(|(_, b)| b).collect();
    let (cast_today, cast_new) = paths::cast(&keys, &ctx, &list, 5);
    let argon_started = paths::Clock::start();
    let (_, s1) = conclave_core::api::trustees::open_share(&conn, trustees[0].0, trustees[0].1)?;
    let (_, s3) = conclave_core::api::trustees::open_share(&conn, trustees[2].0, trustees[2].1)?;
    let argon_today = argon_started.stop();
    let argon_started = paths::Clock::start();
    conclave_core::api::trustees::open_two_shares(&conn, [trustees[0], trustees[2]])?;
    let argon_new = argon_started.stop();
    let (tally_today, tally_new) = paths::tally(&keys, &ctx, &boxed, [&s1, &s3]);
    let sealed = conclave_core::api::archive::ballots::export(&conn)?;
    let records = sealed
        .rounds
        .iter()
        .find(|r| r.round == round)
        .ok_or("the round is in the archive")?
        .decryptions
        .iter()
        .map(|(c, d)| (c.clone(), d.partials.clone()))
        .collect();
    let (recount_today, recount_new) = paths::recount(&keys, &ctx, &boxed, &records);

    println!("300 candidates × 40 members");
    println!(
        "cast 39 ballots of 300 lines each:  {:.0} ms ({:.1} ms per ballot)",
        cast_39.as_secs_f64() * 1e3,
        cast_39.as_secs_f64() * 1e3 / 39.0
    );
    println!(
        "plain cast (reference, same run):   {:.1} ms per ballot; encrypted ballot / plain: {:.0}x",
        plain.as_secs_f64() * 1e3 / 39.0,
        cast_39.as_secs_f64() / plain.as_secs_f64()
    );
    println!("last ballot + close + compaction:   {:.0} ms", close.as_secs_f64() * 1e3);
    println!(
        "tally (2 passphrases, box check, 900 proved decryptions): {:.0} ms",
        tally_time.as_secs_f64() * 1e3
    );
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
        "archive export (all PDFs again):    {:.0} ms, {} files, {} KiB; verify {:.0} ms ({} ballots, {} proofs checked)",
        ms(archive_time),
        summary.files,
        std::fs::metadata(&archive)?.len() / 1024,
        ms(check_time),
        checked.ballots_checked,
        checked.proofs_checked
    );
    println!();
    println!("today's path against the new one (same run; load average {})", loadavg());
    println!("wall = elapsed time; cpu = this process's CPU time, all threads (10 ms ticks)");
    println!(
        "{:<48} {:>8} {:>8} {:>6}  {:>8} {:>8} {:>6}  target",
        "figure", "today", "new", "ratio", "cpu tdy", "cpu new", "ratio"
    );
    let row = |label: &str, today: [f64; 2], new: [f64; 2], target: &str| {
        println!(
            "{label:<48} {:>5.0} ms {:>5.0} ms {:>5.2}x  {:>5.0} ms {:>5.0} ms {:>5.2}x  {target}",
            today[0] * 1e3,
            new[0] * 1e3,
            today[0] / new[0],
            today[1] * 1e3,
            new[1] * 1e3,
            today[1] / new[1].max(1e-3),
        );
    };
    let secs = |t: paths::Timing| [t.wall.as_secs_f64(), t.cpu.as_secs_f64()];
    // The api runs only the new path; today's total is the api's time with
    // the new part replaced by today's, both measured in this run.
    let swap = |api: paths::Timing, parts: &[(paths::Timing, paths::Timing)]| {
        let mut t = secs(api);
        for (today, new) in parts {
            for (k, (a, b)) in secs(*today).iter().zip(secs(*new)).enumerate() {
                t[k] = (t[k] - b + a).max(0.0);
            }
        }
        t
    };
    row(
        "cast a 300-line ballot (api; today estimated)",
        swap(cast_api, &[(cast_today, cast_new)]),
        secs(cast_api),
        "<= 120 ms",
    );
    row("  encrypt + prove + verify only", secs(cast_today), secs(cast_new), "");
    let tally_parts = [(tally_today, tally_new), (argon_today, argon_new)];
    row(
        "tally 300 x 40, two trustees (api; today est.)",
        swap(tally_api, &tally_parts),
        secs(tally_api),
        "<= 1500 ms",
    );
    row("  box check + 900 proved decryptions", secs(tally_today), secs(tally_new), "");
    row("  argon2id, two shares (fixed cost, not lowered)", secs(argon_today), secs(argon_new), "");
    row(
        "verify the archive (api; today estimated)",
        swap(check_api, &[(recount_today, recount_new)]),
        secs(check_api),
        "<= 1000 ms",
    );
    row("  every ballot proof + 1800 decryption proofs", secs(recount_today), secs(recount_new), "");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("conclave-bench-meeting-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Today's plain cast, for the ratio: per ballot, one register row and one
/// plaintext row per candidate in one durable transaction (WAL, FULL sync).
fn plain_cast_reference(
    dir: &std::path::Path,
    list: &[String],
    ballots: usize,
) -> Result<std::time::Duration, Box<dyn std::error::Error>> {
    let db = dir.join("plain.db");
    let mut c = rusqlite::Connection::open(&db)?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.execute_batch(
        "CREATE TABLE voter (round_id INTEGER, member_id TEXT, PRIMARY KEY (round_id, member_id)) WITHOUT ROWID;
         CREATE TABLE ballot (id BLOB PRIMARY KEY, round_id INTEGER, candidate_id TEXT, choice TEXT) WITHOUT ROWID;",
    )?;
    let t = Instant::now();
    for k in 0..ballots {
        let tx = c.transaction()?;
        tx.execute("INSERT INTO voter VALUES (1, ?1)", [format!("M{k:02}")])?;
        for cand in list {
            let key = uuid::Uuid::new_v4().into_bytes();
            tx.execute("INSERT INTO ballot VALUES (?1, 1, ?2, 'for')", rusqlite::params![&key[..], cand])?;
        }
        tx.commit()?;
    }
    Ok(t.elapsed())
}

/// A fresh PIN for the chair, whose PIN opens and confirms rounds.
fn chair_pin(conn: &mut conclave_core::store::Meeting) -> Result<String, Box<dyn std::error::Error>> {
    let chair = session::attendance(conn)?
        .into_iter()
        .find(|a| a.role == conclave_core::domain::vocab::Role::Chair)
        .ok_or("the roster has no chair")?;
    Ok(session::reissue_pin(conn, &chair.id)?.pin)
}
