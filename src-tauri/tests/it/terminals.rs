//! The meeting-room server as its own process (`conclave serve`, as on a
//! host laptop with no window) and forty terminals at once over TLS, each
//! from its own loopback address as from its own device: pair, sign in,
//! fetch the agenda and the ballot, all cast in the same instant. Then the
//! host is killed with SIGKILL in the middle of the casting and started
//! again: the terminals retry by themselves with the same ballot (its
//! tracker is the idempotency key), no ballot is lost and none counted twice.
//! (The new process serves a new TLS key, docs/tls-key.md: the members
//! accept its fingerprint from the projector, and the sessions go on.)
//!
//! The load report (p50/p99 cast latency, the host's peak RSS) is printed,
//! never asserted: `bench/terminals.sh` runs it in a release build.

#[path = "../../server/tests/terminals/support.rs"]
#[allow(dead_code)]
mod support;

use anyhow::{ensure, Context as _, Result};
use reqwest::StatusCode;
use serde_json::Value;
use std::io::BufRead as _;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Host, Meeting, Terminal};

const TERMINALS: usize = 40;

/// `conclave serve` running as a child process.
struct HostProcess {
    child: Child,
    host: Host,
}

impl HostProcess {
    /// Starts `conclave serve` on 127.0.0.1:`port` (0: any) and reads the
    /// address and the certificate's fingerprint it prints.
    fn spawn(db: &Path, port: u16) -> Result<HostProcess> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_conclave"))
            .args(["--lang", "en", "serve", "--meeting"])
            .arg(db)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut lines = std::io::BufReader::new(child.stdout.take().context("stdout")?).lines();
        let url = lines.next().context("no address printed")??;
        let fingerprint = lines.next().context("no fingerprint printed")??;
        let fingerprint = fingerprint
            .strip_prefix("Certificate fingerprint (SHA-256): ")
            .with_context(|| format!("unexpected line {fingerprint:?}"))?
            .to_string();
        let base = url.trim_end_matches("/t/").to_string();
        ensure!(base.starts_with("https://127.0.0.1:"), "{url}");
        Ok(HostProcess { child, host: Host { running: None, base, fingerprint } })
    }

    fn port(&self) -> Result<u16> {
        Ok(self.host.base.rsplit(':').next().context("port")?.parse()?)
    }

    /// The host's peak resident memory so far (VmHWM), in KiB.
    fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// The power goes: SIGKILL, no chance to finish anything.
    fn kill9(&mut self) -> Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for HostProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One terminal ready to vote: paired, signed in, its agenda read, its
/// ballot marked and sealed.
struct Ready {
    terminal: Terminal,
    round: i64,
    ballot: conclave_ballot::Ballot,
}

/// The device address of terminal `i`: 127.0.1.i+1.
fn device(i: usize) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 1, (i + 1) as u8))
}

/// Pairs terminal `i` from its own device and signs in from the seat.
async fn pair_and_sign_in(host: Host, token: String, i: usize) -> Result<Terminal> {
    let terminal = Terminal::pair_from(&host, &token, Some(device(i))).await?;
    let signed = terminal.post("/api/t/presence", &serde_json::json!({ "present": true })).await?;
    ensure!(signed.status() == StatusCode::OK, "sign-in: {}", signed.status());
    Ok(terminal)
}

/// Reads the agenda, then marks and seals the member's ballot.
async fn prepare(terminal: Terminal, i: usize, round: i64) -> Result<Ready> {
    let agenda = terminal.json("/api/t/agenda").await?;
    ensure!(agenda.as_array().map(Vec::len) == Some(8), "the agenda of eight");
    let choice =
        [conclave_ballot::Choice::For, conclave_ballot::Choice::Against, conclave_ballot::Choice::Abstain]
            [i % 3];
    let (r, ballot) = terminal.make_ballot(choice).await?;
    ensure!(r == round, "the ballot of round {r}, not {round}");
    Ok(Ready { terminal, round, ballot })
}

