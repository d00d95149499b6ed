//! The voting station's locks (design/terminals.md, "station mode as a
//! kiosk"): a ballot is unlocked by the member's own PIN or by the
//! secretary's PIN for a member the secretary picks; the secretary's PIN is
//! kept as argon2id, never in the clear, and changing it needs the current
//! one; leaving the kiosk takes the chair's PIN. Each refusal changes nothing.

use crate::common::*;
use conclave_core::api::voting::{self, Unlock};
use conclave_core::api::{secretary, session};
use conclave_core::i18n::Lang;
use rusqlite::Connection;

fn audit_len(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}

/// [`twenty_present`] with a station round open.
fn open_station(
) -> anyhow::Result<(tempfile::TempDir, std::path::PathBuf, conclave_core::store::Meeting, Vec<String>, i64)>
{
    let (data, db, mut conn, ids) = twenty_present()?;
    let chair = chair_pin(&mut conn)?;
    let round = voting::open_round(&mut conn, &[], "", voting::Mode::Station, &chair)?;
    Ok((data, db, conn, ids, round))
}

fn refused(e: conclave_core::error::Error, zh: &str, en: &str) {
    assert!(e.message(Lang::Zh).contains(zh), "{}", e.message(Lang::Zh));
    assert!(e.message(Lang::En).contains(en), "{}", e.message(Lang::En));
}

