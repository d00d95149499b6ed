//! The meeting-room server against real HTTPS clients on loopback TLS.

mod hostile;
mod support;
mod voting;
