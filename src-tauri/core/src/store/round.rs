//! The `round` table and its lists (`round_candidate`, `round_eligible`).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// The open round terminals vote in, if any.
pub fn open_terminal(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM round WHERE closed_at IS NULL AND mode = 'terminal'", [], |r| r.get(0))
        .optional()?)
}

/// The open round voted elsewhere than on terminals (at the station or on
/// paper): its id and mode.
pub fn open_elsewhere(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row("SELECT id, mode FROM round WHERE closed_at IS NULL AND mode <> 'terminal'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// The mode (`station`, `paper`, `terminal`) of round `round`, `None` when there is no such round.
pub fn mode(conn: &Connection, round: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT mode FROM round WHERE id = ?1", [round], |r| r.get(0)).optional()?)
}

/// Whether `member` has a ballot in round `round`.
pub fn is_eligible(conn: &Connection, round: i64, member: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM round_eligible WHERE round_id = ?1 AND member_id = ?2",
        params![round, member],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// The round still open, if any.
pub fn open_any(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT id FROM round WHERE closed_at IS NULL", [], |r| r.get(0)).optional()?)
}

/// A sealed round closed but not yet counted, if any.
pub fn closed_uncounted(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM round WHERE sealed = 1 AND closed_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM result WHERE result.round_id = round.id)",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// The candidates no confirmed round has decided, by review group and id.
pub fn undecided_candidates(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM candidate WHERE id NOT IN (
             SELECT rc.candidate_id FROM round_candidate rc JOIN round r ON r.id = rc.round_id
             WHERE r.confirmed_at IS NOT NULL) ORDER BY review_group, id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many rounds `candidate` has been in.
pub fn times_in_rounds(conn: &Connection, candidate: &str) -> Result<u32> {
    Ok(conn.query_row("SELECT count(*) FROM round_candidate WHERE candidate_id = ?1", [candidate], |r| {
        r.get(0)
    })?)
}

/// A new round as it opens.
pub struct NewRound<'a> {
    pub mode: &'a str,
    pub reason: &'a str,
    pub present: u32,
    pub opened_at: &'a str,
    pub sealed: bool,
    pub opened_by: &'a str,
}

/// Inserts a round; its id.
pub fn insert(conn: &Connection, r: &NewRound) -> Result<i64> {
    conn.execute(
        "INSERT INTO round (mode, reason, present, opened_at, sealed, opened_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![r.mode, r.reason, r.present, r.opened_at, r.sealed as i64, r.opened_by],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Puts `candidate` on round `round`'s ballot at position `seq`.
pub fn add_candidate(conn: &Connection, round: i64, candidate: &str, seq: usize) -> Result<()> {
    conn.execute(
        "INSERT INTO round_candidate (round_id, candidate_id, seq) VALUES (?1, ?2, ?3)",
        params![round, candidate, seq],
    )?;
    Ok(())
}

/// Lets `member` vote on `candidate` in round `round`.
pub fn add_eligible(conn: &Connection, round: i64, member: &str, candidate: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO round_eligible (round_id, member_id, candidate_id) VALUES (?1, ?2, ?3)",
        params![round, member, candidate],
    )?;
    Ok(())
}

/// Eligible members present who have not voted yet.
pub fn outstanding(conn: &Connection, round: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT member_id) FROM round_eligible WHERE round_id = ?1
         AND member_id NOT IN (SELECT member_id FROM voter WHERE round_id = ?1)",
        [round],
        |r| r.get(0),
    )?)
}

/// `Some(closed_at)` for an existing round, `None` for no such round.
pub fn closed_at(conn: &Connection, round: i64) -> Result<Option<Option<String>>> {
    Ok(conn.query_row("SELECT closed_at FROM round WHERE id = ?1", [round], |r| r.get(0)).optional()?)
}

/// Records who closed round `round`.
pub fn set_closed_by(conn: &Connection, round: i64, by: &str) -> Result<()> {
    conn.execute("UPDATE round SET closed_by = ?1 WHERE id = ?2", params![by, round])?;
    Ok(())
}

/// Where a round stands: `(closed_at, confirmed_at, sealed)`.
pub type Progress = (Option<String>, Option<String>, i64);

/// Where round `round` stands, `None` for no such round.
pub fn confirmation(conn: &Connection, round: i64) -> Result<Option<Progress>> {
    Ok(conn
        .query_row("SELECT closed_at, confirmed_at, sealed FROM round WHERE id = ?1", [round], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

/// Records the confirmation of round `round` at `at` by `by`.
pub fn confirm(conn: &Connection, round: i64, at: &str, by: &str) -> Result<()> {
    conn.execute(
        "UPDATE round SET confirmed_at = ?1, confirmed_by = ?2 WHERE id = ?3",
        params![at, by, round],
    )?;
    Ok(())
}

/// The candidates of `round`, in ballot order.
pub fn candidates(conn: &Connection, round: i64) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT candidate_id FROM round_candidate WHERE round_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([round], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every round's id, in order.
pub fn ids(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM round ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A round's own row.
pub struct RoundRow {
    pub reason: String,
    pub present: i64,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub confirmed_at: Option<String>,
    pub mode: String,
    pub sealed: i64,
    pub box_root: Option<String>,
}

/// Round `id`'s row, `None` for no such round.
pub fn get(conn: &Connection, id: i64) -> Result<Option<RoundRow>> {
    Ok(conn
        .query_row(
            "SELECT reason, present, opened_at, closed_at, confirmed_at, mode, sealed, box_root FROM round WHERE id = ?1",
            [id],
            |r| {
                Ok(RoundRow {
                    reason: r.get(0)?,
                    present: r.get(1)?,
                    opened_at: r.get(2)?,
                    closed_at: r.get(3)?,
                    confirmed_at: r.get(4)?,
                    mode: r.get(5)?,
                    sealed: r.get(6)?,
                    box_root: r.get(7)?,
                })
            },
        )
        .optional()?)
}

/// The names of who opened, closed and confirmed round `id`.
pub fn actors(conn: &Connection, id: i64) -> Result<(Option<String>, Option<String>, Option<String>)> {
    Ok(conn.query_row(
        "SELECT o.name, c.name, f.name FROM round r
         LEFT JOIN member o ON o.id = r.opened_by LEFT JOIN member c ON c.id = r.closed_by
         LEFT JOIN member f ON f.id = r.confirmed_by WHERE r.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// The names of the eligible members who have not voted in round `id`, in roster order.
pub fn not_voted_names(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT m.name FROM member m WHERE m.id IN (SELECT member_id FROM round_eligible WHERE round_id = ?1)
         AND m.id NOT IN (SELECT member_id FROM voter WHERE round_id = ?1) ORDER BY m.seq",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Members eligible for at least one candidate of round `id`.
pub fn voters_expected(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT member_id) FROM round_eligible WHERE round_id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

/// How many members may vote on each candidate of `round`.
pub fn eligible_counts(conn: &Connection, round: i64) -> Result<std::collections::BTreeMap<String, u32>> {
    let mut stmt = conn.prepare(
        "SELECT rc.candidate_id, (SELECT count(*) FROM round_eligible e
                                   WHERE e.round_id = rc.round_id AND e.candidate_id = rc.candidate_id)
         FROM round_candidate rc WHERE rc.round_id = ?1",
    )?;
    let rows = stmt.query_map([round], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A round's `(closed_at, mode)`, `None` for no such round.
pub fn closed_at_and_mode(conn: &Connection, round: i64) -> Result<Option<(Option<String>, String)>> {
    Ok(conn
        .query_row("SELECT closed_at, mode FROM round WHERE id = ?1", [round], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Whether round `round` takes sealed ballots (`1`), `None` for no such round.
pub fn sealed(conn: &Connection, round: i64) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT sealed FROM round WHERE id = ?1", [round], |r| r.get(0)).optional()?)
}

/// A candidate on a member's ballot, with its stored record.
pub struct EligibleLine {
    pub candidate_id: String,
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    pub candidate: crate::package::model::Candidate,
}

/// The candidates `member` may vote on in round `round`, in ballot order.
pub fn eligible_lines(conn: &Connection, round: i64, member: &str) -> Result<Vec<EligibleLine>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, c.organization, c.applied_title, c.data
         FROM round_eligible e JOIN candidate c ON c.id = e.candidate_id
         JOIN round_candidate rc ON rc.round_id = e.round_id AND rc.candidate_id = e.candidate_id
         WHERE e.round_id = ?1 AND e.member_id = ?2 ORDER BY rc.seq",
    )?;
    let rows = stmt
        .query_map(params![round, member], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut lines = Vec::with_capacity(rows.len());
    for (candidate_id, name, organization, applied_title, data) in rows {
        let candidate = super::parse_row("candidate", &candidate_id, &data)?;
        lines.push(EligibleLine { candidate_id, name, organization, applied_title, candidate });
    }
    Ok(lines)
}

/// A round's `(mode, closed_at)`, `None` for no such round.
pub fn mode_and_closed_at(conn: &Connection, round: i64) -> Result<Option<(String, Option<String>)>> {
    Ok(conn
        .query_row("SELECT mode, closed_at FROM round WHERE id = ?1", [round], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// A round's `(present, closed_at)`, `None` for no such round.
pub fn present_and_closed_at(conn: &Connection, round: i64) -> Result<Option<(i64, Option<String>)>> {
    Ok(conn
        .query_row("SELECT present, closed_at FROM round WHERE id = ?1", [round], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// Closes round `round` at `at`.
pub fn close(conn: &Connection, round: i64, at: &str) -> Result<()> {
    conn.execute("UPDATE round SET closed_at = ?1 WHERE id = ?2", params![at, round])?;
    Ok(())
}

/// Closes round `round`'s box at `at`, with its box root.
pub fn close_box(conn: &Connection, round: i64, at: &str, box_root: &str) -> Result<()> {
    conn.execute(
        "UPDATE round SET closed_at = ?1, box_root = ?2 WHERE id = ?3",
        params![at, box_root, round],
    )?;
    Ok(())
}
