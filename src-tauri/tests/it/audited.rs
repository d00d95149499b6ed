//! `conclave round audited`: the audited (检验) ballots listed, and one
//! opened with its released randomness, as the window's 核验被检验的选票 does.

use crate::common::*;
use assert_cmd::Command;
use conclave_core::api::{tally, trustees, voting};

#[test]
fn round_audited_lists_and_opens_an_audited_ballot() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let (mut conn, round, ids) = open_station_round(&db, |_| Ok(()))?;
    let keys = trustees::require_keys(&conn)?;
    let ctx = tally::context(&conn, round)?;
    let lines: Vec<(String, conclave_ballot::Choice)> = voting::ballot_for(&conn, round, &ids[0])?
        .into_iter()
        .map(|l| (l.candidate_id, conclave_ballot::Choice::Abstain))
        .collect();
    let (ballot, randomness) =
        conclave_ballot::encrypt_ballot_revealable(keys.joint(), &ctx, &lines, &mut conclave_ballot::OsRng)?;
    let receipt = voting::spoil(&mut conn, round, &ids[0], &ballot, &randomness)?;
    drop(conn);

    let run = |args: &[&str]| {
        let out = Command::cargo_bin("conclave").expect("built").args(args).output().expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let db = db.to_string_lossy().into_owned();
    let (code, out, err) = run(&["round", "audited", "--meeting", &db]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.trim(), format!("{round}\t{}\t{}", receipt.tracker, receipt.tracker_hex));

    let r = round.to_string();
    let (code, out, err) =
        run(&["round", "audited", "--meeting", &db, "--round", &r, "--tracker", &receipt.tracker]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with(&format!("第 {round} 轮被检验的选票 {}", receipt.tracker)), "{out}");
    assert_eq!(out.lines().skip(1).count(), lines.len(), "a line per candidate: {out}");
    assert!(out.lines().skip(1).all(|l| l.ends_with("：弃权")), "every line 弃权 as encrypted: {out}");

    let (code, _, err) =
        run(&["--lang", "en", "round", "audited", "--meeting", &db, "--round", &r, "--tracker", "ZZZZ-ZZZZ"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(&format!("Round {round} has no audited ballot with tracker ZZZZ-ZZZZ")), "{err}");
    Ok(())
}