/// Sends the ballot until the host answers, as the terminal page does (a
/// dropped connection or a host restarting is retried with the same ballot).
async fn cast_until_answered(t: &Ready, give_up: Instant) -> Result<Value> {
    loop {
        match t.terminal.cast(t.round, &t.ballot).await {
            Ok(resp) if resp.status() == StatusCode::OK => return Ok(resp.json().await?),
            Ok(resp) if resp.status().is_client_error() && resp.status() != StatusCode::TOO_MANY_REQUESTS => {
                anyhow::bail!("refused: {} {}", resp.status(), resp.text().await?)
            }
            _ if Instant::now() > give_up => anyhow::bail!("the host never answered"),
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Forty signed-in members, a terminal round open, the host a process.
async fn forty_ready() -> Result<(Meeting, HostProcess, Vec<Arc<Ready>>)> {
    // The secretary signed in the chair (who let in the candidates 资格审查
    // bars); the forty other members sign in at their seats. The chair votes
    // last, at the station, so the round stays open while the terminals vote.
    let m = Meeting::with_members(TERMINALS + 1, 1)?;
    let cards = m.cards()?;
    let host = HostProcess::spawn(&m.db, 0)?;
    // Every member pairs and signs in at the seat at once; the chair then
    // opens the round (on the chair's PIN) and every terminal gets its ballot.
    let pairing: Vec<_> = m.members[1..]
        .iter()
        .enumerate()
        .map(|(i, member)| {
            let h = Host {
                running: None,
                base: host.host.base.clone(),
                fingerprint: host.host.fingerprint.clone(),
            };
            tokio::spawn(pair_and_sign_in(h, cards[member].clone(), i))
        })
        .collect();
    let mut terminals = Vec::new();
    for task in pairing {
        terminals.push(task.await??);
    }
    let round = m.open_terminal_round()?;
    let preparing: Vec<_> =
        terminals.into_iter().enumerate().map(|(i, t)| tokio::spawn(prepare(t, i, round))).collect();
    let mut ready = Vec::new();
    for task in preparing {
        ready.push(Arc::new(task.await??));
    }
    Ok((m, host, ready))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_terminals_cast_in_the_same_instant_and_each_counts_once() -> Result<()> {
    let (m, host, ready) = forty_ready().await?;
    let round = ready[0].round;
    let start = Instant::now();
    let give_up = start + Duration::from_secs(120);
    let tasks: Vec<_> = ready
        .iter()
        .cloned()
        .map(|t| {
            tokio::spawn(async move {
                let sent = Instant::now();
                let receipt = cast_until_answered(&t, give_up).await?;
                anyhow::Ok((sent.elapsed(), receipt))
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for (t, task) in ready.iter().zip(tasks) {
        let (took, receipt) = task.await??;
        assert_eq!(receipt["tracker_hex"], Value::from(t.ballot.tracker().to_hex()));
        assert_eq!(receipt["already"], Value::from(false), "each cast once");
        latencies.push(took);
    }
    latencies.sort();
    assert_eq!(m.count("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", round)?, TERMINALS as i64);
    assert_eq!(m.count("SELECT count(*) FROM voter WHERE round_id = ?1", round)?, TERMINALS as i64);
    println!(
        "load: {TERMINALS} terminals cast at once over TLS: p50 {} ms, p99 {} ms, all in {} ms; host peak RSS {} MiB",
        percentile(&latencies, 0.5).as_millis(),
        percentile(&latencies, 0.99).as_millis(),
        start.elapsed().as_millis(),
        host.peak_rss_kib().unwrap_or(0) / 1024,
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_killed_mid_round_loses_no_ballot_and_counts_none_twice() -> Result<()> {
    let (m, mut host, ready) = forty_ready().await?;
    let round = ready[0].round;
    let port = host.port()?;
    let give_up = Instant::now() + Duration::from_secs(180);
    let tasks: Vec<_> = ready
        .iter()
        .cloned()
        .map(|t| tokio::spawn(async move { cast_until_answered(&t, give_up).await }))
        .collect();
    // The power goes while the ballots arrive: once the first is stored, and
    // before the last.
    let voted = |m: &Meeting| m.count("SELECT count(*) FROM voter WHERE round_id = ?1", round);
    while voted(&m)? < 1 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    host.kill9()?;
    let at_kill = voted(&m)?;
    assert!(at_kill < TERMINALS as i64, "the host died before every ballot was in ({at_kill})");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let again = HostProcess::spawn(&m.db, port)?;
    // The new process serves a new key, never stored (docs/tls-key.md): the
    // members compare the fingerprint it shows with the projector's and
    // accept it, and their terminals go on with the sessions they had.
    assert_ne!(again.host.fingerprint, host.host.fingerprint, "a new process, a new key");
    support::accept_after_restart(&again.host.fingerprint);

    let mut already = 0;
    for (t, task) in ready.iter().zip(tasks) {
        // (The chair has not voted: the round is still open.)
        let receipt = task.await??;
        assert_eq!(
            receipt["tracker_hex"],
            Value::from(t.ballot.tracker().to_hex()),
            "the terminal's own ballot"
        );
        if receipt["already"] == true {
            already += 1;
        }
        // The terminal, with the session it had, says 已投票.
        let me = t.terminal.json("/api/t/me").await?;
        assert_eq!(me["round"]["voted"], Value::from(true));
    }
    assert_eq!(
        m.count("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", round)?,
        TERMINALS as i64,
        "none lost, none doubled"
    );
    assert_eq!(voted(&m)?, TERMINALS as i64);
    // A terminal whose answer was lost with the host and that sends the same
    // ballot again is told it is already in; it is never counted again.
    let replay: Value = ready[0].terminal.cast(round, &ready[0].ballot).await?.json().await?;
    assert_eq!(replay["already"], Value::from(true));
    assert_eq!(m.count("SELECT count(*) FROM sealed_ballot WHERE round_id = ?1", round)?, TERMINALS as i64);
    println!("fault: host killed with {at_kill} of {TERMINALS} ballots stored; after the restart every terminal's retry was recorded once ({already} answered as already in)");
    Ok(())
}
