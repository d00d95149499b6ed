//! The ballot box: who voted (`voter`), the ballots (`ballot`,
//! `sealed_ballot`), their decryptions and the results.

use crate::error::Result;
use rusqlite::{params, Connection};

/// Whether `member` has voted in round `round`.
pub fn has_voted(conn: &Connection, round: i64, member: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM voter WHERE round_id = ?1 AND member_id = ?2",
        params![round, member],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Who has voted in round `round` (member ids, sorted; not what they chose).
pub fn voters(conn: &Connection, round: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT member_id FROM voter WHERE round_id = ?1 ORDER BY member_id")?;
    let rows = stmt.query_map([round], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// A candidate's result in a round (no doc comment: ts-rs would copy it into the UI's bindings).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ResultRow {
    pub candidate_id: String,
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    pub tally: crate::domain::rules::Tally,
}

/// Round `round`'s results in ballot order.
pub fn results(conn: &Connection, round: i64) -> Result<Vec<ResultRow>> {
    let mut stmt = conn.prepare(
        "SELECT r.candidate_id, c.name, c.organization, c.applied_title, r.tally
         FROM result r JOIN candidate c ON c.id = r.candidate_id
         JOIN round_candidate rc ON rc.round_id = r.round_id AND rc.candidate_id = r.candidate_id
         WHERE r.round_id = ?1 ORDER BY rc.seq",
    )?;
    let rows = stmt
        .query_map([round], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut results = Vec::with_capacity(rows.len());
    for (candidate_id, name, organization, applied_title, tally) in rows {
        let tally = super::parse_row("result", &format!("{round}/{candidate_id}"), &tally)?;
        results.push(ResultRow { candidate_id, name, organization, applied_title, tally });
    }
    Ok(results)
}

/// Whether round `round` has results.
pub fn is_counted(conn: &Connection, round: i64) -> Result<bool> {
    let counted: i64 =
        conn.query_row("SELECT count(*) FROM result WHERE round_id = ?1", [round], |r| r.get(0))?;
    Ok(counted > 0)
}

/// Whether a sealed ballot with `tracker` (hex) is in round `round`'s box.
pub fn holds_tracker(conn: &Connection, round: i64, tracker: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sealed_ballot WHERE round_id = ?1 AND tracker = ?2",
        params![round, tracker],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Records that `member` has voted in round `round`.
pub fn add_voter(conn: &Connection, round: i64, member: &str) -> Result<()> {
    conn.execute("INSERT INTO voter (round_id, member_id) VALUES (?1, ?2)", params![round, member])?;
    Ok(())
}

/// Puts a sealed ballot (its JSON `data`) into round `round`'s box under a random id.
pub fn add_sealed(conn: &Connection, round: i64, tracker: &str, data: &str) -> Result<()> {
    let key = uuid::Uuid::new_v4().into_bytes();
    conn.execute(
        "INSERT INTO sealed_ballot (id, round_id, tracker, data) VALUES (?1, ?2, ?3, ?4)",
        params![&key[..], round, tracker, data],
    )?;
    Ok(())
}

/// Puts a plain ballot line (a paper ballot) into round `round`'s box under a random id.
pub fn add_plain(conn: &Connection, round: i64, candidate: &str, choice: &str) -> Result<()> {
    let key = uuid::Uuid::new_v4().into_bytes();
    conn.execute(
        "INSERT INTO ballot (id, round_id, candidate_id, choice) VALUES (?1, ?2, ?3, ?4)",
        params![&key[..], round, candidate, choice],
    )?;
    Ok(())
}

/// Round `round`'s plain ballots counted by (candidate, choice).
pub fn plain_counts(
    conn: &Connection,
    round: i64,
) -> Result<std::collections::BTreeMap<(String, String), u32>> {
    let mut stmt = conn.prepare(
        "SELECT candidate_id, choice, count(*) FROM ballot WHERE round_id = ?1 GROUP BY candidate_id, choice",
    )?;
    let rows = stmt
        .query_map([round], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?)))?;
    let mut cast = std::collections::BTreeMap::new();
    for row in rows {
        let (c, choice, n) = row?;
        cast.insert((c, choice), n);
    }
    Ok(cast)
}

/// Records candidate `candidate`'s result in round `round`.
pub fn add_result(
    conn: &Connection,
    round: i64,
    candidate: &str,
    tally: &crate::domain::rules::Tally,
) -> Result<()> {
    conn.execute(
        "INSERT INTO result (round_id, candidate_id, tally, passed) VALUES (?1, ?2, ?3, ?4)",
        params![round, candidate, serde_json::to_string(tally)?, tally.passed as i64],
    )?;
    Ok(())
}

/// Round `round`'s sealed ballots as stored (random-key order), with their trackers (hex).
pub fn sealed_ballots(conn: &Connection, round: i64) -> Result<Vec<(String, conclave_ballot::Ballot)>> {
    let mut stmt = conn.prepare("SELECT tracker, data FROM sealed_ballot WHERE round_id = ?1")?;
    let rows = stmt
        .query_map([round], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(tracker, data)| {
            let b = super::parse_row("sealed_ballot", &tracker, &data)?;
            Ok((tracker, b))
        })
        .collect()
}

/// Round `round`'s trackers (hex) as the box lists them (random-key order).
pub fn sealed_trackers(conn: &Connection, round: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT tracker FROM sealed_ballot WHERE round_id = ?1")?;
    let rows = stmt.query_map([round], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many sealed ballots round `round`'s box holds.
pub fn sealed_count(conn: &Connection, round: i64) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", [round], |r| r.get(0))?)
}

/// Records candidate `candidate`'s decryption record (its JSON `data`) in round `round`.
pub fn add_decryption(conn: &Connection, round: i64, candidate: &str, data: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO decryption (round_id, candidate_id, data) VALUES (?1, ?2, ?3)",
        params![round, candidate, data],
    )?;
    Ok(())
}

/// Per candidate of round `round`, the members eligible for them who are on the register.
pub fn voted_eligible(conn: &Connection, round: i64) -> Result<std::collections::BTreeMap<String, u64>> {
    let mut stmt = conn.prepare(
        "SELECT e.candidate_id, count(*) FROM round_eligible e
         JOIN voter v ON v.round_id = e.round_id AND v.member_id = e.member_id
         WHERE e.round_id = ?1 GROUP BY e.candidate_id",
    )?;
    let rows = stmt.query_map([round], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The results of every confirmed round: (round, candidate, tally JSON), by round.
pub fn confirmed_results(conn: &Connection) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT r.round_id, r.candidate_id, r.tally FROM result r JOIN round ro ON ro.id = r.round_id
         WHERE ro.confirmed_at IS NOT NULL ORDER BY r.round_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
