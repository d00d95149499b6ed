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
