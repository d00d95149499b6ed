//! Clients that open a connection and then dribble it, a byte a second, or
//! say nothing at all: the server closes each of them within a bounded time
//! and caps how many one device holds, while honest terminals vote as usual.
//! Every device is a loopback address of its own (127.0.1.x terminals,
//! 127.0.3.x dribblers).

use crate::support::{tls_config, Host, Meeting, Terminal};
use anyhow::{bail, ensure, Context as _, Result};
use reqwest::StatusCode;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::mpsc;

/// One byte this often: far slower than any client, far faster than giving up.
const PACE: Duration = Duration::from_secs(1);

/// How long a dribbler may stay open before the test fails: generous for a
/// loaded machine, yet each dribbler has bytes for longer than this, so only
/// the server can end it in time.
const CLOSED_WITHIN: Duration = Duration::from_secs(45);

const TERMINALS: usize = 40;

fn device(subnet: u8, n: usize) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, subnet, u8::try_from(n + 1).unwrap_or(u8::MAX)))
}

/// The ways a dribbler holds its connection.
#[derive(Debug, Clone, Copy)]
enum Dribble {
    /// A TLS ClientHello record announcing 16 KiB, sent a byte a second.
    Handshake,
    /// TLS done, then nothing at all.
    Silence,
    /// TLS done (HTTP/1.1), then a request's headers a byte a second.
    Headers,
    /// TLS done (h2), then the HTTP/2 preface a byte a second.
    H2Preface,
}

impl Dribble {
    const ALL: [Dribble; 4] = [Dribble::Handshake, Dribble::Silence, Dribble::Headers, Dribble::H2Preface];

    fn bytes(self) -> Vec<u8> {
        let long = CLOSED_WITHIN.as_secs() as usize * 2;
        match self {
            Dribble::Handshake => [&[0x16, 0x03, 0x01, 0x40, 0x00, 0x01][..], &vec![0; long]].concat(),
            Dribble::Silence => Vec::new(),
            Dribble::Headers => {
                format!("GET /t/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: {}", "a".repeat(long)).into_bytes()
            }
            Dribble::H2Preface => [&b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"[..], &vec![0; long]].concat(),
        }
    }

    fn alpn(self) -> Option<&'static [u8]> {
        match self {
            Dribble::Handshake => None,
            Dribble::Silence | Dribble::Headers => Some(b"http/1.1"),
            Dribble::H2Preface => Some(b"h2"),
        }
    }
}

async fn connect_from(local: IpAddr, to: SocketAddr) -> Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(local, 0))?;
    Ok(socket.connect(to).await?)
}

/// Opens the connection, says so on `connected`, then dribbles until the
/// server closes it; returns how long that took from the connect.
async fn dribbler(
    kind: Dribble,
    local: IpAddr,
    to: SocketAddr,
    fingerprint: String,
    connected: mpsc::Sender<()>,
) -> Result<Duration> {
    let tcp = connect_from(local, to).await?;
    let opened = Instant::now();
    let Some(alpn) = kind.alpn() else {
        let _ = connected.send(()).await;
        dribble_until_closed(tcp, &kind.bytes()).await?;
        return Ok(opened.elapsed());
    };
    let mut config = tls_config(&fingerprint)?;
    config.alpn_protocols = vec![alpn.to_vec()];
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1")?;
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await?;
    let _ = connected.send(()).await;
    dribble_until_closed(tls, &kind.bytes()).await?;
    Ok(opened.elapsed())
}

/// Writes `bytes` one per [`PACE`] and returns once a read says the server
/// closed the connection (end of stream or an error); whatever the server
/// answers before closing (e.g. a 408) is read and ignored.
async fn dribble_until_closed<S: AsyncRead + AsyncWrite>(stream: S, bytes: &[u8]) -> Result<()> {
    let (mut reader, mut writer) = tokio::io::split(stream);
    let mut rest = bytes;
    let mut pace = tokio::time::interval(PACE);
    let mut buf = [0u8; 1024];
    loop {
        tokio::select! {
            read = reader.read(&mut buf) => match read {
                Ok(0) | Err(_) => return Ok(()),
                Ok(_) => {}
            },
            _ = pace.tick(), if !rest.is_empty() => {
                if writer.write_all(&rest[..1]).await.is_err() || writer.flush().await.is_err() {
                    return Ok(()); // the server is gone: a write to a closed connection fails
                }
                rest = &rest[1..];
            }
        }
    }
}

/// A terminal on its own device; odd ones speak HTTP/2, as browsers do.
async fn terminal(host: &Host, token: &str, i: usize) -> Result<Terminal> {
    let mut tls = tls_config(&host.fingerprint)?;
    let version = if i % 2 == 1 {
        tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        reqwest::Version::HTTP_2
    } else {
        reqwest::Version::HTTP_11
    };
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .cookie_store(true)
        .local_address(device(1, i))
        .build()?;
    let t = Terminal::pair_with(host, token, client).await?;
    let me = t.get("/api/t/me").await?;
    ensure!(me.version() == version, "terminal {i} speaks {version:?}, not {:?}", me.version());
    Ok(t)
}

