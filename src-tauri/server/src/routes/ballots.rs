//! The member's own ballot in a terminal round: the sheet to mark, and the
//! sealed ballot the browser made, recorded once however often it is sent.

use super::*;

#[derive(Serialize)]
pub(super) struct BallotSheet {
    round: i64,
    context: conclave_ballot::Context,
    public_key: conclave_ballot::PublicKey,
    lines: Vec<voting::BallotLine>,
}

pub(super) async fn ballot(
    axum::extract::State(state): axum::extract::State<Shared>,
    t: Terminal,
) -> Answer<BallotSheet> {
    let lang = t.lang;
    let member = t.member.id.clone();
    state
        .pool
        .run(move |conn| {
            let round = store::round::open_terminal(conn)?
                .ok_or_else(|| Error::invalid("round", Msg::NoTerminalRound))?;
            let lines = voting::ballot_for(conn, round, &member)?;
            let keys = trustees::require_keys(conn)?;
            Ok(BallotSheet { round, context: tally::context(conn, round)?, public_key: *keys.joint(), lines })
        })
        .await
        .map(Json)
        .map_err(|e| Reply::core(e, lang))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CastBody {
    round: i64,
    ballot: conclave_ballot::Ballot,
}

#[derive(Serialize)]
pub(super) struct CastAnswer {
    #[serde(flatten)]
    receipt: voting::Receipt,
    /// This ballot was already recorded (a retry): nothing changed.
    already: bool,
}

pub(super) async fn cast(
    axum::extract::State(state): axum::extract::State<Shared>,
    t: Terminal,
    headers: HeaderMap,
    body: Result<Json<CastBody>, axum::extract::rejection::JsonRejection>,
) -> Answer<CastAnswer> {
    let lang = t.lang;
    let body = match body {
        Ok(Json(b)) => b,
        Err(e) => return Err(Reply::body(&e, Msg::BallotRefused { detail: e.body_text() }, lang)),
    };
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    let tracker = body.ballot.tracker();
    if key.as_deref().is_some_and(|k| k != tracker.to_hex()) {
        return Err(Reply {
            status: StatusCode::BAD_REQUEST,
            code: "invalid",
            message: Msg::BallotRefused { detail: "Idempotency-Key is not this ballot's tracker".into() }
                .render(lang),
            where_: "ballot".into(),
        });
    }
    let member = t.member.id.clone();
    state
        .pool
        .run(move |conn| {
            let mode = store::round::mode(conn, body.round)?;
            if mode.as_deref() != Some("terminal") {
                return Err(Error::invalid("round", Msg::NoTerminalRound));
            }
            // A retry of this member's own ballot: the same answer, no change.
            if let Some(receipt) = voting::already_cast(conn, body.round, &member, &tracker)? {
                return Ok(CastAnswer { receipt, already: true });
            }
            let receipt = voting::cast_sealed(conn, body.round, &member, &body.ballot)?;
            Ok(CastAnswer { receipt, already: false })
        })
        .await
        .map(Json)
        .map_err(|e| Reply::core(e, lang))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SpoilBody {
    round: i64,
    ballot: conclave_ballot::Ballot,
    randomness: conclave_ballot::BallotRandomness,
}

/// 检验: the member audits the ballot their terminal sealed instead of
/// casting it. It is recorded spoiled (never counted) with its randomness,
/// for the window's 核验被检验的选票; a replay is refused, and changes nothing.
pub(super) async fn spoil(
    axum::extract::State(state): axum::extract::State<Shared>,
    t: Terminal,
    headers: HeaderMap,
    body: Result<Json<SpoilBody>, axum::extract::rejection::JsonRejection>,
) -> Answer<voting::SpoilReceipt> {
    let lang = t.lang;
    let body = match body {
        Ok(Json(b)) => b,
        Err(e) => return Err(Reply::body(&e, Msg::BallotRefused { detail: e.body_text() }, lang)),
    };
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    if key.as_deref().is_some_and(|k| k != body.ballot.tracker().to_hex()) {
        return Err(Reply {
            status: StatusCode::BAD_REQUEST,
            code: "invalid",
            message: Msg::BallotRefused { detail: "Idempotency-Key is not this ballot's tracker".into() }
                .render(lang),
            where_: "ballot".into(),
        });
    }
    let member = t.member.id.clone();
    state
        .pool
        .run(move |conn| {
            if store::round::mode(conn, body.round)?.as_deref() != Some("terminal") {
                return Err(Error::invalid("round", Msg::NoTerminalRound));
            }
            voting::spoil(conn, body.round, &member, &body.ballot, &body.randomness)
        })
        .await
        .map(Json)
        .map_err(|e| Reply::core(e, lang))
}
