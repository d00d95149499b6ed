//! The terminal API. Every route but pairing acts for the one member whose
//! session cookie comes with the request, and only for that member's own
//! reading and voting; errors are `{code, message, where}` with the message
//! in the language of `Accept-Language` (`en…` English, otherwise Chinese).
//!
//! | route | what |
//! |---|---|
//! | `GET /t/` | the terminal page |
//! | `POST /api/t/pair` `{token}` | exchanges a card's token for the session cookie; answers the member |
//! | `GET /api/t/me` | the member, presence, the candidate presented, the open terminal round |
//! | `POST /api/t/presence` `{present}` | 签到 / 离席 from the seat |
//! | `POST /api/t/unpair` `{}` | 不是我: the session ends, the card may pair again |
//! | `GET /api/t/agenda` | the candidates by review group |
//! | `GET /api/t/candidates/{id}` | one candidate's page |
//! | `GET /api/t/evidence/{sha256}` | an evidence file, re-hashed once, with `Range` |
//! | `GET /api/t/ballot` | the member's ballot in the open terminal round, the joint key, the proof context |
//! | `POST /api/t/ballot` `{round, ballot}` | a ballot the browser encrypted and proved; `Idempotency-Key` is its tracker |
//! | `POST /api/t/ballot/spoil` `{round, ballot, randomness}` | 检验: the sealed ballot audited instead of cast, with its randomness (never counted) |
//!
//! A retried cast (the same ballot again after a dropped connection) answers
//! the same receipt and changes nothing: the idempotency key is the ballot's
//! own tracker, so nothing linking a member to a ballot is ever stored.

use crate::limits::{Limiter, Permit, Rate};
use crate::Pool;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Path, Request};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use conclave_core::api::{candidates, session, tally, terminals, trustees, voting};
use conclave_core::error::Error;
use conclave_core::i18n::{Lang, Msg};
use conclave_core::store::{self, evidence};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

mod ballots;
mod reading;

use ballots::{ballot, cast, spoil};
use reading::{agenda, candidate, evidence_file, me, presence, unpair};

/// The terminal's session cookie.
pub const SESSION_COOKIE: &str = "conclave_t";

const CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; \
    object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

pub struct State {
    pool: Arc<Pool>,
    evidence_root: PathBuf,
    /// Evidence files re-hashed since the server started: sha → type.
    verified: Mutex<HashMap<String, String>>,
    /// One re-hash at a time: twelve requests for one large file hash it once.
    hashing: tokio::sync::Mutex<()>,
    sessions: Arc<Limiter>,
    pairing: Arc<Limiter>,
    /// Every request, by the client's address, before its session is even
    /// looked up: made-up cookies get no allowance of their own.
    addresses: Arc<Limiter>,
}

impl State {
    pub fn new(db: &std::path::Path, conn: store::Meeting) -> conclave_core::error::Result<Self> {
        Ok(State {
            pool: Arc::new(Pool::new(db, conn)),
            evidence_root: evidence::root_for(db),
            verified: Mutex::new(HashMap::new()),
            hashing: tokio::sync::Mutex::new(()),
            // pdf.js reads a document in ranges: generous, but bounded.
            sessions: Limiter::new(Rate { burst: 240.0, per_second: 60.0, in_flight: 12 }),
            // Tokens have 128 random bits; this only keeps guessing slow and loud.
            pairing: Limiter::new(Rate { burst: 10.0, per_second: 0.2, in_flight: 2 }),
            // A device in the meeting room has its own address; this is a few
            // terminals' worth, for a laptop shared by two members.
            addresses: Limiter::new(Rate { burst: 720.0, per_second: 180.0, in_flight: 36 }),
        })
    }
}

