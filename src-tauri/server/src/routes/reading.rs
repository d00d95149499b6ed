//! The member's own reading: who they are and what is open (`/me`), 签到 /
//! 离席, 不是我, the agenda, candidate pages and evidence by ranges.

use super::*;

/// The open round a terminal votes in, as the member sees it.
#[derive(Serialize)]
pub(super) struct OpenRound {
    id: i64,
    /// The member has a ballot here (present when it opened, not recused from all).
    eligible: bool,
    voted: bool,
}

/// An open round voted at the station or on paper: the terminal says where.
#[derive(Serialize)]
pub(super) struct Elsewhere {
    id: i64,
    /// `station` or `paper`.
    mode: String,
}

#[derive(Serialize)]
pub(super) struct Me {
    member: terminals::TerminalMember,
    present: bool,
    presenting: Option<String>,
    /// The open terminal round, if any.
    round: Option<OpenRound>,
    /// An open round voted elsewhere (station or paper), if any.
    elsewhere: Option<Elsewhere>,
    meeting: String,
}

pub(super) async fn me(axum::extract::State(state): axum::extract::State<Shared>, t: Terminal) -> Answer<Me> {
    let member = t.member.clone();
    let lang = t.lang;
    state
        .pool
        .run(move |conn| {
            let present = session::attendance(conn)?.iter().any(|a| a.id == member.id && a.present);
            let presenting = terminals::presenting(conn)?;
            let meeting = store::meeting::name(conn)?;
            let round =
                store::round::open_terminal(conn)?.map(|id| -> conclave_core::error::Result<OpenRound> {
                    Ok(OpenRound {
                        id,
                        eligible: store::round::is_eligible(conn, id, &member.id)?,
                        voted: store::ballot_box::has_voted(conn, id, &member.id)?,
                    })
                });
            let round = round.transpose()?;
            let elsewhere = store::round::open_elsewhere(conn)?.map(|(id, mode)| Elsewhere { id, mode });
            Ok(Me { member, present, presenting, round, elsewhere, meeting })
        })
        .await
        .map(Json)
        .map_err(|e| Reply::core(e, lang))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PresenceBody {
    present: bool,
}

pub(super) async fn presence(
    axum::extract::State(state): axum::extract::State<Shared>,
    t: Terminal,
    body: Result<Json<PresenceBody>, axum::extract::rejection::JsonRejection>,
) -> Answer<bool> {
    let lang = t.lang;
    let body = match body {
        Ok(Json(b)) => b,
        Err(e) => return Err(Reply::body(&e, Msg::TerminalForbidden, lang)),
    };
    let id = t.member.id.clone();
    state.pool.run(move |conn| session::set_own_presence(conn, &id, body.present)).await.map(Json).map_err(
        |e| match e {
            Error::Invalid { msg: Msg::TerminalTooFast, .. } => {
                Reply::msg(StatusCode::TOO_MANY_REQUESTS, "too_many", Msg::TerminalTooFast, lang)
            }
            e => Reply::core(e, lang),
        },
    )
}

/// 不是我 on the confirmation screen (or leaving the device): this session
/// ends, the cookie is cleared, and the card may pair again.
pub(super) async fn unpair(
    axum::extract::State(state): axum::extract::State<Shared>,
    t: Terminal,
) -> Response {
    let (lang, id) = (t.lang, t.member.id.clone());
    match state.pool.run(move |conn| terminals::unpair(conn, &id)).await {
        Ok(()) => {
            let cookie = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
            ([(header::SET_COOKIE, cookie)], Json(true)).into_response()
        }
        Err(e) => Reply::core(e, lang).into_response(),
    }
}

pub(super) async fn agenda(
    axum::extract::State(state): axum::extract::State<Shared>,
    t: Terminal,
) -> Answer<Vec<candidates::CandidateRow>> {
    let lang = t.lang;
    state.pool.run(|conn| candidates::list(conn)).await.map(Json).map_err(|e| Reply::core(e, lang))
}

pub(super) async fn candidate(
    axum::extract::State(state): axum::extract::State<Shared>,
    t: Terminal,
    Path(id): Path<String>,
) -> Answer<candidates::CandidateDetail> {
    let lang = t.lang;
    state
        .pool
        .run(move |conn| candidates::detail(conn, &id))
        .await
        .map(Json)
        .map_err(|e| Reply::core(e, lang))
}

pub(super) async fn evidence_file(
    axum::extract::State(state): axum::extract::State<Shared>,
    t: Terminal,
    Path(sha): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = t.lang;
    let missing = || Reply::core(Error::NotFound(Msg::EvidenceMissing { sha256: String::new() }), lang);
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
        return missing().into_response();
    }
    let known = || state.verified.lock().ok().and_then(|v| v.get(&sha).cloned());
    let hashing = if known().is_none() { Some(state.hashing.lock().await) } else { None };
    let mime = match known() {
        Some(m) => m,
        None => {
            let (root, key) = (state.evidence_root.clone(), sha.clone());
            let checked = state
                .pool
                .run(move |conn| {
                    let mime = evidence::mime(conn, &key)?;
                    let Some(mime) = mime else { return Ok(None) };
                    match evidence::verify(&root, &key) {
                        Ok(true) => Ok(Some(mime)),
                        Ok(false) => Err(Error::Integrity(Msg::EvidenceChanged { sha256: key })),
                        Err(_) => Err(Error::Integrity(Msg::EvidenceMissing { sha256: key })),
                    }
                })
                .await;
            match checked {
                Ok(Some(mime)) => {
                    if let Ok(mut v) = state.verified.lock() {
                        v.insert(sha.clone(), mime.clone());
                    }
                    mime
                }
                Ok(None) => return missing().into_response(),
                Err(e) => return Reply::core(e, lang).into_response(),
            }
        }
    };
    drop(hashing);
    let path = evidence::path_of(&state.evidence_root, &sha);
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).map(str::to_string);
    match open_range(&path, range.as_deref()).await {
        Ok((status, body, length, content_range)) => {
            let mut resp = (status, body).into_response();
            let h = resp.headers_mut();
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            if let Ok(v) = HeaderValue::from_str(&mime) {
                h.insert(header::CONTENT_TYPE, v);
            }
            h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
            if let Some(cr) = content_range.and_then(|c| HeaderValue::from_str(&c).ok()) {
                h.insert(header::CONTENT_RANGE, cr);
            }
            resp
        }
        _ => missing().into_response(),
    }
}

