//! The meeting-room server (design/terminals.md): HTTPS on the address the
//! secretary picks, serving the members' terminals their own reading and
//! voting, and nothing else. It is the fourth thin shell over
//! `conclave_core`, beside the window's commands, the CLI and the UI.
//!
//! - **TLS**: rustls (ring) with a self-signed certificate whose key is made
//!   in memory the first time this process serves the meeting and is never
//!   stored ([`conclave_core::api::terminals::host`], docs/tls-key.md): a copy
//!   of the meeting cannot impersonate the host. Restarting the server in the
//!   same process keeps the fingerprint; a new process shows a new one.
//! - **Who**: a terminal pairs by the token on its member's card
//!   ([`conclave_core::api::terminals::pair`]) and then carries only a
//!   session cookie (HttpOnly, Secure, SameSite=Strict). Every request acts
//!   for that one member; there is no admin route at all.
//! - **Limits**: body size per route, a request-rate bucket and a
//!   concurrency cap per session (and per address for pairing), a global
//!   cap on requests in flight, no CORS, a CSP with no remote origin,
//!   `nosniff`.
//! - **Connections** ([`connections`]): capped in all and per address, and
//!   timed out when the TLS handshake, the first request or a later HTTP/1
//!   request head is slow to come, so dribbling clients cannot hold the server.
//!
//! The HTTP API is in [`routes`]; its shapes are documented there.

mod assets;
mod connections;
mod limits;
mod routes;

use conclave_core::api::terminals::{self, HostIdentity};
use conclave_core::store;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use connections::{
    FIRST_REQUEST_TIMEOUT, HEADER_READ_TIMEOUT, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS,
    TLS_HANDSHAKE_TIMEOUT,
};
pub use routes::SESSION_COOKIE;

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Core(#[from] conclave_core::error::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("certificate: {0}")]
    Certificate(String),
}

/// What the secretary asks for: the meeting file and where to listen.
#[derive(Debug, Clone)]
pub struct Options {
    pub db: PathBuf,
    pub listen: SocketAddr,
}

/// A running server.
pub struct Running {
    /// The address actually bound (the port is known even when 0 was asked).
    pub addr: SocketAddr,
    /// What the terminal cards carry: `https://HOST:PORT/t/`.
    pub url: String,
    /// The certificate's SHA-256, as browsers show it.
    pub fingerprint: String,
    db: PathBuf,
    identity: Arc<HostIdentity>,
    handle: axum_server::Handle<SocketAddr>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish (two seconds at most)
    /// and returns once the socket is closed.
    pub async fn stop(self) {
        self.handle.graceful_shutdown(Some(std::time::Duration::from_secs(2)));
        let _ = self.task.await;
        record_stop(self.db, self.identity).await;
    }

    /// Resolves when the server stopped by itself (an I/O failure).
    pub async fn wait(self) -> std::io::Result<()> {
        let out = self.task.await.unwrap_or_else(|e| Err(std::io::Error::other(e)));
        record_stop(self.db, self.identity).await;
        out
    }
}

/// Marks the meeting as no longer served, so no card is printed with a
/// fingerprint the next process will not serve. A failure is logged: the
/// server is down either way, and the next start records itself again.
async fn record_stop(db: PathBuf, identity: Arc<HostIdentity>) {
    let done = tokio::task::spawn_blocking(move || {
        let mut conn = store::open(&db)?;
        terminals::host::record_stop(&mut conn, &identity)
    })
    .await;
    match done {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot record that the meeting-room server stopped"),
        Err(e) => tracing::warn!(error = %e, "cannot record that the meeting-room server stopped"),
    }
}

/// The TLS identity this process serves meeting file `db` with, made in
/// memory on first use and never stored; it names this machine's LAN
/// addresses as they were then.
pub fn certificate(db: &Path) -> Result<Arc<HostIdentity>, StartError> {
    let names: Vec<String> = lan_addresses().into_iter().map(|ip| ip.to_string()).collect();
    Ok(terminals::host::identity(db, &names)?)
}