type Shared = Arc<State>;

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/t/") }))
        .route("/t", get(|| async { Redirect::to("/t/") }))
        .route("/t/", get(page))
        .route("/api/t/pair", post(pair))
        .route("/api/t/me", get(me))
        .route("/api/t/presence", post(presence))
        .route("/api/t/unpair", post(unpair))
        .route("/api/t/agenda", get(agenda))
        .route("/api/t/candidates/{id}", get(candidate))
        .route("/api/t/evidence/{sha256}", get(evidence_file))
        // A ballot is ~1.5 KiB a candidate: 2 MiB holds over a thousand.
        .route("/api/t/ballot", get(ballot).post(cast).layer(DefaultBodyLimit::max(2 << 20)))
        .route("/api/t/ballot/spoil", post(spoil).layer(DefaultBodyLimit::max(3 << 20)))
        .route("/api/t/{*rest}", any(unknown))
        .fallback(asset)
        .layer(middleware::from_fn(same_origin_writes))
        .layer(middleware::from_fn_with_state(state.clone(), per_address))
        .layer(middleware::from_fn(headers))
        .layer(DefaultBodyLimit::max(16 << 10))
        // One limit for the whole server (a per-route layer would give each
        // route its own).
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(256))
        .with_state(state)
}

// ---------------------------------------------------------------- replies

/// An error reply: the status and the core's message in the terminal's language.
pub struct Reply {
    status: StatusCode,
    code: &'static str,
    message: String,
    where_: String,
}

#[derive(Serialize)]
struct ReplyBody<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(rename = "where")]
    where_: &'a str,
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let body = ReplyBody { code: self.code, message: &self.message, where_: &self.where_ };
        (self.status, Json(body)).into_response()
    }
}

impl Reply {
    fn msg(status: StatusCode, code: &'static str, msg: Msg, lang: Lang) -> Self {
        Reply { status, code, message: msg.render(lang), where_: String::new() }
    }

    fn core(e: Error, lang: Lang) -> Self {
        let status = match &e {
            Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::warn!(error = %e, "terminal request failed");
        }
        let where_ = match &e {
            Error::Invalid { where_, .. } => where_.clone(),
            _ => String::new(),
        };
        Reply { status, code: e.code(), message: e.message(lang), where_ }
    }

    /// A body that is too large (413) or not the JSON asked for (400).
    fn body(e: &axum::extract::rejection::JsonRejection, msg: Msg, lang: Lang) -> Self {
        let status =
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE { e.status() } else { StatusCode::BAD_REQUEST };
        Reply { status, code: "invalid", message: msg.render(lang), where_: "body".into() }
    }

    fn not_paired(lang: Lang) -> Self {
        Reply::msg(StatusCode::UNAUTHORIZED, "not_paired", Msg::TerminalNotPaired, lang)
    }
}

type Answer<T> = Result<Json<T>, Reply>;

/// The terminal's language, from `Accept-Language`.
pub struct UiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for UiLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(UiLang(lang_of(&parts.headers)))
    }
}

fn lang_of(headers: &HeaderMap) -> Lang {
    let al = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if al.trim_start().to_ascii_lowercase().starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    }
}

// ---------------------------------------------------------------- who

/// The member a request acts for, with its place under the session's limits.
pub struct Terminal {
    member: terminals::TerminalMember,
    lang: Lang,
    _permit: Permit,
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name && !v.is_empty() && v.len() <= 128).then(|| v.to_string())
        })
}

impl FromRequestParts<Shared> for Terminal {
    type Rejection = Reply;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Shared,
    ) -> Result<Self, Reply> {
        let lang = lang_of(&parts.headers);
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Reply::not_paired(lang));
        };
        let key = hex::encode(Sha256::digest(secret.as_bytes()));
        let Some(permit) = state.sessions.admit(&key) else {
            return Err(Reply::msg(StatusCode::TOO_MANY_REQUESTS, "too_many", Msg::TerminalTooFast, lang));
        };
        let member = state
            .pool
            .run(move |conn| terminals::session_member(conn, &secret))
            .await
            .map_err(|e| Reply::core(e, lang))?
            .ok_or_else(|| Reply::not_paired(lang))?;
        Ok(Terminal { member, lang, _permit: permit })
    }
}

// ---------------------------------------------------------------- middleware

