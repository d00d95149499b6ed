//! Keeping slow, silent or too many connections from holding the server: a
//! device on the meeting-room network can open TCP and then send nothing, or
//! dribble its TLS handshake or its request a byte at a time.
//!
//! - **Caps**: each TCP connection takes a place under a cap on connections
//!   at once, in all and per client address, when it is accepted, and gives
//!   it back when it ends; over a cap it is closed at once.
//! - **TLS**: the handshake must finish within [`TLS_HANDSHAKE_TIMEOUT`].
//! - **First request**: its head must have arrived within
//!   [`FIRST_REQUEST_TIMEOUT`] of the accept, whatever the protocol. hyper's
//!   HTTP/1 header timer starts only once hyper-util has told HTTP/1 from
//!   HTTP/2 by the first bytes, a step with no timer of its own, and the
//!   HTTP/2 preface has none either; so this deadline is kept here, on the
//!   stream, and ends when the service sees the first request.
//! - **Later requests** ([`configure_http`]): HTTP/1's header timer, which is
//!   also its idle keep-alive timeout, and HTTP/2 pings for a peer that went
//!   away.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::future::{ready, Future, Ready};
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

/// Connections at once, in all: a committee is a few dozen members, each
/// device with one HTTP/2 connection or a browser's six HTTP/1 ones.
pub const MAX_CONNECTIONS: usize = 256;

/// Connections at once from one address: a browser opens at most six per
/// host over HTTP/1, so this leaves room for a few tabs and the PDF viewer,
/// while one device cannot take the whole [`MAX_CONNECTIONS`]. (Devices
/// behind one NAT would share it; the meeting room's LAN has none.)
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 32;

/// A TLS handshake takes a few round trips on a LAN: milliseconds.
pub const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// From the TCP accept to the first request's head: the handshake, then a
/// request that a terminal sends at once.
pub const FIRST_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// HTTP/1: a request head must arrive within this of the connection being
/// ready for it. hyper counts the wait for the next request on a kept-alive
/// connection too, so this is also the idle timeout; a browser opens a new
/// connection when it finds its idle one closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// HTTP/2: a ping this often, so that a tablet that left the room without
/// closing its connection is found out.
pub(crate) const H2_PING_INTERVAL: Duration = Duration::from_secs(20);

/// HTTP/2: the connection is closed when a ping's answer is this late.
pub(crate) const H2_PING_TIMEOUT: Duration = Duration::from_secs(10);

/// Sets the HTTP timers on the server's connection builder (see the module docs).
pub(crate) fn configure_http(builder: &mut Builder<TokioExecutor>) {
    builder.http1().timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(H2_PING_INTERVAL)
        .keep_alive_timeout(H2_PING_TIMEOUT);
}

/// Connections held now, in all and per client address.
#[derive(Default)]
struct Counts {
    total: usize,
    per_address: HashMap<IpAddr, usize>,
}

/// The places under the caps, shared by every connection of one server.
pub(crate) struct Places {
    counts: Mutex<Counts>,
    total: usize,
    per_address: usize,
}

impl Places {
    pub(crate) fn new(total: usize, per_address: usize) -> Arc<Self> {
        Arc::new(Places { counts: Mutex::default(), total, per_address })
    }

    /// A place for a connection from `ip`, or `None` when a cap is reached.
    pub(crate) fn take(self: &Arc<Self>, ip: IpAddr) -> Option<Place> {
        let mut counts = self.lock();
        let held = counts.per_address.get(&ip).copied().unwrap_or(0);
        if counts.total >= self.total || held >= self.per_address {
            return None;
        }
        counts.total += 1;
        counts.per_address.insert(ip, held + 1);
        Some(Place { places: self.clone(), ip })
    }

    /// The counts stay consistent whatever panicked while holding the lock
    /// (nothing between a check and its update can), so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One connection's place; given back when dropped, i.e. when the connection ends.
pub(crate) struct Place {
    places: Arc<Places>,
    ip: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut counts = self.places.lock();
        counts.total = counts.total.saturating_sub(1);
        if let Entry::Occupied(mut held) = counts.per_address.entry(self.ip) {
            if *held.get() <= 1 {
                held.remove();
            } else {
                *held.get_mut() -= 1;
            }
        }
    }
}

/// The acceptor under TLS: gives each TCP connection a place (or closes it
/// at once) and starts its first-request deadline.
#[derive(Clone)]
pub(crate) struct Guard {
    places: Arc<Places>,
}

impl Guard {
    pub(crate) fn new() -> Self {
        Guard { places: Places::new(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS) }
    }

    fn admit(&self, stream: TcpStream) -> io::Result<Guarded> {
        let ip = stream.peer_addr()?.ip().to_canonical();
        let Some(place) = self.places.take(ip) else {
            // Debug only: a flood would otherwise flood the log as well.
            tracing::debug!(%ip, "connection refused: too many at once");
            return Err(io::Error::other("too many connections"));
        };
        Ok(Guarded {
            inner: stream,
            deadline: Some(Box::pin(tokio::time::sleep(FIRST_REQUEST_TIMEOUT))),
            first_request: Arc::new(AtomicBool::new(false)),
            _place: place,
        })
    }
}

impl<S> axum_server::accept::Accept<TcpStream, S> for Guard {
    type Stream = Guarded;
    type Service = MarkFirstRequest<S>;
    type Future = Ready<io::Result<(Guarded, MarkFirstRequest<S>)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        ready(self.admit(stream).map(|guarded| {
            let seen = guarded.first_request.clone();
            (guarded, MarkFirstRequest { inner: service, seen })
        }))
    }
}

/// A TCP stream holding its place, whose reads fail once the first-request
/// deadline passes with no request seen.
pub(crate) struct Guarded {
    inner: TcpStream,
    /// Dropped once the first request is seen.
    deadline: Option<Pin<Box<Sleep>>>,
    first_request: Arc<AtomicBool>,
    _place: Place,
}

impl AsyncRead for Guarded {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if let Some(deadline) = &mut this.deadline {
            if this.first_request.load(Ordering::Acquire) {
                this.deadline = None;
            } else if deadline.as_mut().poll(cx).is_ready() {
                // Polling the timer registered this task, so a reader waiting
                // on a silent peer is woken to see this error.
                return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "no request in time")));
            }
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The connection's service, telling its stream that a request came.
#[derive(Clone)]
pub(crate) struct MarkFirstRequest<S> {
    inner: S,
    seen: Arc<AtomicBool>,
}

impl<S: tower::Service<R>, R> tower::Service<R> for MarkFirstRequest<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> S::Future {
        self.seen.store(true, Ordering::Release);
        self.inner.call(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_capped_in_all_and_per_address_and_come_back() {
        let places = Places::new(3, 2);
        let (a, b, c) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into(), [10, 0, 0, 3].into());
        let a1 = places.take(a).expect("a's first");
        let _a2 = places.take(a).expect("a's second");
        assert!(places.take(a).is_none(), "a third from one address is over its cap");
        let _b1 = places.take(b).expect("another address has its own");
        assert!(places.take(c).is_none(), "three in all is the total cap");
        drop(a1);
        let _c1 = places.take(c).expect("a place came back when a connection ended");
        assert!(places.take(a).is_none(), "the total is full again");
    }

    #[test]
    fn an_address_with_no_connection_is_forgotten() {
        let places = Places::new(4, 4);
        drop(places.take([10, 0, 0, 1].into()));
        assert!(places.lock().per_address.is_empty(), "no entry left behind for a gone device");
        assert_eq!(places.lock().total, 0);
    }
}