/// Pairs from its own device, fetches its ballot, casts it.
async fn vote(host: Arc<Host>, token: String, i: usize) -> Result<()> {
    let t = terminal(&host, &token, i).await?;
    let choice = conclave_ballot::Choice::ALL[i % 3];
    let (round, ballot) = t.make_ballot(choice).await?;
    let cast = t.cast(round, &ballot).await?;
    ensure!(cast.status() == StatusCode::OK, "terminal {i}: {} {}", cast.status(), cast.text().await?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dribbling_connections_are_closed_while_forty_terminals_vote() -> Result<()> {
    // Member 0 (the chair) does not vote, so the round stays open throughout.
    let m = Meeting::with_members(TERMINALS + 1, TERMINALS + 1)?;
    let cards = m.cards()?;
    let host = Arc::new(Host::start(&m.db).await?);
    let addr = host.running.as_ref().context("running")?.addr;
    let round = m.open_terminal_round()?;

    // Twenty dribblers, five of each kind, from two devices, all connected first.
    let (connected, mut arrivals) = mpsc::channel(32);
    let dribblers: Vec<_> = (0..20)
        .map(|n| {
            let kind = Dribble::ALL[n % Dribble::ALL.len()];
            let job = dribbler(kind, device(3, n % 2), addr, host.fingerprint.clone(), connected.clone());
            tokio::spawn(async move { (kind, tokio::time::timeout(CLOSED_WITHIN, job).await) })
        })
        .collect();
    drop(connected);
    for n in 0..20 {
        arrivals.recv().await.with_context(|| format!("only {n} of 20 dribblers connected"))?;
    }

    // Forty honest terminals, each from its own device, half of them over
    // HTTP/2, while the dribblers hold on.
    let voters: Vec<_> = m.members[1..=TERMINALS]
        .iter()
        .enumerate()
        .map(|(i, member)| tokio::spawn(vote(host.clone(), cards[member].clone(), i)))
        .collect();
    for voter in voters {
        voter.await??;
    }
    let boxed = m.count("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", round)?;
    ensure!(boxed == TERMINALS as i64, "every terminal's ballot is in the box: {boxed}");

    for task in dribblers {
        match task.await? {
            (kind, Ok(closed)) => {
                let took = closed.with_context(|| format!("{kind:?}"))?;
                println!("a {kind:?} dribbler was closed after {} ms", took.as_millis());
            }
            (kind, Err(_)) => bail!("a {kind:?} dribbler was still open after {CLOSED_WITHIN:?}"),
        }
    }
    if let Ok(mut host) = Arc::try_unwrap(host) {
        host.stop().await;
    }
    Ok(())
}

/// Whether `stream` is still open: a read would wait (one poll, no sleep).
async fn still_open<S: AsyncRead + Unpin>(stream: &mut S) -> bool {
    let mut buf = [0u8; 1];
    std::future::poll_fn(|cx| {
        let mut buf = ReadBuf::new(&mut buf);
        Poll::Ready(Pin::new(&mut *stream).poll_read(cx, &mut buf).is_pending())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_device_holds_at_most_its_share_of_connections() -> Result<()> {
    let m = Meeting::new(20)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    let addr = host.running.as_ref().context("running")?.addr;
    let greedy = device(3, 0);
    // Each of these finished its TLS handshake, so each holds its place.
    let connector = tokio_rustls::TlsConnector::from(Arc::new(tls_config(&host.fingerprint)?));
    let mut held = Vec::new();
    for _ in 0..conclave_server::MAX_CONNECTIONS_PER_ADDRESS {
        let tcp = connect_from(greedy, addr).await?;
        let name = rustls::pki_types::ServerName::try_from("127.0.0.1")?;
        held.push(connector.connect(name, tcp).await?);
    }
    // One more from the same device is closed at once, while those it holds
    // are still open (no timeout has come for them).
    let mut over = connect_from(greedy, addr).await?;
    let closed = tokio::time::timeout(CLOSED_WITHIN, over.read(&mut [0u8; 1])).await;
    ensure!(matches!(closed, Ok(Ok(0) | Err(_))), "the connection over the cap is closed: {closed:?}");
    for (n, stream) in held.iter_mut().enumerate() {
        ensure!(still_open(stream).await, "connection {n} within the cap is still open");
    }
    // Another device is served meanwhile.
    let other = Terminal::pair_from(&host, &cards[&m.members[0]], Some(device(1, 0))).await?;
    ensure!(other.get("/api/t/me").await?.status() == StatusCode::OK, "another device is served");
    drop(held);
    host.stop().await;
    Ok(())
}