/// Security headers on every answer; API answers are never cached.
async fn headers(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    if api {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Bounds each client address's requests (rate and in flight) before any
/// other work, a session lookup included.
async fn per_address(
    axum::extract::State(state): axum::extract::State<Shared>,
    req: Request,
    next: Next,
) -> Response {
    let lang = lang_of(req.headers());
    // The server is always served with the peer's address (lib.rs); without
    // one a request is refused, never pooled under a shared empty key.
    let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() else {
        return Reply::msg(StatusCode::FORBIDDEN, "forbidden", Msg::TerminalForbidden, lang).into_response();
    };
    let Some(_permit) = state.addresses.admit(&peer.ip().to_string()) else {
        return Reply::msg(StatusCode::TOO_MANY_REQUESTS, "too_many", Msg::TerminalTooFast, lang)
            .into_response();
    };
    next.run(req).await
}

/// Writes come only from the terminal page itself: JSON bodies (which a
/// cross-site form cannot send without a preflight nobody answers) and,
/// where the browser says, from this origin.
async fn same_origin_writes(req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return next.run(req).await;
    }
    let lang = lang_of(req.headers());
    let forbidden =
        || Reply::msg(StatusCode::FORBIDDEN, "forbidden", Msg::TerminalForbidden, lang).into_response();
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return forbidden();
    }
    if let Some(site) = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site != "same-origin" && site != "none" {
            return forbidden();
        }
    }
    if let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let authority = req.uri().authority().map(|a| a.as_str()).unwrap_or(host);
        if origin != format!("https://{authority}") && origin != format!("https://{host}") {
            return forbidden();
        }
    }
    next.run(req).await
}

// ---------------------------------------------------------------- pages

async fn page() -> Response {
    match crate::assets::get(crate::assets::PAGE) {
        Some((bytes, mime)) => {
            ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "no-cache")], bytes.into_owned())
                .into_response()
        }
        None => (StatusCode::SERVICE_UNAVAILABLE, "the terminal pages were not built into this binary")
            .into_response(),
    }
}

async fn asset(req: Request) -> Response {
    let path = req.uri().path().trim_start_matches('/');
    let shared = path.starts_with("assets/") || path.starts_with("pdfjs/") || path.starts_with("fonts/");
    match crate::assets::get(path).filter(|_| shared && !path.contains("..")) {
        Some((bytes, mime)) => {
            ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "max-age=3600")], bytes.into_owned())
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn unknown(UiLang(lang): UiLang) -> Reply {
    Reply::msg(StatusCode::NOT_FOUND, "not_found", Msg::TerminalForbidden, lang)
}

// ---------------------------------------------------------------- pairing

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairBody {
    token: String,
}

async fn pair(
    axum::extract::State(state): axum::extract::State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    UiLang(lang): UiLang,
    body: Result<Json<PairBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Some(_permit) = state.pairing.admit(&peer.ip().to_string()) else {
        return Reply::msg(StatusCode::TOO_MANY_REQUESTS, "too_many", Msg::TerminalTooFast, lang)
            .into_response();
    };
    let body = match body {
        Ok(Json(b)) => b,
        Err(e) => return Reply::body(&e, Msg::TerminalTokenUnknown, lang).into_response(),
    };
    if body.token.len() > 128 {
        return Reply::msg(StatusCode::BAD_REQUEST, "invalid", Msg::TerminalTokenUnknown, lang)
            .into_response();
    }
    match state.pool.run(move |conn| terminals::pair(conn, &body.token)).await {
        Ok((secret, member)) => {
            let age = terminals::SESSION_HOURS * 3600;
            let cookie = format!(
                "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={age}"
            );
            ([(header::SET_COOKIE, cookie)], Json(member)).into_response()
        }
        Err(e) => {
            let mut reply = Reply::core(e, lang);
            if reply.status == StatusCode::UNPROCESSABLE_ENTITY {
                reply.status = StatusCode::UNAUTHORIZED;
            }
            reply.into_response()
        }
    }
}
