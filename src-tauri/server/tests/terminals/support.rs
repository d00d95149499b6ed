//! A real meeting (the shared fixtures), the real server on loopback TLS,
//! and HTTPS clients that pin the meeting's certificate by its fingerprint,
//! as a member compares it with the card.

use anyhow::{ensure, Context as _, Result};
use conclave_core::api::{meeting, session, terminals, voting};
use conclave_core::domain::meeting::{Level, NewMeeting};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `../shared/fixtures` beside the checkout (the workspace holds Cargo.lock).
pub fn fixtures() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.ancestors().find(|d| d.join("Cargo.lock").is_file()).unwrap_or(here);
    root.join("../shared/fixtures")
}

pub const TRUSTEES: [(&str, &str); 3] = [
    ("李鹏伟", "7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA"),
    ("监票人甲", "M4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE"),
    ("监票人乙", "H3NXP-7WQKD-5RBZT-8MJCF-2VGYA"),
];

/// A meeting with the fixtures' dossiers and roster, trustees named, every
/// candidate 资格审查 bars put to the vote, and the first `present` members
/// signed in by the secretary.
pub struct Meeting {
    pub _data: tempfile::TempDir,
    pub db: PathBuf,
    pub members: Vec<String>,
}

impl Meeting {
    pub fn new(present: usize) -> Result<Meeting> {
        Meeting::with_members(25, present)
    }

    /// A meeting whose roster is the fixtures' 25 members and, past 25,
    /// members made up in the same form (a larger committee).
    pub fn with_members(total: usize, present: usize) -> Result<Meeting> {
        let data = tempfile::tempdir()?;
        let roster = roster(data.path(), total)?;
        let m = meeting::create(
            data.path(),
            &NewMeeting {
                name: "终端测试会议".into(),
                level: Level::Senior,
                date: "2025-12-05".into(),
                place: String::new(),
            },
            None,
        )?;
        let db = meeting::meeting_dir(data.path(), &m.id)?.join(conclave_core::store::DB_FILE);
        for p in [fixtures().join("batch-small.zip"), roster] {
            let r = conclave_core::api::import::import(
                &db,
                &p,
                &conclave_core::package::Limits::default(),
                &mut |_| {},
                &std::sync::atomic::AtomicBool::new(false),
            )?;
            ensure!(r.ok(), "{} did not import", p.display());
        }
        let mut conn = self::open(&db)?;
        let members: Vec<String> = session::attendance(&conn)?.into_iter().map(|a| a.id).collect();
        for id in &members[..present] {
            session::set_presence(&mut conn, id, true)?;
        }
        conclave_core::api::trustees::setup(&mut conn, TRUSTEES.map(|(n, _)| n), TRUSTEES.map(|(_, p)| p))?;
        for b in conclave_core::api::eligibility::barred(&conn)? {
            let pin = chair_pin(&mut conn)?;
            conclave_core::api::eligibility::record_override(
                &mut conn,
                &b.candidate_id,
                "测试：全部表决",
                &pin,
            )?;
        }
        Ok(Meeting { _data: data, db, members })
    }

    pub fn conn(&self) -> Result<conclave_core::store::Meeting> {
        open(&self.db)
    }

    /// Fresh cards for everyone: member id → token.
    pub fn cards(&self) -> Result<std::collections::HashMap<String, String>> {
        let cards = terminals::issue_cards(&mut self.conn()?)?;
        Ok(cards.into_iter().map(|c| (c.member_id, c.token)).collect())
    }

    /// Opens a terminal round over every candidate with the chair's PIN.
    pub fn open_terminal_round(&self) -> Result<i64> {
        let mut conn = self.conn()?;
        let pin = chair_pin(&mut conn)?;
        Ok(voting::open_round(&mut conn, &[], "", voting::Mode::Terminal, &pin)?)
    }

