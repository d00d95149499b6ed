//! Requests an attacker would make, each refused with nothing changed.

use crate::support::{client, Host, Meeting, Terminal};
use anyhow::Result;
use reqwest::StatusCode;
use serde_json::json;

const MEMBER_ROUTES: [&str; 5] =
    ["/api/t/me", "/api/t/agenda", "/api/t/candidates/C001", "/api/t/ballot", "/api/t/evidence/00"];

fn boxed(m: &Meeting, round: i64) -> Result<(i64, i64)> {
    Ok((
        m.count("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", round)?,
        m.count("SELECT count(*) FROM voter WHERE round_id = ?1", round)?,
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_a_made_up_token_and_a_revoked_card_get_nothing() -> Result<()> {
    let m = Meeting::new(20)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let anonymous = host.client()?;
    for path in MEMBER_ROUTES {
        let resp = anonymous.get(host.url(path)).send().await?;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path} without a session");
        let body: serde_json::Value = resp.json().await?;
        assert!(
            body["message"].as_str().unwrap_or_default().contains("配对"),
            "a message in Chinese: {body}"
        );
    }
    let forged = anonymous
        .get(host.url("/api/t/me"))
        .header("Cookie", format!("{}={}", conclave_server::SESSION_COOKIE, "ab".repeat(32)))
        .header("Accept-Language", "en")
        .send()
        .await?;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    assert!(forged.text().await?.contains("not paired"), "English when asked");
    let made_up =
        anonymous.post(host.url("/api/t/pair")).json(&json!({ "token": "00".repeat(16) })).send().await?;
    assert_eq!(made_up.status(), StatusCode::UNAUTHORIZED);

    // A lost tablet: the secretary revokes the card; its session ends at once.
    let member = &m.members[3];
    let t = Terminal::pair(&host, &cards[member]).await?;
    assert_eq!(t.get("/api/t/me").await?.status(), StatusCode::OK);
    conclave_core::api::terminals::revoke(&mut m.conn()?, member)?;
    assert_eq!(t.get("/api/t/me").await?.status(), StatusCode::UNAUTHORIZED);
    let again =
        host.client()?.post(host.url("/api/t/pair")).json(&json!({ "token": cards[member] })).send().await?;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "a revoked card does not pair");
    // Re-issued: the new card pairs, the old one still does not.
    let fresh = conclave_core::api::terminals::reissue_card(&mut m.conn()?, member)?;
    Terminal::pair(&host, &fresh.token).await?;
    // A card pairs once: a second device with the same card (a photographed
    // QR code) is refused, saying so, and the first terminal goes on.
    let first = Terminal::pair(&host, &cards[&m.members[4]]).await?;
    let second = host
        .client()?
        .post(host.url("/api/t/pair"))
        .json(&json!({ "token": cards[&m.members[4]] }))
        .send()
        .await?;
    assert_eq!(second.status(), StatusCode::UNAUTHORIZED);
    assert!(second.text().await?.contains("已经配对过"), "says the card was used");
    assert_eq!(first.get("/api/t/me").await?.status(), StatusCode::OK);
    // The secretary re-issues it: the new card pairs, the first terminal ends.
    let fresh = conclave_core::api::terminals::reissue_card(&mut m.conn()?, &m.members[4])?;
    let second = Terminal::pair(&host, &fresh.token).await?;
    assert_eq!(first.get("/api/t/me").await?.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(second.get("/api/t/me").await?.status(), StatusCode::OK);
    // 不是我: a terminal unpairs itself; its session is gone on the server
    // and the card pairs again (on its owner's device).
    let member = &m.members[5];
    let wrong = Terminal::pair(&host, &cards[member]).await?;
    assert_eq!(wrong.post("/api/t/unpair", &json!({})).await?.status(), StatusCode::OK);
    assert_eq!(wrong.get("/api/t/me").await?.status(), StatusCode::UNAUTHORIZED);
    let sessions: i64 =
        m.conn()?.query_row("SELECT count(*) FROM terminal_session WHERE member_id = ?1", [member], |r| {
            r.get(0)
        })?;
    assert_eq!(sessions, 0);
    Terminal::pair(&host, &cards[member]).await?;
    host.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_ballot_a_replay_and_ballots_of_the_absent_or_recused_change_nothing() -> Result<()> {
    let m = Meeting::new(20)?;
    // Member 2 is recused for one candidate, confirmed before the round.
    let recused = m.members[2].clone();
    let candidates = conclave_core::api::candidates::list(&*m.conn()?)?;
    let barred_for = candidates[0].id.clone();
    conclave_core::api::session::set_recusal(&mut m.conn()?, &recused, &barred_for, true, "亲属")?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let a = Terminal::pair(&host, &cards[&m.members[0]]).await?;
    let b = Terminal::pair(&host, &cards[&m.members[1]]).await?;
    let r = Terminal::pair(&host, &cards[&recused]).await?;
    let absent = Terminal::pair(&host, &cards[&m.members[22]]).await?;
    let round = m.open_terminal_round()?;

    let (_, ballot) = a.make_ballot(conclave_ballot::Choice::For).await?;
    assert_eq!(a.cast(round, &ballot).await?.status(), StatusCode::OK);
    let before = boxed(&m, round)?;
    // A second, different ballot from the same member.
    let sheet = a.get("/api/t/ballot").await?;
    assert_eq!(sheet.status(), StatusCode::UNPROCESSABLE_ENTITY, "no second ballot is handed out");
    let (_, other) = b.make_ballot(conclave_ballot::Choice::Against).await?;
    let twice = a.cast(round, &other).await?;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY, "a second ballot from a member who voted");
    // Member b replays a's ballot (a copy of a's request, with b's session).
    let replay = b.cast(round, &ballot).await?;
    assert_eq!(replay.status(), StatusCode::UNPROCESSABLE_ENTITY, "a replayed ballot is refused");
    assert_eq!(boxed(&m, round)?, before);
    // Absent (never signed in): no ballot to fetch, none accepted.
    assert_eq!(absent.get("/api/t/ballot").await?.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(absent.cast(round, &other).await?.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The recused member's ballot has no line for that candidate, and one
    // with such a line is refused.
    let sheet = r.json("/api/t/ballot").await?;
    let lines: Vec<&str> =
        sheet["lines"].as_array().into_iter().flatten().filter_map(|l| l["candidate_id"].as_str()).collect();
    assert!(!lines.contains(&barred_for.as_str()), "the recused line is absent: {lines:?}");
    assert_eq!(r.cast(round, &other).await?.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A ballot made for another round (its proofs bind the round).
    let key = conclave_core::api::trustees::require_keys(&*m.conn()?)?;
    let wrong_ctx = conclave_ballot::Context::new(conclave_core::api::trustees::meeting_id(&*m.conn()?)?, 99);
    let choices: Vec<(String, conclave_ballot::Choice)> =
        candidates.iter().map(|c| (c.id.clone(), conclave_ballot::Choice::For)).collect();
    let forged =
        conclave_ballot::encrypt_ballot(key.joint(), &wrong_ctx, &choices, &mut conclave_ballot::OsRng)?;
    assert_eq!(b.cast(round, &forged).await?.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // An idempotency key that is not the ballot's tracker.
    let (_, own) = b.make_ballot(conclave_ballot::Choice::For).await?;
    let lie = b
        .client
        .post(format!("{}/api/t/ballot", b.base))
        .header("Idempotency-Key", ballot.tracker().to_hex())
        .json(&json!({ "round": round, "ballot": own }))
        .send()
        .await?;
    assert_eq!(lie.status(), StatusCode::BAD_REQUEST);
    assert_eq!(boxed(&m, round)?, before, "nothing of all this reached the box or the register");
    assert_eq!(b.cast(round, &own).await?.status(), StatusCode::OK, "b's own ballot still counts");
    host.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_path_tricks_admin_routes_and_other_origins_are_refused() -> Result<()> {
    let m = Meeting::new(20)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let t = Terminal::pair(&host, &cards[&m.members[0]]).await?;
    let round = m.open_terminal_round()?;

    let huge = json!({ "round": round, "ballot": { "version": 1, "lines": [], "pad": "x".repeat(3 << 20) } });
    t.post_too_large("/api/t/ballot", &huge).await?;
    let big_presence = json!({ "present": true, "pad": "x".repeat(64 << 10) });
    t.post_too_large("/api/t/presence", &big_presence).await?;

    for path in [
        "/api/t/evidence/../../meeting.db",
        "/api/t/evidence/..%2f..%2fmeeting.db",
        "/api/t/evidence/%2e%2e%2fmeeting.db",
        &format!("/api/t/evidence/{}", "A".repeat(64)),
        &format!("/api/t/evidence/{}", "0".repeat(64)),
        "/meeting.db",
        "/index.html",
        "/assets/../index.html",
        "/pdfjs/../../meeting.db",
    ] {
        let resp = t.get(path).await?;
        assert!(
            resp.status() == StatusCode::NOT_FOUND || resp.status() == StatusCode::BAD_REQUEST,
            "{path}: {}",
            resp.status()
        );
    }
    // Nothing admin exists on the network, whatever the method.
    for path in [
        "/api/t/round/open",
        "/api/t/rounds/1/close",
        "/api/t/import",
        "/api/t/print",
        "/api/t/presence/M02",
        "/api/rounds",
    ] {
        assert_eq!(t.post(path, &json!({})).await?.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let before = conclave_core::api::voting::round_status(&*m.conn()?, round)?;
    assert!(before.closed_at.is_none(), "the round is still open");
    assert_eq!(before.voters_done, 0, "no oversized ballot was recorded");

    // A page elsewhere cannot write for the member: no CORS, no form posts.
    let cross = t
        .client
        .post(format!("{}/api/t/presence", t.base))
        .header("Origin", "https://evil.example")
        .json(&json!({ "present": true }))
        .send()
        .await?;
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    let form = t
        .client
        .post(format!("{}/api/t/presence", t.base))
        .header("Content-Type", "text/plain")
        .body(r#"{"present":true}"#)
        .send()
        .await?;
    assert_eq!(form.status(), StatusCode::FORBIDDEN);
    let preflight = t
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/api/t/ballot", t.base))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await?;
    assert!(preflight.headers().get("access-control-allow-origin").is_none());
    let present = conclave_core::api::session::attendance(&*m.conn()?)?;
    assert!(present.iter().filter(|a| a.present).count() == 20, "nobody's presence changed");

    let page = t.get("/t/").await?;
    let csp = page.headers()["content-security-policy"].to_str()?.to_string();
    assert!(csp.contains("default-src 'self'") && !csp.contains("http"), "no remote origin in {csp}");
    host.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_terminal_is_slowed_and_others_are_not() -> Result<()> {
    let m = Meeting::new(20)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let noisy = Terminal::pair(&host, &cards[&m.members[0]]).await?;
    let quiet = Terminal::pair(&host, &cards[&m.members[1]]).await?;
    let mut limited = 0;
    for _ in 0..400 {
        if noisy.get("/api/t/me").await?.status() == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
        }
    }
    assert!(limited > 0, "400 requests at once are over the limit");
    assert_eq!(quiet.get("/api/t/me").await?.status(), StatusCode::OK, "another terminal is unaffected");
    // Guessing tokens from one address is slowed too.
    let guesser = client(&host.fingerprint)?;
    let mut refused = 0;
    for i in 0..15 {
        let resp = guesser
            .post(host.url("/api/t/pair"))
            .json(&json!({ "token": format!("{i:032}") }))
            .send()
            .await?;
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert!(refused > 0);
    host.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn made_up_cookies_from_one_address_are_bounded_and_other_devices_are_served() -> Result<()> {
    let m = Meeting::new(20)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let device = |n: u8| Some(std::net::IpAddr::from([127, 0, 2, n]));
    let quiet = Terminal::pair_from(&host, &cards[&m.members[1]], device(2)).await?;
    // Each request with a cookie of its own: no session has an allowance to
    // spend, the address has, and it runs out.
    let flood = crate::support::client_from(&host.fingerprint, device(1))?;
    let tasks: Vec<_> = (0..8)
        .map(|k| {
            let (c, url) = (flood.clone(), host.url("/api/t/me"));
            tokio::spawn(async move {
                let mut too_many = 0;
                for i in 0..250 {
                    let cookie = format!("{}={:064x}", conclave_server::SESSION_COOKIE, k * 1000 + i);
                    let status = c.get(&url).header("Cookie", cookie).send().await?.status();
                    anyhow::ensure!(
                        status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS,
                        "{status}"
                    );
                    too_many += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
                }
                anyhow::Ok(too_many)
            })
        })
        .collect();
    let mut too_many = 0;
    for t in tasks {
        too_many += t.await??;
    }
    assert!(too_many > 0, "2,000 made-up sessions in a second or two from one address are over its limit");
    assert_eq!(quiet.get("/api/t/me").await?.status(), StatusCode::OK, "another device is served");
    host.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_streamed_whole_or_by_any_range_with_its_length() -> Result<()> {
    let m = Meeting::new(20)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let t = Terminal::pair(&host, &cards[&m.members[0]]).await?;
    let agenda = t.json("/api/t/agenda").await?;
    let first = agenda[0]["id"].as_str().unwrap_or_default().to_string();
    let detail = t.json(&format!("/api/t/candidates/{first}")).await?;
    let sha = detail["files"][0]["sha256"].as_str().unwrap_or_default().to_string();
    let url = format!("/api/t/evidence/{sha}");
    let whole = t.get(&url).await?;
    let len: usize = whole.headers()["content-length"].to_str()?.parse()?;
    let bytes = whole.bytes().await?;
    assert_eq!(bytes.len(), len);
    use sha2::Digest as _;
    assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), sha, "the file as imported");
    for (range, from, to) in
        [("bytes=0-0", 0, 0), ("bytes=-5", len - 5, len - 1), (&format!("bytes=7-{}", len + 100), 7, len - 1)]
    {
        let part = t.client.get(format!("{}{url}", t.base)).header("Range", range).send().await?;
        assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(part.headers()["content-length"].to_str()?, (to - from + 1).to_string());
        assert_eq!(&part.bytes().await?[..], &bytes[from..=to], "{range}");
    }
    let past =
        t.client.get(format!("{}{url}", t.base)).header("Range", format!("bytes={len}-")).send().await?;
    assert_eq!(past.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(past.headers()["content-range"].to_str()?, format!("bytes */{len}"));
    host.stop().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_cannot_be_flapped_and_an_old_session_ends() -> Result<()> {
    let m = Meeting::new(20)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let member = &m.members[21];
    let t = Terminal::pair(&host, &cards[member]).await?;
    let entries = |m: &Meeting| -> Result<i64> {
        Ok(m.conn()?
            .query_row("SELECT count(*) FROM attendance WHERE member_id = ?1", [member], |r| r.get(0))?)
    };
    assert_eq!(t.post("/api/t/presence", &json!({ "present": true })).await?.status(), StatusCode::OK);
    let before = entries(&m)?;
    // 离席 at once after 签到, then back: a stream of changes is refused.
    assert_eq!(
        t.post("/api/t/presence", &json!({ "present": false })).await?.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(entries(&m)?, before, "nothing recorded");
    // The same answer again is no change and no refusal.
    assert_eq!(t.post("/api/t/presence", &json!({ "present": true })).await?.status(), StatusCode::OK);

    // A session paired more than two days ago ends on the server too.
    m.conn()?.execute(
        "UPDATE terminal_session SET paired_at = '2000-01-01T00:00:00Z' WHERE member_id = ?1",
        [member],
    )?;
    assert_eq!(t.get("/api/t/me").await?.status(), StatusCode::UNAUTHORIZED);
    host.stop().await;
    Ok(())
}
