//! The meeting-room server against real HTTPS clients on loopback TLS.

mod audited;
mod hostile;
mod slow_clients;
mod support;
mod tls_key;
mod voting;
