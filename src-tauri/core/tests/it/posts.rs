//! 岗位结构比例 on the fixtures: the three 高级实验师 candidates (GX2025-0001,
//! -0002, -0005) all reach two thirds; one post lets only the first by 同意
//! pass, a tie at the boundary passes nobody tied and a re-vote among the
//! tied (a new round with its reason) decides. The results sheet, the
//! minutes and the public notice read back from the PDFs.

use crate::common::*;
use conclave_core::api::{posts, print, standard, voting};
use conclave_core::domain::posts::Place;
use conclave_core::i18n::Lang;
use std::collections::BTreeMap;

const SENIOR: [&str; 3] = ["GX2025-0001", "GX2025-0002", "GX2025-0005"];

/// Casts 20 ballots in `round`: candidate `id` gets `fors[id]` 同意 (the
/// rest 不同意); every other candidate 同意 from all.
fn vote(
    conn: &mut conclave_core::store::Meeting,
    round: i64,
    ids: &[String],
    fors: &BTreeMap<&str, usize>,
) -> anyhow::Result<()> {
    let candidates = voting::round_status(conn, round)?.candidates;
    for (k, member) in ids[..20].iter().enumerate() {
        let choices = candidates
            .iter()
            .map(|c| {
                let n = fors.get(c.as_str()).copied().unwrap_or(20);
                (c.clone(), if k < n { voting::Choice::For } else { voting::Choice::Against })
            })
            .collect();
        voting::cast(conn, round, member, &choices)?;
    }
    tally(conn, round)?;
    let pin = chair_pin(conn)?;
    voting::confirm_round(conn, round, &pin)?;
    Ok(())
}

fn first_round(
    posts: Option<u32>,
    fors: [usize; 3],
) -> anyhow::Result<(tempfile::TempDir, conclave_core::store::Meeting, i64, Vec<String>)> {
    let data = tempfile::tempdir()?;
    let db = meeting(data.path())?;
    let (mut conn, round, ids) = open_station_round(&db, |conn| {
        if let Some(n) = posts {
            standard::set_posts(conn, "高级实验师", Some(n))?;
        }
        Ok(())
    })?;
    let fors: BTreeMap<&str, usize> = SENIOR.iter().copied().zip(fors).collect();
    vote(&mut conn, round, &ids, &fors)?;
    Ok((data, conn, round, ids))
}

fn passed(conn: &conclave_core::store::Connection) -> anyhow::Result<Vec<String>> {
    let mut out: Vec<String> = posts::walk(conn, true)?
        .latest
        .into_iter()
        .filter(|(id, (_, p))| *p && SENIOR.contains(&id.as_str()))
        .map(|(id, _)| id)
        .collect();
    out.sort();
    Ok(out)
}

