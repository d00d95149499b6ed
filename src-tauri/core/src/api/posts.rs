//! The posts (岗位结构比例) applied to the counted rounds, in order: each
//! round ranks its candidates of a title with posts against the posts its
//! earlier rounds left ([`crate::domain::posts`]); a candidate's latest
//! round decides. The counts stored stay the tally's; the posts decide who
//! of those who reached the threshold passes.

use crate::domain::posts::{self, Place, Ranking};
use crate::error::Result;
use crate::store;
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap};

/// Every counted round's rankings, and each candidate's latest outcome
/// (passes or not) with the posts applied.
pub struct Walk {
    pub rankings: BTreeMap<i64, Vec<Ranking>>,
    /// Candidate → (round, passes), the latest counted round.
    pub latest: HashMap<String, (i64, bool)>,
}

/// Walks the counted rounds in order; `confirmed_only` leaves out rounds the
/// chair has not confirmed (what the public notice may list).
pub fn walk(conn: &Connection, confirmed_only: bool) -> Result<Walk> {
    let limits: HashMap<String, u32> = store::standard::posts(conn)?.into_iter().collect();
    let titles = title_of(conn)?;
    let mut walk = Walk { rankings: BTreeMap::new(), latest: HashMap::new() };
    for round in store::round::ids(conn)? {
        if confirmed_only && store::round::confirmation(conn, round)?.is_none_or(|c| c.1.is_none()) {
            continue;
        }
        let results = store::ballot_box::results(conn, round)?;
        if results.is_empty() {
            continue;
        }
        let in_round: Vec<&str> = results.iter().map(|r| r.candidate_id.as_str()).collect();
        let mut places: HashMap<String, Place> = HashMap::new();
        let mut rankings = Vec::new();
        for (title, &n) in &limits {
            let of_title: Vec<_> = results.iter().filter(|r| &r.applied_title == title).collect();
            if of_title.is_empty() {
                continue;
            }
            let filled = walk
                .latest
                .iter()
                .filter(|(c, (_, passes))| {
                    *passes && !in_round.contains(&c.as_str()) && titles.get(*c) == Some(title)
                })
                .count() as u32;
            let reached: Vec<(String, String, u32)> = of_title
                .iter()
                .filter(|r| r.tally.passed)
                .map(|r| (r.candidate_id.clone(), r.name.clone(), r.tally.votes_for))
                .collect();
            let ranking = posts::rank(title, n, n.saturating_sub(filled), &reached);
            for r in &ranking.ranked {
                places.insert(r.candidate_id.clone(), r.place);
            }
            rankings.push(ranking);
        }
        for r in &results {
            let passes = match places.get(&r.candidate_id) {
                Some(place) => *place == Place::Within,
                None => r.tally.passed,
            };
            walk.latest.insert(r.candidate_id.clone(), (round, passes));
        }
        if !rankings.is_empty() {
            walk.rankings.insert(round, rankings);
        }
    }
    Ok(walk)
}

fn title_of(conn: &Connection) -> Result<HashMap<String, String>> {
    Ok(crate::api::candidates::all(conn)?.into_iter().map(|c| (c.id, c.applied_title)).collect())
}

/// Round `round`'s rankings (none when no title of it has posts).
pub fn rankings(conn: &Connection, round: i64) -> Result<Vec<Ranking>> {
    Ok(walk(conn, false)?.rankings.remove(&round).unwrap_or_default())
}

/// Where each candidate of `round` placed, for the titles with posts.
pub fn places(conn: &Connection, round: i64) -> Result<HashMap<String, Place>> {
    Ok(rankings(conn, round)?
        .into_iter()
        .flat_map(|r| r.ranked.into_iter().map(|x| (x.candidate_id, x.place)))
        .collect())
}

/// The ties at a boundary not yet settled by a later round: per title, the
/// message naming the tied candidates and saying they are voted on again.
pub fn revote_needed(conn: &Connection) -> Result<Vec<(String, crate::i18n::Msg)>> {
    let walk = walk(conn, false)?;
    let mut out = Vec::new();
    for (round, rankings) in &walk.rankings {
        for r in rankings {
            let open: Vec<&str> = r
                .tied()
                .into_iter()
                .filter(|x| walk.latest.get(&x.candidate_id).is_some_and(|(latest, _)| latest == round))
                .map(|x| x.name.as_str())
                .collect();
            if !open.is_empty() {
                let msg = crate::i18n::Msg::PostsTie {
                    title: r.title.clone(),
                    names: open.join("、"),
                    left: r.left,
                };
                out.push((r.title.clone(), msg));
            }
        }
    }
    Ok(out)
}