/// The whole file, or one range `bytes=a-b` / `bytes=a-` / `bytes=-n`,
/// streamed from the file in 256 KiB chunks (never read whole into memory);
/// a range past the end is 416 with the length. Returns the status, the
/// body, its length and the Content-Range.
async fn open_range(
    path: &std::path::Path,
    range: Option<&str>,
) -> std::io::Result<(StatusCode, axum::body::Body, u64, Option<String>)> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    const CHUNK: usize = 256 << 10;
    let mut f = tokio::fs::File::open(path).await?;
    let len = f.metadata().await?.len();
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::with_capacity(f, CHUNK));
        return Ok((StatusCode::OK, body, len, None));
    };
    let Some((start, end)) = parse_range(spec, len) else {
        let range = Some(format!("bytes */{len}"));
        return Ok((StatusCode::RANGE_NOT_SATISFIABLE, axum::body::Body::empty(), 0, range));
    };
    f.seek(std::io::SeekFrom::Start(start)).await?;
    let n = end - start + 1;
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::with_capacity(f.take(n), CHUNK));
    Ok((StatusCode::PARTIAL_CONTENT, body, n, Some(format!("bytes {start}-{end}/{len}"))))
}

/// The first and last byte a `Range: bytes=…` asks for in a file of `len`.
fn parse_range(spec: &str, len: u64) -> Option<(u64, u64)> {
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() {
        let n: u64 = b.parse().ok()?;
        let last = len.checked_sub(1)?;
        (n > 0).then_some((len.saturating_sub(n), last))
    } else {
        let start: u64 = a.parse().ok()?;
        let end: u64 =
            if b.is_empty() { len.checked_sub(1)? } else { b.parse::<u64>().ok()?.min(len.checked_sub(1)?) };
        (start <= end).then_some((start, end))
    }
}