    pub fn count(&self, sql: &str, round: i64) -> Result<i64> {
        Ok(self.conn()?.query_row(sql, [round], |r| r.get(0))?)
    }
}

/// The fixtures' roster, or one of `total` members written into `dir`.
fn roster(dir: &Path, total: usize) -> Result<PathBuf> {
    let fixture = fixtures().join("committee-25.json");
    if total <= 25 {
        return Ok(fixture);
    }
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&fixture)?)?;
    let members = doc["members"].as_array_mut().context("members")?;
    for n in 26..=total {
        members.push(serde_json::json!({
            "id": format!("M{n:02}"),
            "name": format!("委员{n:02}"),
            "organization": format!("广西第{n}实验中心"),
            "title": "正高级实验师",
            "role": "member",
            "review_group": "理工组",
        }));
    }
    let path = dir.join("committee.json");
    std::fs::write(&path, serde_json::to_vec(&doc)?)?;
    Ok(path)
}

fn open(db: &Path) -> Result<conclave_core::store::Meeting> {
    Ok(conclave_core::store::open(db)?)
}

pub fn chair_pin(conn: &mut conclave_core::store::Meeting) -> Result<String> {
    let chair = session::attendance(conn)?
        .into_iter()
        .find(|a| a.role == conclave_core::domain::vocab::Role::Chair)
        .context("no chair")?;
    Ok(session::reissue_pin(conn, &chair.id)?.pin)
}

/// The server, started on a free loopback port.
pub struct Host {
    pub running: Option<conclave_server::Running>,
    pub base: String,
    pub fingerprint: String,
}

impl Host {
    pub async fn start(db: &Path) -> Result<Host> {
        Self::start_on(db, "127.0.0.1:0".parse()?).await
    }

    pub async fn start_on(db: &Path, listen: std::net::SocketAddr) -> Result<Host> {
        let running =
            conclave_server::start(conclave_server::Options { db: db.to_path_buf(), listen }).await?;
        let base = format!("https://127.0.0.1:{}", running.addr.port());
        let fingerprint = running.fingerprint.clone();
        Ok(Host { running: Some(running), base, fingerprint })
    }

    pub async fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
    }

    /// A browser-like client: pins the certificate, keeps cookies.
    pub fn client(&self) -> Result<Client> {
        client(&self.fingerprint)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

pub fn client(fingerprint: &str) -> Result<Client> {
    client_from(fingerprint, None)
}

/// A client whose connections come from `local` (another loopback address
/// stands in for another device in the meeting room).
pub fn client_from(fingerprint: &str, local: Option<std::net::IpAddr>) -> Result<Client> {
    let tls = tls_config(fingerprint)?;
    Ok(Client::builder().tls_backend_preconfigured(tls).cookie_store(true).local_address(local).build()?)
}

/// A TLS client configuration that trusts only the meeting's certificate.
pub fn tls_config(fingerprint: &str) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned { fingerprint: fingerprint.to_string(), provider }))
        .with_no_client_auth())
}

/// Fingerprints the members accepted after the host process restarted: a
/// new process serves a new key (docs/tls-key.md), so each member compares
/// the fingerprint projected in the room and accepts it in the browser.
static ACCEPTED_AFTER_RESTART: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// The members accept `fingerprint`, checked against the projector, for
/// the terminals they already have (the app's tests/it/terminals.rs).
#[allow(dead_code)]
pub fn accept_after_restart(fingerprint: &str) {
    ACCEPTED_AFTER_RESTART.lock().unwrap_or_else(|e| e.into_inner()).push(fingerprint.to_string());
}

fn accepted_after_restart(fingerprint: &str) -> bool {
    ACCEPTED_AFTER_RESTART.lock().unwrap_or_else(|e| e.into_inner()).iter().any(|f| f == fingerprint)
}