#[test]
fn a_member_unlocks_by_their_own_pin_and_the_secretary_by_theirs() -> anyhow::Result<()> {
    let (_d, _db, mut conn, ids, round) = open_station()?;
    let pin = session::reissue_pin(&mut conn, &ids[4])?.pin;
    let own = voting::unlock(&conn, round, Unlock::OwnPin(&pin))?;
    assert_eq!(own.member_id, ids[4]);
    assert_eq!(own.lines.len(), 8);
    let by_secretary =
        voting::unlock(&conn, round, Unlock::Secretary { pin: SECRETARY_PIN, member: &ids[6] })?;
    assert_eq!(by_secretary.member_id, ids[6]);
    // The secretary's unlock is in the chain with the member (never a choice);
    // a member's own is not.
    let unlocks: Vec<String> = conn
        .prepare("SELECT detail FROM audit_log WHERE kind = 'station.unlock'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    assert_eq!(unlocks.len(), 1, "{unlocks:?}");
    assert!(unlocks[0].contains(&ids[6]) && unlocks[0].contains("secretary"), "{}", unlocks[0]);

    let before = audit_len(&conn)?;
    refused(
        voting::unlock(&conn, round, Unlock::OwnPin("000000")).expect_err("wrong"),
        "个人密码不正确",
        "Wrong PIN",
    );
    let wrong = Unlock::Secretary { pin: "11111111", member: &ids[6] };
    refused(
        voting::unlock(&conn, round, wrong).expect_err("wrong"),
        "秘书密码不正确",
        "Wrong secretary's PIN",
    );
    let none = Unlock::Secretary { pin: " ", member: &ids[6] };
    refused(voting::unlock(&conn, round, none).expect_err("empty"), "请输入秘书密码", "is needed");
    // A member's PIN is not the secretary's, and the secretary's is no member's.
    let as_secretary = Unlock::Secretary { pin: &pin, member: &ids[6] };
    refused(voting::unlock(&conn, round, as_secretary).expect_err("member's"), "秘书密码不正确", "Wrong");
    refused(
        voting::unlock(&conn, round, Unlock::OwnPin(SECRETARY_PIN)).expect_err("secretary's"),
        "个人密码不正确",
        "Wrong",
    );
    // The secretary cannot unlock for the absent, nor twice for one voter.
    let absent = Unlock::Secretary { pin: SECRETARY_PIN, member: &ids[22] };
    refused(voting::unlock(&conn, round, absent).expect_err("absent"), "", "");
    let choices = own.lines.iter().map(|l| (l.candidate_id.clone(), voting::Choice::For)).collect();
    voting::cast(&mut conn, round, &ids[4], &choices)?;
    let again = Unlock::Secretary { pin: SECRETARY_PIN, member: &ids[4] };
    refused(voting::unlock(&conn, round, again).expect_err("voted"), "已在本轮投票", "already voted");
    assert_eq!(audit_len(&conn)?, before + 1, "only the ballot was recorded");
    Ok(())
}

#[test]
fn the_secretarys_pin_is_kept_hashed_and_changed_only_with_the_current_one() -> anyhow::Result<()> {
    let (_d, db, mut conn, ids, round) = open_station()?;
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    for file in [db.clone(), db.with_extension("db-wal")] {
        if let Ok(bytes) = std::fs::read(&file) {
            let hay = String::from_utf8_lossy(&bytes);
            assert!(!hay.contains(SECRETARY_PIN), "the secretary's PIN in the clear in {}", file.display());
        }
    }
    let stored: String = conn.query_row("SELECT hash FROM secretary_pin", [], |r| r.get(0))?;
    assert!(stored.starts_with("$argon2id$"), "{stored}");

    let before = audit_len(&conn)?;
    for (current, pin, again, zh) in [
        (None, "55556666", "55556666", "请输入秘书密码"),
        (Some("00000000"), "55556666", "55556666", "秘书密码不正确"),
        (Some(SECRETARY_PIN), "5555", "5555", "6–12 位数字"),
        (Some(SECRETARY_PIN), "5555666x", "5555666x", "6–12 位数字"),
        (Some(SECRETARY_PIN), "55556666", "55556667", "不一致"),
    ] {
        let e = secretary::set(&mut conn, current, pin, again).expect_err("refused");
        assert!(e.message(Lang::Zh).contains(zh), "{}", e.message(Lang::Zh));
    }
    assert_eq!(audit_len(&conn)?, before, "nothing changed");
    secretary::set(&mut conn, Some(SECRETARY_PIN), "55556666", "55556666")?;
    let old = Unlock::Secretary { pin: SECRETARY_PIN, member: &ids[2] };
    assert!(voting::unlock(&conn, round, old).is_err(), "the old PIN stops working");
    voting::unlock(&conn, round, Unlock::Secretary { pin: "55556666", member: &ids[2] })?;
    let entry: String =
        conn.query_row("SELECT detail FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))?;
    assert!(!entry.contains("55556666"), "the audit chain never holds the PIN: {entry}");
    Ok(())
}

#[test]
fn a_meeting_without_a_secretarys_pin_unlocks_by_members_pins_and_can_set_one() -> anyhow::Result<()> {
    let (_d, _db, mut conn, ids, round) = open_station()?;
    conn.execute("DELETE FROM secretary_pin", [])?;
    let e = voting::unlock(&conn, round, Unlock::Secretary { pin: SECRETARY_PIN, member: &ids[2] })
        .expect_err("none");
    refused(e, "没有设置秘书密码", "no secretary's PIN");
    secretary::set(&mut conn, None, "12121212", "12121212")?;
    voting::unlock(&conn, round, Unlock::Secretary { pin: "12121212", member: &ids[2] })?;
    Ok(())
}

#[test]
fn leaving_the_kiosk_takes_the_chairs_pin() -> anyhow::Result<()> {
    let (_d, _db, mut conn, ids, round) = open_station()?;
    let member = session::reissue_pin(&mut conn, &ids[7])?.pin;
    let before = audit_len(&conn)?;
    refused(
        voting::leave_kiosk(&mut conn, round, &member).expect_err("member"),
        "不是主任委员",
        "is not the chair",
    );
    refused(
        voting::leave_kiosk(&mut conn, round, SECRETARY_PIN).expect_err("secretary"),
        "个人密码不正确",
        "Wrong PIN",
    );
    assert_eq!(audit_len(&conn)?, before);
    let chair = chair_pin(&mut conn)?;
    assert_eq!(voting::leave_kiosk(&mut conn, round, &chair)?, "李鹏伟");
    let kind: String =
        conn.query_row("SELECT kind FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))?;
    assert_eq!(kind, "station.kiosk_leave");
    Ok(())
}