#[test]
fn one_post_lets_only_the_first_by_for_votes_pass() -> anyhow::Result<()> {
    // 0001: 16, 0002: 15, 0005: 18 — all reach ⌈2/3 × 20⌉ = 14.
    let (_d, conn, _round, _) = first_round(None, [16, 15, 18])?;
    assert_eq!(passed(&conn)?, SENIOR, "without posts all three pass");

    let (_d, conn, round, _) = first_round(Some(1), [16, 15, 18])?;
    assert_eq!(passed(&conn)?, vec!["GX2025-0005"]);
    let r = &posts::rankings(&conn, round)?[0];
    assert_eq!((r.title.as_str(), r.posts, r.left), ("senior_lab_engineer", 1, 1));
    let order: Vec<(&str, u32, Place)> =
        r.ranked.iter().map(|x| (x.candidate_id.as_str(), x.votes_for, x.place)).collect();
    assert_eq!(
        order,
        vec![
            ("GX2025-0005", 18, Place::Within),
            ("GX2025-0001", 16, Place::Beyond),
            ("GX2025-0002", 15, Place::Beyond)
        ]
    );

    let key = chair_key(&conn)?;
    let pdf = print::results_sheet(&conn, &key, round, Lang::Zh)?;
    keep("posts-results-zh.pdf", &pdf)?;
    let sheet: String = pdftotext(&pdf)?.split_whitespace().collect();
    for want in [
        "岗位结构比例",
        "高级实验师：岗位数1",
        "1梁喆18票（岗位数内，通过）",
        "超出岗位数",
        "不按名单顺序决定",
    ] {
        assert!(sheet.contains(want), "results sheet lacks {want}:\n{sheet}");
    }
    let pdf = print::minutes(&conn, &key, Lang::En)?;
    keep("posts-minutes-en.pdf", &pdf)?;
    let minutes: String = pdftotext(&pdf)?.split_whitespace().collect();
    assert!(minutes.contains("Poststructure") && minutes.contains("beyondtheposts"), "{minutes}");
    let notice: String =
        pdftotext(&print::publicity(&conn, &key, Lang::Zh, None)?)?.split_whitespace().collect();
    assert!(notice.contains("梁喆") && !notice.contains("彭志") && !notice.contains("蒋娜洋"));
    Ok(())
}

#[test]
fn a_tie_at_the_boundary_is_reported_and_a_revote_among_the_tied_decides() -> anyhow::Result<()> {
    let (_d, mut conn, round, ids) = first_round(Some(1), [17, 15, 17])?;
    let r = &posts::rankings(&conn, round)?[0];
    let tied: Vec<&str> = r.tied().iter().map(|x| x.candidate_id.as_str()).collect();
    assert_eq!(tied, vec!["GX2025-0001", "GX2025-0005"], "both at 17, neither by list order");
    assert_eq!(passed(&conn)?, Vec::<String>::new(), "nobody tied passes");
    let needed = posts::revote_needed(&conn)?;
    assert_eq!(needed.len(), 1);
    assert!(needed[0].1.render(Lang::Zh).contains("须由并列者重新投票"), "{}", needed[0].1.render(Lang::Zh));
    let sheet: String = pdftotext(&print::results_sheet(&conn, &chair_key(&conn)?, round, Lang::Zh)?)?
        .split_whitespace()
        .collect();
    assert!(sheet.contains("并列，须重新投票"), "{sheet}");

    // The re-vote: a new round of the tied two, with its reason.
    let tied: Vec<String> = tied.iter().map(|s| s.to_string()).collect();
    let pin = chair_pin(&mut conn)?;
    let again = voting::open_round(
        &mut conn,
        &tied,
        "岗位数内同意票数相同，并列者重新投票",
        voting::Mode::Station,
        &pin,
    )?;
    let fors: BTreeMap<&str, usize> = [("GX2025-0001", 16), ("GX2025-0005", 18)].into_iter().collect();
    vote(&mut conn, again, &ids, &fors)?;
    let r = &posts::rankings(&conn, again)?[0];
    assert_eq!(r.left, 1, "no post was filled by the first round");
    assert_eq!(passed(&conn)?, vec!["GX2025-0005"]);
    assert!(posts::revote_needed(&conn)?.is_empty(), "the re-vote settled it");
    // The minutes sum up: each candidate's last confirmed round decides.
    let minutes: String =
        pdftotext(&print::minutes(&conn, &chair_key(&conn)?, Lang::Zh)?)?.split_whitespace().collect();
    let summary = &minutes[minutes.find("表决结果汇总").expect("the final results")..];
    let line = |id: &str| {
        let at = summary.find(id).unwrap_or_else(|| panic!("{id} in the final results: {summary}"));
        summary[at + id.len()..].chars().take(12).collect::<String>()
    };
    assert!(line("GX2025-0005").contains("2通过"), "the re-vote's winner: {summary}");
    assert!(line("GX2025-0001").contains("2超出岗位数"), "the re-vote's other, past the one post: {summary}");
    Ok(())
}