/// The machine's IPv4 addresses other than loopback, for the address picker
/// and for the cards' URL when listening on every interface.
pub fn lan_addresses() -> Vec<IpAddr> {
    let list = match if_addrs::get_if_addrs() {
        Ok(list) => list,
        Err(e) => {
            // The picker still offers every interface and this machine only.
            tracing::warn!(error = %e, "cannot list the network interfaces");
            Vec::new()
        }
    };
    let mut out: Vec<IpAddr> =
        list.into_iter().filter(|i| !i.is_loopback()).map(|i| i.ip()).filter(IpAddr::is_ipv4).collect();
    out.sort();
    out.dedup();
    out
}

/// The address a terminal should use for a server bound to `addr`.
pub fn public_url(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() {
        lan_addresses().into_iter().next().unwrap_or(IpAddr::from([127, 0, 0, 1]))
    } else {
        addr.ip()
    };
    match ip {
        IpAddr::V6(v6) => format!("https://[{v6}]:{}/t/", addr.port()),
        IpAddr::V4(v4) => format!("https://{v4}:{}/t/", addr.port()),
    }
}

fn tls_config(cert: &HostIdentity) -> Result<axum_server::tls_rustls::RustlsConfig, StartError> {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.key_der().to_vec()));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StartError::Certificate(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(cert.cert_der.clone())], key)
        .map_err(|e| StartError::Certificate(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(config)))
}

/// Starts the server on the current tokio runtime.
pub async fn start(options: Options) -> Result<Running, StartError> {
    let mut conn = store::open(&options.db)?;
    let cert = certificate(&options.db)?;
    let listener = std::net::TcpListener::bind(options.listen)
        .map_err(|source| StartError::Bind { addr: options.listen, source })?;
    listener.set_nonblocking(true).map_err(|source| StartError::Bind { addr: options.listen, source })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: options.listen, source })?;
    let url = public_url(addr);
    let handle = axum_server::Handle::new();
    let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(tls_config(&cert)?)
        .handshake_timeout(connections::TLS_HANDSHAKE_TIMEOUT)
        .acceptor(connections::Guard::new());
    let mut server = axum_server::from_tcp(listener)
        .map_err(|source| StartError::Bind { addr, source })?
        .acceptor(acceptor)
        .handle(handle.clone());
    connections::configure_http(server.http_builder());
    // The last step that can fail: the meeting says it is served only once
    // it is, so the cards print this fingerprint.
    terminals::host::record_start(&mut conn, &cert, &url)?;
    let state = routes::State::new(&options.db, conn)?;
    let app = routes::router(Arc::new(state));
    let task =
        tokio::spawn(
            async move { server.serve(app.into_make_service_with_connect_info::<SocketAddr>()).await },
        );
    tracing::info!(%addr, "meeting-room server listening");
    Ok(Running {
        addr,
        url,
        fingerprint: cert.fingerprint.clone(),
        db: options.db,
        identity: cert,
        handle,
        task,
    })
}

/// The pool of meeting connections the handlers borrow (SQLite serialises
/// the writers; readers and ballot proofs run side by side).
pub(crate) struct Pool {
    db: PathBuf,
    idle: Mutex<Vec<store::Meeting>>,
    /// At most this many connections at work at once (each on a blocking
    /// thread); the others wait their turn here, not in SQLite.
    slots: tokio::sync::Semaphore,
}

/// Connections at work at once: enough for two cores and the disk.
const POOL_SIZE: usize = 16;

impl Pool {
    fn new(db: &Path, first: store::Meeting) -> Self {
        Pool {
            db: db.to_path_buf(),
            idle: Mutex::new(vec![first]),
            slots: tokio::sync::Semaphore::new(POOL_SIZE),
        }
    }

    /// Runs `f` with a connection on a blocking thread.
    pub(crate) async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut store::Meeting) -> conclave_core::error::Result<T> + Send + 'static,
    ) -> conclave_core::error::Result<T> {
        let Ok(_slot) = self.slots.acquire().await else {
            return Err(conclave_core::error::Error::Io {
                path: "worker".into(),
                source: std::io::Error::other("the server is stopping"),
            });
        };
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let taken = pool.idle.lock().ok().and_then(|mut idle| idle.pop());
            let mut conn = match taken {
                Some(c) => c,
                None => store::open(&pool.db)?,
            };
            let out = f(&mut conn);
            if let Ok(mut idle) = pool.idle.lock() {
                idle.push(conn);
            }
            out
        })
        .await
        .unwrap_or_else(|e| {
            Err(conclave_core::error::Error::Io {
                path: "worker".into(),
                source: std::io::Error::other(e.to_string()),
            })
        })
    }
}
