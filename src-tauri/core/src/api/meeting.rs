//! Creating, listing and opening meetings. A meeting is a folder
//! `meetings/<uuid>/` in the data folder holding `meeting.db` and (later)
//! its content-addressed evidence store.

use crate::audit;
use crate::domain::meeting::{Level, MeetingSummary, NewMeeting};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub const MEETINGS: &str = "meetings";

/// The folder of meeting `id`; refuses ids that are not ours (no traversal).
pub fn meeting_dir(data_dir: &Path, id: &str) -> Result<PathBuf> {
    if uuid::Uuid::parse_str(id).is_err() || id.len() != 36 {
        return Err(Error::NotFound(Msg::MeetingNotFound { id: id.into() }));
    }
    Ok(data_dir.join(MEETINGS).join(id))
}

/// Creates a meeting. The folder is built under a temporary name and renamed
/// into place, so a crash never leaves a half-made meeting in the list.
/// `secretary_pin` (typed twice) is the secretary's own PIN for the voting
/// station ([`crate::api::secretary`]).
pub fn create(
    data_dir: &Path,
    input: &NewMeeting,
    secretary_pin: Option<(&str, &str)>,
) -> Result<MeetingSummary> {
    create_with_reference(data_dir, input, secretary_pin, None)
}

/// [`create`] with the reference date the application conditions count
/// years to (资历计算截止日期); `None` counts them to the meeting date.
pub fn create_with_reference(
    data_dir: &Path,
    input: &NewMeeting,
    secretary_pin: Option<(&str, &str)>,
    reference_date: Option<&str>,
) -> Result<MeetingSummary> {
    let input = input.validated()?;
    let reference_date = reference_date.map(crate::api::standard::valid_reference_date).transpose()?;
    let id = uuid::Uuid::new_v4().to_string();
    let root = data_dir.join(MEETINGS);
    std::fs::create_dir_all(&root).map_err(Error::io(&root))?;
    let tmp = root.join(format!(".new-{id}"));
    std::fs::create_dir(&tmp).map_err(Error::io(&tmp))?;
    let result = (|| {
        let mut conn = store::open(&tmp.join(store::DB_FILE))?;
        let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let tx = conn.write()?;
        store::meeting::insert(
            &tx,
            &store::meeting::MeetingRow {
                id: id.clone(),
                name: input.name.clone(),
                level: input.level.as_str().into(),
                date: input.date.clone(),
                place: input.place.clone(),
                created_at: created_at.clone(),
            },
        )?;
        audit::append(
            &tx,
            "meeting.create",
            &serde_json::json!({ "name": input.name, "level": input.level, "date": input.date }),
        )?;
        if let Some(date) = &reference_date {
            crate::api::standard::store_reference_date(&tx, Some(date))?;
        }
        if let Some((pin, again)) = secretary_pin {
            crate::api::secretary::store(&tx, pin, again)?;
        }
        tx.commit()?;
        // Fold the WAL into the main file before the folder is renamed.
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        drop(conn);
        let dest = root.join(&id);
        std::fs::rename(&tmp, &dest).map_err(Error::io(&dest))?;
        Ok(MeetingSummary {
            id: id.clone(),
            name: input.name.clone(),
            level: input.level,
            date: input.date.clone(),
            place: input.place.clone(),
            created_at,
            read_only: false,
        })
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn read_summary(conn: &Connection) -> Result<MeetingSummary> {
    let m = store::meeting::row(conn)?;
    Ok(MeetingSummary {
        level: Level::parse(&m.level)?,
        id: m.id,
        name: m.name,
        date: m.date,
        place: m.place,
        created_at: m.created_at,
        read_only: false,
    })
}

/// Lists the meetings in the data folder, newest meeting date first.
/// A folder that cannot be read is skipped, never fatal for the list.
pub fn list(data_dir: &Path) -> Result<Vec<MeetingSummary>> {
    let root = data_dir.join(MEETINGS);
    let entries = match std::fs::read_dir(&root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&root)(e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if meeting_dir(data_dir, name).is_err() {
            continue; // temporary or foreign folder
        }
        let db = entry.path().join(store::DB_FILE);
        if let Ok(mut summary) = store::open_read_only(&db).and_then(|c| read_summary(&c)) {
            // The folder is the local handle: an archive opened here keeps
            // its meeting's own id inside (its proofs are bound to it).
            summary.id = name.to_string();
            summary.read_only = store::is_archive(&entry.path());
            out.push(summary);
        }
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.created_at.cmp(&a.created_at)));
    Ok(out)
}

/// Opens meeting `id` for reading and writing; a meeting opened from an
/// archive is opened read-only, and the handle refuses every change
/// ([`store::Meeting::write`]).
pub fn open(data_dir: &Path, id: &str) -> Result<store::Meeting> {
    let dir = meeting_dir(data_dir, id)?;
    let db = dir.join(store::DB_FILE);
    if !db.is_file() {
        return Err(Error::NotFound(Msg::MeetingNotFound { id: id.into() }));
    }
    store::open(&db)
}

/// The summary of meeting `id`.
pub fn get(data_dir: &Path, id: &str) -> Result<MeetingSummary> {
    let conn = open(data_dir, id)?;
    let mut summary = read_summary(&conn)?;
    summary.id = id.to_string();
    summary.read_only = store::is_archive(&meeting_dir(data_dir, id)?);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(name: &str, date: &str) -> NewMeeting {
        NewMeeting { name: name.into(), level: Level::Senior, date: date.into(), place: "南宁".into() }
    }

    #[test]
    fn created_meetings_are_listed_newest_first_and_reopen() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = create(dir.path(), &new("甲会议", "2025-11-01"), None)?;
        let b = create(dir.path(), &new("乙会议 韦秀𠮷", "2025-12-01"), Some(("123456", "123456")))?;
        let listed = list(dir.path())?;
        assert_eq!(listed, vec![b.clone(), a], "newest meeting date first");
        assert_eq!(get(dir.path(), &b.id)?.name, "乙会议 韦秀𠮷", "rare characters survive");
        let conn = open(dir.path(), &b.id)?;
        audit::verify(&conn)?;
        Ok(())
    }

    #[test]
    fn invalid_input_creates_nothing() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        assert!(create(dir.path(), &new("", "2025-11-01"), None).is_err());
        assert!(create(dir.path(), &new("会", "2025-13-01"), None).is_err());
        // A secretary's PIN that is too short, not digits, or typed differently.
        for pin in [("12345", "12345"), ("12345a", "12345a"), ("123456", "123457")] {
            assert!(create(dir.path(), &new("会", "2025-11-01"), Some(pin)).is_err());
        }
        assert!(list(dir.path())?.is_empty());
        assert!(
            !dir.path().join(MEETINGS).exists()
                || std::fs::read_dir(dir.path().join(MEETINGS))?.next().is_none()
        );
        Ok(())
    }

    #[test]
    fn foreign_ids_are_refused() {
        let dir = std::path::Path::new("/tmp");
        assert!(meeting_dir(dir, "../etc").is_err());
        assert!(meeting_dir(dir, "").is_err());
    }
}