/// Accepts exactly the certificate whose SHA-256 is on the card (or one
/// the member accepted after a restart).
#[derive(Debug)]
struct Pinned {
    fingerprint: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl rustls::client::danger::ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _name: &rustls::pki_types::ServerName<'_>,
        _ocsp: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        let served = terminals::fingerprint(end_entity.as_ref());
        if served == self.fingerprint || accepted_after_restart(&served) {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("not the meeting's certificate".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// A member's terminal: a client paired with the member's card.
pub struct Terminal {
    pub client: Client,
    pub base: String,
}

impl Terminal {
    pub async fn pair(host: &Host, token: &str) -> Result<Terminal> {
        Terminal::pair_from(host, token, None).await
    }

    /// Pairs from the device at `local`.
    pub async fn pair_from(host: &Host, token: &str, local: Option<std::net::IpAddr>) -> Result<Terminal> {
        Terminal::pair_with(host, token, client_from(&host.fingerprint, local)?).await
    }

    /// Pairs with `client` (e.g. one that speaks HTTP/2, as browsers do).
    pub async fn pair_with(host: &Host, token: &str, client: Client) -> Result<Terminal> {
        let resp =
            client.post(host.url("/api/t/pair")).json(&serde_json::json!({ "token": token })).send().await?;
        ensure!(resp.status() == StatusCode::OK, "pairing: {} {}", resp.status(), resp.text().await?);
        Ok(Terminal { client, base: host.base.clone() })
    }

    pub async fn get(&self, path: &str) -> Result<Response> {
        Ok(self.client.get(format!("{}{path}", self.base)).send().await?)
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Response> {
        Ok(self.client.post(format!("{}{path}", self.base)).json(body).send().await?)
    }

    /// Posts a body the server must refuse as too large: it answers 413, or
    /// (racing the client still writing) closes the connection before
    /// reading the rest, which the client sees as a failed request.
    pub async fn post_too_large(&self, path: &str, body: &Value) -> Result<()> {
        match self.client.post(format!("{}{path}", self.base)).json(body).send().await {
            Ok(resp) => ensure!(resp.status() == StatusCode::PAYLOAD_TOO_LARGE, "{path}: {}", resp.status()),
            Err(e) => ensure!(e.is_request() || e.is_body(), "{path}: {e}"),
        }
        Ok(())
    }

    pub async fn json(&self, path: &str) -> Result<Value> {
        let resp = self.get(path).await?;
        ensure!(resp.status().is_success(), "GET {path}: {} {}", resp.status(), resp.text().await?);
        Ok(resp.json().await?)
    }

    /// The member's ballot, marked `choice` on every line, encrypted and
    /// proved as the browser does (the Rust implementation stands in for
    /// ballot.js here; the interop test and the e2e tests cover the browser).
    pub async fn make_ballot(
        &self,
        choice: conclave_ballot::Choice,
    ) -> Result<(i64, conclave_ballot::Ballot)> {
        let sheet = self.json("/api/t/ballot").await?;
        let key: conclave_ballot::PublicKey = serde_json::from_value(sheet["public_key"].clone())?;
        let ctx: conclave_ballot::Context = serde_json::from_value(sheet["context"].clone())?;
        let lines: Vec<(String, conclave_ballot::Choice)> = sheet["lines"]
            .as_array()
            .context("lines")?
            .iter()
            .map(|l| (l["candidate_id"].as_str().unwrap_or_default().to_string(), choice))
            .collect();
        let ballot = conclave_ballot::encrypt_ballot(&key, &ctx, &lines, &mut conclave_ballot::OsRng)?;
        Ok((sheet["round"].as_i64().context("round")?, ballot))
    }

    pub async fn cast(&self, round: i64, ballot: &conclave_ballot::Ballot) -> Result<Response> {
        Ok(self
            .client
            .post(format!("{}/api/t/ballot", self.base))
            .header("Idempotency-Key", ballot.tracker().to_hex())
            .json(&serde_json::json!({ "round": round, "ballot": ballot }))
            .send()
            .await?)
    }
}
