//! 检验 over HTTPS (issue 28): a terminal audits its sealed ballot, the host
//! records it spoiled (`ballot.spoil`, not in the box); a replayed request, a
//! cast of the audited ballot and a body naming an unknown field are refused
//! and change nothing; the member still casts one counted ballot.

use crate::support::{Host, Meeting, Terminal};
use anyhow::{Context as _, Result};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audited_ballot_is_spoiled_once_and_the_member_still_votes_once() -> Result<()> {
    let m = Meeting::new(18)?;
    let cards = m.cards()?;
    let host = Host::start(&m.db).await?;
    let member = &m.members[20];
    let t = Terminal::pair(&host, &cards[member]).await?;
    assert_eq!(t.post("/api/t/presence", &json!({ "present": true })).await?.status(), StatusCode::OK);
    let round = m.open_terminal_round()?;

    let sheet = t.json("/api/t/ballot").await?;
    let key: conclave_ballot::PublicKey = serde_json::from_value(sheet["public_key"].clone())?;
    let ctx: conclave_ballot::Context = serde_json::from_value(sheet["context"].clone())?;
    let lines: Vec<(String, conclave_ballot::Choice)> = sheet["lines"]
        .as_array()
        .context("lines")?
        .iter()
        .map(|l| {
            (l["candidate_id"].as_str().unwrap_or_default().to_string(), conclave_ballot::Choice::Against)
        })
        .collect();
    let (ballot, randomness) =
        conclave_ballot::encrypt_ballot_revealable(&key, &ctx, &lines, &mut conclave_ballot::OsRng)?;
    let tracker = ballot.tracker().to_hex();
    let spoil = |body: serde_json::Value| {
        t.client
            .post(format!("{}/api/t/ballot/spoil", t.base))
            .header("Idempotency-Key", tracker.clone())
            .header("Accept-Language", "zh")
            .json(&body)
            .send()
    };
    let body = json!({ "round": round, "ballot": ballot, "randomness": randomness });

    let chain = |kind: &str| {
        m.count(&format!("SELECT count(*) FROM audit_log WHERE kind = '{kind}' AND ?1 > 0"), round)
    };
    let first = spoil(body.clone()).await?;
    assert_eq!(first.status(), StatusCode::OK);
    let receipt: serde_json::Value = first.json().await?;
    assert_eq!(receipt["tracker_hex"], json!(tracker));
    assert_eq!(chain("ballot.spoil")?, 1, "one ballot.spoil entry");

    // Replayed: refused in Chinese, nothing written.
    let again = spoil(body.clone()).await?;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = again.text().await?;
    assert!(text.contains("已检验过"), "{text}");
    assert_eq!(chain("ballot.spoil")?, 1, "the replay wrote nothing");
    // A body with a field the protocol does not have.
    let mut odd = body.clone();
    odd["member"] = json!(member);
    assert!(spoil(odd).await?.status().is_client_error());
    // The audited ballot itself can never be cast.
    let cast = t.cast(round, &ballot).await?;
    assert_eq!(cast.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", cast.text().await?);
    assert_eq!(
        m.count("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", round)?,
        0,
        "nothing in the box"
    );

    // The member votes: one counted ballot.
    let (_, fresh) = t.make_ballot(conclave_ballot::Choice::For).await?;
    assert_eq!(t.cast(round, &fresh).await?.status(), StatusCode::OK);
    assert_eq!(m.count("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", round)?, 1);
    assert_eq!(m.count("SELECT count(*) FROM spoiled_ballot WHERE round_id = ?1", round)?, 1);
    Ok(())
}
