//! A member's whole way through a terminal: pair, sign in, read, vote,
//! retry, and the host's count; and a host restart mid-round.

use crate::support::{Host, Meeting, Terminal};
use anyhow::{ensure, Result};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_pairs_signs_in_reads_votes_and_a_retry_counts_once() -> Result<()> {
    let m = Meeting::new(18)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let member = &m.members[20];
    let t = Terminal::pair(&host, &cards[member]).await?;

    let me = t.json("/api/t/me").await?;
    assert_eq!(me["member"]["id"], json!(member));
    assert_eq!(me["present"], json!(false));
    // 签到 from the seat: the attendance the secretary sees records it.
    assert_eq!(t.post("/api/t/presence", &json!({ "present": true })).await?.status(), StatusCode::OK);
    let present = conclave_core::api::session::attendance(&*m.conn()?)?;
    assert!(present.iter().any(|a| &a.id == member && a.present && a.since.is_some()));

    let agenda = t.json("/api/t/agenda").await?;
    let ids: Vec<String> = agenda
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids.len(), 8, "the fixtures' eight candidates: {ids:?}");
    let detail = t.json(&format!("/api/t/candidates/{}", ids[0])).await?;
    let file = detail["files"].as_array().and_then(|f| f.first()).cloned().expect("a file");
    let sha = file["sha256"].as_str().unwrap_or_default();
    let whole = t.get(&format!("/api/t/evidence/{sha}")).await?;
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.headers()["content-type"], file["mime"].as_str().unwrap_or_default());
    assert_eq!(whole.headers()["x-content-type-options"], "nosniff");
    let bytes = whole.bytes().await?;
    let part =
        t.client.get(format!("{}/api/t/evidence/{sha}", t.base)).header("Range", "bytes=2-9").send().await?;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.headers()["content-range"], format!("bytes 2-9/{}", bytes.len()).as_str());
    assert_eq!(&part.bytes().await?[..], &bytes[2..10]);

    // No round yet: no ballot.
    assert_eq!(t.get("/api/t/ballot").await?.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let round = m.open_terminal_round()?;
    let me = t.json("/api/t/me").await?;
    assert_eq!(me["round"], json!({ "id": round, "eligible": true, "voted": false }));

    let (r, ballot) = t.make_ballot(conclave_ballot::Choice::For).await?;
    assert_eq!(r, round);
    let first = t.cast(round, &ballot).await?;
    assert_eq!(first.status(), StatusCode::OK);
    let first: serde_json::Value = first.json().await?;
    assert_eq!(first["tracker_hex"], json!(ballot.tracker().to_hex()));
    assert_eq!(first["already"], json!(false));
    // The connection dropped before the answer arrived: the terminal sends
    // the very same ballot again. Same receipt, nothing added.
    let again: serde_json::Value = t.cast(round, &ballot).await?.json().await?;
    assert_eq!(again["tracker"], first["tracker"]);
    assert_eq!(again["already"], json!(true));
    assert_eq!(m.count("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", round)?, 1);
    assert_eq!(m.count("SELECT count(*) FROM voter WHERE round_id = ?1", round)?, 1);
    assert_eq!(t.json("/api/t/me").await?["round"]["voted"], json!(true));
    host.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_host_keeps_sessions_certificate_and_ballots() -> Result<()> {
    let m = Meeting::new(20)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let (fingerprint, addr) = (host.fingerprint.clone(), host.running.as_ref().map(|r| r.addr));
    let a = Terminal::pair(&host, &cards[&m.members[0]]).await?;
    let b = Terminal::pair(&host, &cards[&m.members[1]]).await?;
    let round = m.open_terminal_round()?;
    let (_, ballot) = a.make_ballot(conclave_ballot::Choice::Against).await?;
    assert_eq!(a.cast(round, &ballot).await?.status(), StatusCode::OK);
    host.stop().await;
    ensure!(a.get("/api/t/me").await.is_err(), "the host is down");

    let host = Host::start_on(&m.db, addr.expect("addr")).await?;
    assert_eq!(host.fingerprint, fingerprint, "the cards' fingerprint stays right");
    // The same terminals, with the cookies they had: no pairing again.
    assert_eq!(a.json("/api/t/me").await?["round"]["voted"], json!(true));
    let (_, ballot_b) = b.make_ballot(conclave_ballot::Choice::Abstain).await?;
    assert_eq!(b.cast(round, &ballot_b).await?.status(), StatusCode::OK);
    let again: serde_json::Value = a.cast(round, &ballot).await?.json().await?;
    assert_eq!(again["already"], json!(true));
    assert_eq!(m.count("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", round)?, 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_at_the_station_tells_the_terminal_where_to_vote() -> Result<()> {
    let m = Meeting::new(18)?;
    let cards = m.cards()?;
    let host = Host::start(&m.db).await?;
    let t = Terminal::pair(&host, &cards[&m.members[2]]).await?;
    let me = t.json("/api/t/me").await?;
    ensure!(me["round"].is_null() && me["elsewhere"].is_null(), "nothing open: {me}");
    let round = {
        let mut conn = m.conn()?;
        let pin = crate::support::chair_pin(&mut conn)?;
        conclave_core::api::voting::open_round(
            &mut conn,
            &[],
            "",
            conclave_core::api::voting::Mode::Station,
            &pin,
        )?
    };
    let me = t.json("/api/t/me").await?;
    ensure!(me["round"].is_null(), "no terminal round: {me}");
    ensure!(me["elsewhere"] == json!({ "id": round, "mode": "station" }), "the station, named: {me}");
    // And no ballot is handed out here for it.
    ensure!(t.get("/api/t/ballot").await?.status() != StatusCode::OK, "no ballot sheet on a terminal");
    Ok(())
}
